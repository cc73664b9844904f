// plan and rollback of a profile's lockdown (apply is in apply_command.cc,
// recover in recover_command.cc).
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/lockdown_common.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/rollback_report.h"
#include "toolkit/engine/journal.h"
#include "toolkit/platform/host.h"

namespace otharden {

namespace po = boost::program_options;

int RunPlanCommand(const std::vector<std::string>& args) {
  po::options_description options("otharden plan --profile FILE [--param NAME=VALUE]... [--site FILE]");
  ProfileInputs inputs;
  options.add_options()
      ("profile", po::value(&inputs.profile_path)->value_name("FILE"), "lockdown profile to plan")
      ("param", po::value(&inputs.params)->value_name("NAME=VALUE"), "a site parameter (repeatable)")
      ("site", po::value(&inputs.site_file)->value_name("FILE"), "site file with the parameters")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  std::unique_ptr<Host> host = OpenLocalHost();
  Profile profile;
  PolicyGate gate;
  LockdownPlan plan;
  if (int code = LoadAndPlan(inputs, *host, &profile, &gate, &plan, false); code >= 0) return code;
  PrintPlan(profile, plan);
  if (Status guard = LockoutProblem(*host, profile, plan); !guard.ok()) {
    std::cout << "\nWARNING: apply will refuse this plan: " << guard.message() << "\n";
  }
  std::cout << "\nThis was a plan: nothing was changed. 'otharden apply --profile " << inputs.profile_path
            << " ...' makes these changes.\n";
  return kExitOk;
}

int RunRollbackCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden rollback --report R.xml [--trusted DIR | --pub KEY.pub] [--force] | --journal FILE");
  std::string journal_path;
  RollbackFromReportArgs from_report;
  options.add_options()
      ("report", po::value(&from_report.report_path)->value_name("R.xml"),
       "signed apply report: restore the before state it recorded")
      ("trusted", po::value(&from_report.trusted_dir)->value_name("DIR"),
       "verify the report against every *.pub in DIR (default: the stick's keys\\trusted)")
      ("pub", po::value(&from_report.pub_path)->value_name("KEY.pub"), "verify the report against this key")
      ("force", po::bool_switch(&from_report.force), "also restore settings changed since the report")
      ("journal", po::value(&journal_path)->value_name("FILE"), "journal written by apply")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (!from_report.report_path.empty() && !journal_path.empty()) {
    return ReportError(Status::InvalidInput("give --report or --journal, not both"));
  }
  if (!from_report.report_path.empty()) return RollbackFromReport(from_report);
  if (journal_path.empty()) {
    return ReportError(Status::InvalidInput("give the signed apply report (--report R.xml) or the journal "
                                            "(--journal FILE)"));
  }
  if (int code = RequireElevation("rollback"); code >= 0) return code;
  Result<Journal> journal = ReadJournalFile(journal_path);
  if (!journal.ok()) return ReportError(journal.status());
  std::unique_ptr<Host> host = OpenLocalHost();
  // Fail before changing anything when this is not a host we can change.
  if (Result<OsIdentity> os = host->ReadOsIdentity(); !os.ok()) return ReportError(os.status());

  std::cout << "Rolling back profile " << journal->header.profile << " applied " << journal->header.utc
            << " on " << journal->header.host << " (" << journal->services.size() << " services journalled)\n";
  if (journal->unreadable_bytes > 0) {
    std::cout << "WARNING: the last " << journal->unreadable_bytes << " bytes of the journal could not be read ("
              << journal->unreadable_reason << "); everything before them is restored.\n";
  }
  const ProgressFn progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
  RollbackResult result = RollbackAll(*host, *journal, progress);
  std::cout << "\nRestored " << result.restored << ", already as before " << result.already_as_before;
  if (journal->damaged) {
    std::cout << "\nThe journal is damaged after the records restored above: changes recorded after that point "
                 "were NOT restored. Compare the host with the report taken before the apply.\n";
    return kExitNotOk;
  }
  if (!result.failures.empty()) {
    std::cout << ", could NOT restore " << result.failures.size() << "\n";
    return kExitNotOk;
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace otharden
