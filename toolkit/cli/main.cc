// otharden: one executable, git-style commands.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "toolkit/cli/command.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/platform/startup.h"

namespace otharden {
namespace {

// In the order a technician meets them on site.
const Command kCommands[] = {
    {"check", "is this host on build 6003 with the ESU prerequisites? (exit 0 yes, 1 no)",
     RunCheckCommand},
    {"plan", "show what a profile would change: plan --profile FILE (changes nothing)", RunPlanCommand},
    {"apply", "make a profile's changes, journalled, with a signed report: apply --profile FILE --key K",
     RunApplyCommand},
    {"rollback", "undo an apply: rollback --report R.xml (signed report) or --journal FILE", RunRollbackCommand},
    {"recover", "after a crash or pulled stick: undo the apply that did not finish", RunRecoverCommand},
    {"snapshot", "record services, firewall, updates and OS: snapshot --out FILE.xml [--key KIT.key]",
     RunSnapshotCommand},
    {"diff", "what changed between two snapshots or reports: diff A.xml [B.xml] (exit 0 none, 1 some)",
     RunDiffCommand},
    {"report", "render a signed report as an HTML page: report render R.xml --html R.html",
     RunReportCommand},
    {"keygen", "create a minisign-compatible key pair: keygen --out DIR/NAME", RunKeygenCommand},
    {"sign", "sign a file with a secret key: sign FILE --key NAME.key (writes FILE.minisig)",
     RunSignCommand},
    {"verify", "verify a signature: verify FILE --pub NAME.pub | --trusted DIR (exit 0 valid, 1 not)",
     RunVerifyCommand},
    {"media", "build or check a USB stick: media build --vendor-key K --out DIR | media verify [DIR]",
     RunMediaCommand},
    {"version", "print version, target and build configuration", RunVersionCommand},
};

void PrintUsage(std::ostream& out) {
  out << "usage: otharden <command> [options]     (otharden <command> --help for more)\n\n"
         "commands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\nexit codes: 0 ok/compliant/verified, 1 not compliant or verification failed,\n"
         "            2 bad usage or bad input file, 3 apply failed and was rolled back,\n"
         "            4 environment (not elevated, unsupported OS or architecture, API missing)\n";
}

// Levenshtein distance, for "did you mean".
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

int Main(std::vector<std::string> args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") args[0] = "version";
  for (const Command& c : kCommands) {
    if (args[0] == c.name) return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "otharden: '" << args[0] << "' is not a command.";
  for (const Command& c : kCommands) {
    if (EditDistance(args[0], c.name) <= 2) {
      std::cerr << " Did you mean '" << c.name << "'?";
      break;
    }
  }
  std::cerr << "\n\n";
  PrintUsage(std::cerr);
  return kExitBadInput;
}

}  // namespace
}  // namespace otharden

int main(int argc, char** argv) {
  std::vector<std::string> args = otharden::PrepareProcess(argc, argv);
  try {
    return otharden::Main(std::move(args));
  } catch (const std::exception& e) {
    std::cerr << "otharden: internal error: " << e.what() << "\n";
    return otharden::kExitEnvironment;
  }
}
