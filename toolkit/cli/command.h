// The command table: one entry per `otharden <command>`.
#pragma once

#include <string>
#include <vector>

namespace otharden {

struct Command {
  const char* name;
  const char* summary;
  // Runs with the arguments after the command name; returns the exit code.
  int (*run)(const std::vector<std::string>& args);
};

int RunCheckCommand(const std::vector<std::string>& args);
int RunVersionCommand(const std::vector<std::string>& args);
int RunReportCommand(const std::vector<std::string>& args);
int RunKeygenCommand(const std::vector<std::string>& args);
int RunSignCommand(const std::vector<std::string>& args);
int RunVerifyCommand(const std::vector<std::string>& args);
int RunPlanCommand(const std::vector<std::string>& args);
int RunApplyCommand(const std::vector<std::string>& args);
int RunRollbackCommand(const std::vector<std::string>& args);
int RunRecoverCommand(const std::vector<std::string>& args);
int RunSnapshotCommand(const std::vector<std::string>& args);
int RunDiffCommand(const std::vector<std::string>& args);
int RunMediaCommand(const std::vector<std::string>& args);

}  // namespace otharden
