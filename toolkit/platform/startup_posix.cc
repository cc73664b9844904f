#include "toolkit/platform/startup.h"

namespace otharden {

std::vector<std::string> PrepareProcess(int argc, char** argv) {
  return std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc);
}

}  // namespace otharden
