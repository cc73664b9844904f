// `check`: evaluates a compliance policy against what a host reports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/os_identity.h"
#include "toolkit/model/status.h"
#include "toolkit/model/update.h"
#include "toolkit/platform/host.h"
#include "toolkit/spec/policy.h"

namespace otharden {

enum class Outcome { kPass, kWarn, kFail };
// "PASS", "WARN", "FAIL".
const char* OutcomeName(Outcome outcome);

// One line of the verdict: a requirement and what the host showed for it.
struct Finding {
  std::string id;        // "build", "sha2-signing", "rollup"...
  std::string title;     // "Build 6003"
  Outcome outcome = Outcome::kPass;
  std::string evidence;  // what was seen, in a sentence
  std::string remedy;    // what to do about it; empty when nothing is to be done
};

// Where the host stands against the rollup catalogue.
struct RollupPosition {
  std::optional<RollupEntry> by_kb;      // newest catalogue rollup whose KB is present
  std::optional<RollupEntry> by_kernel;  // newest rollup whose min-kernel <= ntoskrnl
  std::optional<RollupEntry> latest;     // the newer of the two
  RollupEntry final_rollup;              // the newest row of the catalogue
  std::optional<int> months_behind;      // final - latest; nullopt when none found
};

struct CheckResult {
  OsIdentity os;
  std::vector<CbsPackage> packages;
  std::vector<Finding> findings;
  RollupPosition rollup;

  bool compliant() const;
  int Count(Outcome outcome) const;
};

// Reads the host and evaluates `policy`.
// Fails with kNotSupported when the host cannot be judged by this policy at all
// (not Windows, an OS version other than the policy's such as 2008 R2, an
// unsupported processor architecture such as IA-64) and with kAccessDenied when
// the host refused a read; the message says what was found.
Result<CheckResult> RunCheck(Host& host, const Policy& policy);

// Evaluates already-read host data (RunCheck without the host reads).
Result<CheckResult> EvaluatePolicy(const OsIdentity& os, std::vector<CbsPackage> packages,
                                   const Policy& policy);

}  // namespace otharden
