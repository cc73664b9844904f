#include <unistd.h>

#include <climits>

#include "toolkit/platform/process.h"

namespace otharden {

Result<std::string> ExecutablePath() {
  char buffer[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return Status::IoError("readlink(/proc/self/exe) failed");
  return std::string(buffer, static_cast<size_t>(n));
}

const char* BuildTarget() { return "native"; }

Result<bool> IsElevated() { return geteuid() == 0; }

std::string MachineStateDirectory() { return "/var/lib/otharden"; }

}  // namespace otharden
