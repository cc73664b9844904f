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
#include "toolkit/engine/snapshot.h"
#include "toolkit/report/snapshot_xml.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

size_t RecordCount(const Journal& j) { return j.services.size() + j.completed.size() + j.firewall.size(); }

// The journal is finished by renaming it: appending an end record after a
// torn last line would leave that record unreadable. Its before snapshot goes
// with it.
Status MarkRecovered(const std::string& path) {
  std::error_code ec;
  fs::rename(fs::u8path(path), fs::u8path(path + ".recovered"), ec);
  if (ec) return Status::IoError(path + ": cannot rename to .recovered: " + ec.message());
  const fs::path before = fs::u8path(path + kBeforeSnapshotSuffix);
  if (fs::exists(before, ec)) fs::rename(before, fs::u8path(path + ".recovered" + kBeforeSnapshotSuffix), ec);
  return Status::Ok();
}

// What still differs from the snapshot apply took before its first change
// (services and firewall: what apply changes). nullopt when there is no
// readable before snapshot beside any copy of the journal.
std::optional<std::vector<SnapshotDifference>> StillDifferent(Host& host,
                                                              const std::vector<const UnfinishedJournal*>& copies,
                                                              std::string* note) {
  for (const UnfinishedJournal* c : copies) {
    const std::string path = c->path + kBeforeSnapshotSuffix;
    Result<std::string> text = ReadInputFile(path, kMaxSnapshotFileBytes);
    if (!text.ok()) continue;
    Result<SnapshotFile> file = ParseSnapshotFile(path, *text);
    if (!file.ok() || file->snapshots.empty()) {
      *note = path + " cannot be read: " + (file.ok() ? "no snapshot" : file.status().message());
      continue;
    }
    Result<HostSnapshot> now = TakeSnapshot(host);
    if (!now.ok()) {
      *note = "the host could not be read to compare it with " + path + ": " + now.status().message();
      return std::nullopt;
    }
    std::vector<SnapshotDifference> differences;
    for (const SnapshotDifference& d : DiffSnapshots(file->snapshots.front().second, *now)) {
      if (d.area == "service" || d.area == "firewall" || d.area == "firewall-profile" || d.area == "firewall-rule") {
        differences.push_back(d);
      }
    }
    *note = path;
    return differences;
  }
  if (note->empty()) *note = "no before snapshot was found beside the journal";
  return std::nullopt;
}

}  // namespace

int RunRecoverCommand(const std::vector<std::string>& args) {
  po::options_description options("otharden recover");
  options.add_options()("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (int code = RequireElevation("recover"); code >= 0) return code;

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
    // The journal says what it could; the before snapshot says what is left.
    std::string note;
    std::optional<std::vector<SnapshotDifference>> left = StillDifferent(*host, copies, &note);
    if (j.damaged || j.unreadable_bytes > 0) {
      std::cout << (j.damaged ? "The journal is DAMAGED" : "The journal ends in unreadable bytes") << " ("
                << j.unreadable_reason << ", " << j.unreadable_bytes << " bytes): changes recorded there could not "
                << "be undone from it.\n";
    }
    if (left) {
      if (left->empty()) {
        std::cout << "Compared with the snapshot taken before the apply (" << note << "): no difference.\n";
      } else {
        complete = false;
        std::cout << "STILL DIFFERENT from the snapshot taken before the apply (" << note << "), NOT undone ("
                  << left->size() << "):\n";
        for (const SnapshotDifference& d : *left) {
          std::cout << "  " << d.area << " " << d.item << ": was " << d.before << ", is " << d.after << "\n";
        }
        std::cout << "Restore these by hand, or from the last signed report: otharden rollback --report R.xml\n";
      }
    } else if (j.damaged || j.unreadable_bytes > 0) {
      complete = false;
      std::cout << "Cannot tell what is left: " << note << ". Compare the host with the last signed report "
                                                           "('otharden diff').\n";
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
