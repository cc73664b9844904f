#include <iostream>

#include "toolkit/cli/build_info.h"
#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/tool_info.h"
#include "toolkit/platform/process.h"

namespace otharden {

ToolIdentity ThisTool() {
  return ToolIdentity{OTHARDEN_VERSION, BuildTarget(),
                      std::string(OTHARDEN_BUILD_TYPE) + ", " + OTHARDEN_COMPILER + ", " +
                          OTHARDEN_BUILD_FLAGS};
}

int RunVersionCommand(const std::vector<std::string>& args) {
  if (!args.empty()) {
    return ReportError(Status::InvalidInput("'otharden version' takes no arguments"));
  }
  const ToolIdentity tool = ThisTool();
  std::cout << "otharden " << tool.version << "\n"
            << "target: " << tool.target << "\n"
            << "build:  " << tool.build << "\n";
  return kExitOk;
}

}  // namespace otharden
