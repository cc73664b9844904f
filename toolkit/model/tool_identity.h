// Which otharden produced a result: goes into every report.
#pragma once

#include <string>

namespace otharden {

struct ToolIdentity {
  std::string version;  // "0.1.0"
  std::string target;   // "x86", "x64" or "native"
  std::string build;    // "Release, GCC 12.2, static, _WIN32_WINNT=0x0600"
};

}  // namespace otharden
