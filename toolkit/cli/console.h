// Console output helpers shared by the commands.
#pragma once

#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// Prints "otharden: error: <message>" and a hint, to stderr; returns the exit code.
int ReportError(const Status& status);

// Word-wraps `text` to `width` columns; continuation lines start with `indent`
// spaces. The first line is not indented (the caller has printed its prefix).
std::string Wrap(const std::string& text, size_t first_column, size_t indent, size_t width = 79);

}  // namespace otharden
