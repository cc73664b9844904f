#include "toolkit/engine/check.h"

#include <algorithm>
#include <map>

namespace otharden {

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "PASS";
    case Outcome::kWarn: return "WARN";
    case Outcome::kFail: return "FAIL";
  }
  return "?";
}

bool CheckResult::compliant() const { return Count(Outcome::kFail) == 0; }

int CheckResult::Count(Outcome outcome) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [&](const Finding& f) { return f.outcome == outcome; }));
}

namespace {

std::string OsDescription(const OsIdentity& os) {
  std::string text = "Windows NT " + RtlVersionString(os.rtl);
  if (!os.rtl.csd.empty()) text += " " + os.rtl.csd;
  if (os.registry.product_name) text += " (" + *os.registry.product_name + ")";
  return text;
}

template <typename T>
bool Contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

template <typename T, typename NameOf>
std::string JoinNames(const std::vector<T>& items, NameOf name_of) {
  std::string out;
  for (const T& item : items) out += (out.empty() ? "" : ", ") + std::string(name_of(item));
  return out;
}

// The strongest CBS state seen for each KB (several packages can carry one KB).
std::map<std::string, uint32_t> StatesByKb(const std::vector<CbsPackage>& packages) {
  std::map<std::string, uint32_t> states;
  for (const CbsPackage& p : packages) {
    if (p.kb.empty()) continue;
    auto it = states.find(p.kb);
    if (it == states.end()) {
      states[p.kb] = p.current_state;
    } else if (CbsStateMeansPresent(p.current_state) && !CbsStateMeansPresent(it->second)) {
      it->second = p.current_state;
    }
  }
  return states;
}

class Evaluator {
 public:
  Evaluator(const OsIdentity& os, const Policy& policy, std::vector<CbsPackage> packages)
      : os_(os), policy_(policy) {
    result_.os = os;
    result_.packages = std::move(packages);
    states_ = StatesByKb(result_.packages);
  }

  CheckResult Run() {
    CheckOs();
    CheckServicePack();
    CheckVersionSources();
    CheckBuild();
    for (const UpdateRequirement& req : policy_.updates) CheckUpdate(req);
    CheckRollup();
    return std::move(result_);
  }

 private:
  void Add(std::string id, std::string title, Outcome outcome, std::string evidence,
           std::string remedy = "") {
    result_.findings.push_back(Finding{std::move(id), std::move(title), outcome,
                                       std::move(evidence), std::move(remedy)});
  }

  void CheckOs() {
    const std::string edition = std::string(ProductTypeName(os_.rtl.product_type)) + ", " +
                                ArchitectureName(os_.native_architecture);
    const bool product_ok = Contains(policy_.product_types, os_.rtl.product_type);
    const bool arch_ok = Contains(policy_.architectures, os_.native_architecture);
    std::string evidence = OsDescription(os_) + ", " + edition;
    if (product_ok && arch_ok) {
      Add("os", "Operating system", Outcome::kPass, evidence);
      return;
    }
    if (!product_ok) {
      evidence += "; this policy is for product type " +
                  JoinNames(policy_.product_types, ProductTypeName) + ", not " +
                  ProductTypeName(os_.rtl.product_type);
    }
    if (!arch_ok) {
      evidence += "; this policy is for " + JoinNames(policy_.architectures, ArchitectureName) +
                  " hosts, not " + ArchitectureName(os_.native_architecture);
    }
    Add("os", "Operating system", Outcome::kFail, evidence, policy_.os_remedy);
  }

  void CheckServicePack() {
    const std::string title = "Service Pack " + std::to_string(policy_.service_pack);
    std::string evidence = os_.rtl.csd.empty() ? std::string("no service pack")
                                               : os_.rtl.csd;
    if (os_.rtl.service_pack_major >= policy_.service_pack) {
      Add("service-pack", title, Outcome::kPass, evidence);
    } else {
      Add("service-pack", title, Outcome::kFail, evidence,
          "install Service Pack " + std::to_string(policy_.service_pack) + " first");
    }
  }

  // RtlGetVersion, the registry and ntoskrnl.exe should tell one story; a
  // disagreement means a compatibility shim, a half-finished update or tampering.
  void CheckVersionSources() {
    std::vector<std::string> disagreements;
    const RegistryVersionInfo& reg = os_.registry;
    const std::string rtl_version =
        std::to_string(os_.rtl.major) + "." + std::to_string(os_.rtl.minor);
    if (reg.current_version && *reg.current_version != rtl_version) {
      disagreements.push_back("registry CurrentVersion is " + *reg.current_version +
                              ", RtlGetVersion says " + rtl_version);
    }
    if (reg.current_build_number && *reg.current_build_number != std::to_string(os_.rtl.build)) {
      disagreements.push_back("registry CurrentBuildNumber is " + *reg.current_build_number +
                              ", RtlGetVersion says " + std::to_string(os_.rtl.build));
    }
    if (reg.csd_version && *reg.csd_version != os_.rtl.csd) {
      disagreements.push_back("registry CSDVersion is '" + *reg.csd_version +
                              "', RtlGetVersion says '" + os_.rtl.csd + "'");
    }
    if (os_.kernel_file_version && os_.kernel_file_version->build != os_.rtl.build) {
      disagreements.push_back("ntoskrnl.exe is " + os_.kernel_file_version->ToString() +
                              ", RtlGetVersion says build " + std::to_string(os_.rtl.build));
    }
    if (!reg.current_version || !reg.current_build_number) {
      disagreements.push_back("the registry's CurrentVersion key could not be read fully");
    }
    if (!os_.kernel_file_version) {
      disagreements.push_back("ntoskrnl.exe version unreadable (" + os_.kernel_error + ")");
    }
    if (disagreements.empty()) {
      Add("version-sources", "Version sources", Outcome::kPass,
          "RtlGetVersion " + RtlVersionString(os_.rtl) + ", registry " + *reg.current_version +
              "." + *reg.current_build_number + ", ntoskrnl.exe " +
              os_.kernel_file_version->ToString());
      return;
    }
    std::string evidence;
    for (const std::string& d : disagreements) evidence += (evidence.empty() ? "" : "; ") + d;
    Add("version-sources", "Version sources", Outcome::kWarn, evidence,
        "the verdict uses RtlGetVersion; find out why the sources differ (compatibility "
        "settings, an update waiting for a reboot) before relying on it");
  }

  void CheckBuild() {
    const std::string title = "Build " + std::to_string(policy_.required_build);
    std::string evidence = "build " + std::to_string(os_.rtl.build);
    if (os_.kernel_file_version) evidence += ", ntoskrnl.exe " + os_.kernel_file_version->ToString();
    if (os_.rtl.build >= policy_.required_build) {
      Add("build", title, Outcome::kPass, evidence);
    } else {
      Add("build", title, Outcome::kFail, evidence, policy_.build_remedy);
    }
  }

  void CheckUpdate(const UpdateRequirement& req) {
    const KbEntry* pending = nullptr;
    uint32_t pending_state = 0;
    for (const KbEntry& kb : req.kbs) {
      auto it = states_.find(kb.kb);
      if (it == states_.end()) continue;
      if (CbsStateMeansPresent(it->second)) {
        std::string evidence = kb.kb + " " + CbsStateName(it->second);
        if (&kb != &req.kbs.front()) evidence += " (replaces " + req.kbs.front().kb + ")";
        Add(req.id, req.title, Outcome::kPass, evidence);
        return;
      }
      if (!pending && CbsStateMeansPending(it->second)) {
        pending = &kb;
        pending_state = it->second;
      }
    }
    if (pending) {
      Add(req.id, req.title, Outcome::kFail,
          pending->kb + " is " + CbsStateName(pending_state) + ", not installed yet",
          "restart the host to finish installing " + pending->kb + ", then check again");
      return;
    }
    // Name the update to install; a long list of its successors would bury it.
    std::string evidence =
        req.kbs.size() == 1 ? "none of " + req.kbs.front().kb
        : req.kbs.size() <= 3
            ? "none of " + JoinNames(req.kbs, [](const KbEntry& k) { return k.kb; })
            : "none of " + req.kbs.front().kb + " or the " + std::to_string(req.kbs.size() - 1) +
                  " later updates that replace it";
    evidence += " found in the servicing store";
    Add(req.id, req.title, Outcome::kFail, evidence, req.remedy);
  }

  void CheckRollup() {
    RollupPosition& pos = result_.rollup;
    pos.final_rollup = policy_.rollups.back();
    for (const RollupEntry& r : policy_.rollups) {
      auto it = states_.find(r.kb);
      if (!r.kb.empty() && it != states_.end() && CbsStateMeansPresent(it->second)) pos.by_kb = r;
      if (r.min_kernel && os_.kernel_file_version && *r.min_kernel <= *os_.kernel_file_version &&
          r.min_kernel->build == os_.kernel_file_version->build) {
        pos.by_kernel = r;
      }
    }
    if (pos.by_kb) pos.latest = pos.by_kb;
    if (pos.by_kernel && (!pos.latest || pos.latest->month < pos.by_kernel->month)) {
      pos.latest = pos.by_kernel;
    }

    const std::string title = "Monthly rollup";
    const RollupEntry& last = pos.final_rollup;
    const std::string final_text = "the final update (" + last.month.ToString() + ", " +
                                   (last.kb.empty() ? "ntoskrnl " + last.min_kernel->ToString() : last.kb) +
                                   ")";
    const std::string remedy = "install the newest monthly rollup the site allows; " + final_text +
                               " is the last one for Server 2008 SP2";
    const Outcome lag_outcome = policy_.max_months_behind ? Outcome::kFail : Outcome::kWarn;
    if (!pos.latest) {
      Add("rollup", title, lag_outcome,
          "no rollup from the catalogue found, by KB or by ntoskrnl.exe revision", remedy);
      return;
    }
    pos.months_behind = pos.final_rollup.month.Index() - pos.latest->month.Index();

    std::string evidence = "by KB: " + (pos.by_kb ? RollupLabel(*pos.by_kb) : std::string("none"));
    evidence += "; by ntoskrnl.exe " +
                (os_.kernel_file_version ? os_.kernel_file_version->ToString() : std::string("?")) +
                ": " +
                (pos.by_kernel ? RollupLabel(*pos.by_kernel) + " or later" : std::string("none"));
    evidence += "; " + std::to_string(*pos.months_behind) + " month" +
                (*pos.months_behind == 1 ? "" : "s") + " behind " + final_text;

    Outcome outcome = Outcome::kPass;
    if (*pos.months_behind > 0) {
      outcome = (policy_.max_months_behind && *pos.months_behind <= *policy_.max_months_behind)
                    ? Outcome::kWarn
                    : lag_outcome;
    }
    // A rollup whose KB is present but whose kernel is not on the host yet: the
    // update is waiting for a reboot, or ntoskrnl.exe was replaced.
    if (pos.by_kb && pos.by_kb->min_kernel && os_.kernel_file_version &&
        *os_.kernel_file_version < *pos.by_kb->min_kernel) {
      evidence += "; ntoskrnl.exe is older than " + pos.by_kb->min_kernel->ToString() + ", which " +
                  pos.by_kb->kb + " installs (reboot pending?)";
      if (outcome == Outcome::kPass) outcome = Outcome::kWarn;
    }
    Add("rollup", title, outcome, evidence, outcome == Outcome::kPass ? "" : remedy);
    CheckMinimumRollup();
  }

  // <rollups not-older-than="...">: the site's own floor, stricter than the
  // catalogue's age rule (esu-6003-strict).
  void CheckMinimumRollup() {
    if (!policy_.min_rollup) return;
    const RollupPosition& pos = result_.rollup;
    const std::string wanted = policy_.min_rollup->ToString();
    const std::string title = "Rollup " + wanted + " or later";
    std::string source;
    for (const ParameterValue& v : policy_.parameter_values) {
      if (v.value == wanted) source = " (parameter " + v.name + ", " + v.source + ")";
    }
    const std::string remedy = "install the " + wanted + " monthly rollup or a later one; " +
                               RollupLabel(policy_.rollups.back()) + " is the last one for Server 2008 SP2";
    if (!pos.latest) {
      Add("rollup-minimum", title, Outcome::kFail,
          "no rollup from the catalogue found on this host; the policy requires " + wanted + " or later" + source,
          remedy);
      return;
    }
    const bool ok = !(pos.latest->month < *policy_.min_rollup);
    Add("rollup-minimum", title, ok ? Outcome::kPass : Outcome::kFail,
        "newest rollup found: " + RollupLabel(*pos.latest) + "; the policy requires " + wanted + " or later" + source,
        ok ? "" : remedy);
  }

  const OsIdentity& os_;
  const Policy& policy_;
  std::map<std::string, uint32_t> states_;
  CheckResult result_;
};

}  // namespace

Result<CheckResult> EvaluatePolicy(const OsIdentity& os, std::vector<CbsPackage> packages,
                                   const Policy& policy) {
  if (os.native_architecture != Architecture::kX86 &&
      os.native_architecture != Architecture::kX64) {
    return Status::NotSupported(
        std::string("this host's processor architecture is ") +
        ArchitectureName(os.native_architecture) + " (" + OsDescription(os) +
        "); otharden runs on x86 and x64 hosts only");
  }
  if (os.rtl.major != policy.os_major || os.rtl.minor != policy.os_minor) {
    return Status::NotSupported(
        "this host runs " + OsDescription(os) + "; policy '" + policy.name + "' and otharden are for NT " +
        std::to_string(policy.os_major) + "." + std::to_string(policy.os_minor) +
        " (Windows Server 2008 SP2), so nothing was checked");
  }
  return Evaluator(os, policy, std::move(packages)).Run();
}

Result<CheckResult> RunCheck(Host& host, const Policy& policy) {
  Result<OsIdentity> os = host.ReadOsIdentity();
  if (!os.ok()) return os.status();
  Result<std::vector<CbsPackage>> packages = host.ListCbsPackages();
  if (!packages.ok()) return packages.status();
  return EvaluatePolicy(*os, std::move(*packages), policy);
}

}  // namespace otharden
