// The exit codes every command shares (README, `otharden --help`).
#pragma once

#include "toolkit/model/status.h"

namespace otharden {

enum ExitCode : int {
  kExitOk = 0,           // ok, compliant, verified
  kExitNotOk = 1,        // not compliant, verification failed
  kExitBadInput = 2,     // bad usage or a bad input file
  kExitRolledBack = 3,   // apply failed and was rolled back
  kExitEnvironment = 4,  // not elevated, unsupported OS or architecture, API missing
};

// The exit code for a failed Status: bad input and unreadable files are 2,
// host and environment problems are 4.
int ExitCodeFor(const Status& status);

}  // namespace otharden
