// Facts about the running otharden process itself.
#pragma once

#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// Full path of the running executable (UTF-8).
Result<std::string> ExecutablePath();

// "x86", "x64" or "native": what this executable was built for.
const char* BuildTarget();

// True when the process may change the host: an elevated administrator token
// on Windows (TokenElevation, Vista+), root elsewhere.
Result<bool> IsElevated();

// Where otharden keeps its state on this machine (journals):
// %ProgramData%\otharden on Windows; /var/lib/otharden elsewhere.
std::string MachineStateDirectory();

}  // namespace otharden
