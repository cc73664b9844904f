// `otharden recover`: after a crash, a power cut or a pulled stick, restore
// the host to how it was before the apply that did not finish.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <map>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/lockdown_common.h"
#include "toolkit/cli/options.h"
#include "toolkit/platform/event_log.h"
#include "toolkit/platform/host.h"

namespace otharden {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

size_t RecordCount(const Journal& j) { return j.services.size() + j.completed.size() + j.firewall.size(); }

// The journal is finished by renaming it: appending an end record after a
// torn last line would leave that record unreadable.
Status MarkRecovered(const std::string& path) {
  std::error_code ec;
  fs::rename(fs::u8path(path), fs::u8path(path + ".recovered"), ec);
  if (ec) return Status::IoError(path + ": cannot rename to .recovered: " + ec.message());
  return Status::Ok();
}

}  // namespace

int RunRecoverCommand(const std::vector<std::string>& args) {
  po::options_description options("otharden recover");
  options.add_options()("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;

  std::unique_ptr<Host> host = OpenLocalHost();
  Result<OsIdentity> os = host->ReadOsIdentity();
  if (!os.ok()) return ReportError(os.status());
  std::vector<std::string> other_hosts, unreadable;
  std::vector<UnfinishedJournal> unfinished = FindUnfinishedJournals(os->host_name, &other_hosts, &unreadable);
  for (const std::string& o : other_hosts) {
    std::cout << "Not this host's (run recover on that host): " << o << "\n";
  }
  for (const std::string& u : unreadable) std::cout << "WARNING: not a journal otharden can read: " << u << "\n";
  if (unfinished.empty()) {
    std::cout << "No interrupted apply on this host. Looked in:";
    for (const std::string& dir : JournalDirectories()) std::cout << " " << dir;
    std::cout << "\n";
    return unreadable.empty() ? kExitOk : kExitNotOk;
  }
  if (int code = RequireElevation("recover"); code >= 0) return code;

  // The host's journal and its copy on the stick describe the same apply:
  // restore from the one that holds more, then mark both.
  std::map<std::string, std::vector<const UnfinishedJournal*>> applies;
  for (const UnfinishedJournal& u : unfinished) {
    applies[u.journal.header.utc + " " + u.journal.header.profile].push_back(&u);
  }
  bool all_restored = true;
  const ProgressFn progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
  for (const auto& [key, copies] : applies) {
    const UnfinishedJournal* best = copies.front();
    for (const UnfinishedJournal* c : copies) {
      if (RecordCount(c->journal) > RecordCount(best->journal)) best = c;
    }
    const Journal& j = best->journal;
    std::cout << "Interrupted: profile " << j.header.profile << ", started " << j.header.utc << "\n"
              << "Journal:     " << best->path << " (" << j.services.size() << " service and " << j.firewall.size()
              << " firewall records)\n";
    RollbackResult result = RollbackAll(*host, j, progress);
    std::cout << "Restored " << result.restored << ", already as before " << result.already_as_before
              << (result.failures.empty() ? "" : ", could NOT restore " + std::to_string(result.failures.size()))
              << ".\n";
    bool complete = result.failures.empty();
    for (const std::string& f : result.failures) std::cout << "  NOT restored: " << f << "\n";
    if (j.damaged) {
      complete = false;
      std::cout << "The journal is DAMAGED after the records above (" << j.unreadable_reason << ", "
                << j.unreadable_bytes << " bytes): changes recorded after that point could NOT be undone from it.\n"
                   "Compare the host with the apply's before snapshot ('otharden diff' on the apply report) or "
                   "restore from the signed report: otharden rollback --report R.xml\n";
    } else if (j.unreadable_bytes > 0) {
      std::cout << "The journal ends in " << j.unreadable_bytes << " unreadable bytes (" << j.unreadable_reason
                << "). otharden writes each record before its change, so after an interruption that change was "
                   "never made. If the file was damaged instead, changes recorded there could not be undone: "
                   "compare with the apply's before snapshot.\n";
    }
    if (!complete) all_restored = false;
    for (const UnfinishedJournal* c : copies) {
      if (Status s = MarkRecovered(c->path); !s.ok()) {
        std::cout << "WARNING: " << s.message() << "\n";
        all_restored = false;
      }
    }
    (void)WriteApplicationEvent(complete ? EventKind::kWarning : EventKind::kError, kEventRecovered,
                                "otharden recover: interrupted apply of profile " + j.header.profile + " (started " +
                                    j.header.utc + ") " + (complete ? "undone" : "NOT fully undone") + "; journal " +
                                    best->path);
    std::cout << "\n";
  }
  std::cout << (all_restored ? "RESULT: RECOVERED - the host is back as it was before the interrupted apply.\n"
                             : "RESULT: NOT FULLY RECOVERED - see the lines above.\n");
  return all_restored ? kExitOk : kExitNotOk;
}

}  // namespace otharden
