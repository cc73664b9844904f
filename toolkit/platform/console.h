// The interactive console, for what must come from the person at the keyboard
// (passphrases). console_posix.cc reads the controlling terminal (/dev/tty);
// win32/console_win32.cc reads the Win32 console (CONIN$). Both ignore
// redirected standard input: a passphrase is never read from a pipe by accident.
#pragma once

#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// Shows `prompt` and reads one line without echoing it. On success: the line
// without its line end, as UTF-8; the caller wipes it when done. kNotSupported
// when this process has no console or terminal (CI, a service, `setsid`);
// kIoError when reading fails or is interrupted.
Result<std::string> ReadLineWithoutEcho(const std::string& prompt);

// The same, echoing what is typed: for answers such as "yes".
Result<std::string> ReadConsoleLine(const std::string& prompt);

}  // namespace otharden
