// Win32 error codes become Status values here, and only here.
#pragma once

#include <cstdint>
#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// "<what>: <api> failed: <system message> (<code>)". ERROR_ACCESS_DENIED and
// ERROR_PRIVILEGE_NOT_HELD map to kAccessDenied, ERROR_FILE_NOT_FOUND and
// ERROR_PATH_NOT_FOUND to kNotFound, ERROR_CALL_NOT_IMPLEMENTED and
// ERROR_INVALID_LEVEL to kNotSupported, everything else to kHostError (exit 4).
Status Win32Failure(const std::string& what, const char* api, uint32_t code);

// The system's message for `code` without the trailing newline and period.
std::string SystemMessage(uint32_t code);

}  // namespace otharden
