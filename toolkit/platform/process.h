// Facts about the running otharden process itself.
#pragma once

#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// Full path of the running executable (UTF-8).
Result<std::string> ExecutablePath();

// "x86", "x64" or "native": what this executable was built for.
const char* BuildTarget();

}  // namespace otharden
