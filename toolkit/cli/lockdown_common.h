// What plan, apply, rollback and recover share: loading and planning a
// profile, the required-policy gate, the lockout guard, elevation, and where
// journals live.
#pragma once

#include <string>
#include <vector>

#include "toolkit/cli/profile_loading.h"
#include "toolkit/engine/apply_transaction.h"
#include "toolkit/engine/journal.h"
#include "toolkit/platform/host.h"
#include "toolkit/report/report_xml.h"
#include "toolkit/spec/profile.h"

namespace otharden {

// The profile's required policy as checked on this host.
struct PolicyGate {
  std::string name, title;
  DocumentRef file;
  bool compliant = false;
  std::string failures;  // "title: evidence; ..." of the failed findings
};

// Loads the profile (with its parameters), checks its required policy and
// plans both halves against `host`. Prints errors itself and returns the exit
// code on failure, -1 to go on. A host failing the policy is refused when
// `refuse_policy_failures` (apply without --force), and warned about otherwise.
int LoadAndPlan(const ProfileInputs& inputs, Host& host, Profile* profile, PolicyGate* gate, LockdownPlan* plan,
                bool refuse_policy_failures);

void PrintPlan(const Profile& profile, const LockdownPlan& lockdown);

// The lockout guard's verdict on `plan` (both halves); Ok when safe.
Status LockoutProblem(Host& host, const Profile& profile, const LockdownPlan& plan);

// Commands that change the host refuse early (exit 4) when not elevated, and
// say how to fix it. -1 to go on.
int RequireElevation(const char* command);

// Where journals are kept: the host's (%ProgramData%\otharden\journals) first,
// then the stick's (<stick>\journals) when otharden runs from one.
std::vector<std::string> JournalDirectories();

// A journal that has no end record: an apply that did not finish.
struct UnfinishedJournal {
  std::string path;
  Journal journal;
};

// Unfinished journals in JournalDirectories() written on host `host_name`
// (journals of other hosts, e.g. on a stick used elsewhere, are listed in
// *other_hosts). Unreadable files are listed in *unreadable with the reason.
std::vector<UnfinishedJournal> FindUnfinishedJournals(const std::string& host_name,
                                                      std::vector<std::string>* other_hosts,
                                                      std::vector<std::string>* unreadable);

// apply writes the host's snapshot to JOURNAL + this before its first record.
constexpr const char kBeforeSnapshotSuffix[] = ".before.xml";

// "<host>-<UTC>-<what>.journal" in the host's journal folder (created).
Result<std::string> NewJournalPath(const std::string& host_name, const UtcTime& time, const std::string& what);

// The journal writer `apply` and `rollback --report` use: the host's file,
// mirrored to the stick's journals\ folder when otharden runs from a stick.
struct OpenedJournal {
  std::unique_ptr<JournalWriter> writer;
  MirroredAppendFile* mirror = nullptr;  // owned by writer; for mirror_problem()
  std::string mirror_path;
};
Result<OpenedJournal> OpenJournal(const std::string& path, const JournalHeader& header);

}  // namespace otharden
