// Process start-up: hardening and arguments.
#pragma once

#include <string>
#include <vector>

namespace otharden {

// Call first in main(). On Windows: removes the current directory and the
// executable's folder from the DLL search path where the OS allows it (a USB
// stick is writable by anyone who held it), and returns the arguments as UTF-8
// from the UTF-16 command line. Elsewhere: returns argv[1..].
std::vector<std::string> PrepareProcess(int argc, char** argv);

}  // namespace otharden
