#include <catch2/catch.hpp>

#include "toolkit/engine/check.h"
#include "toolkit/platform/memory_host.h"

namespace otharden {
namespace {

const Policy& EsuPolicy() {
  static const Policy policy = [] {
    Result<Policy> p = LoadPolicyFile(OTHARDEN_SOURCE_DIR "/policies/esu-6003.xml");
    REQUIRE(p.ok());
    return *p;
  }();
  return policy;
}

// A Server 2008 SP2 x64 host as RtlGetVersion, the registry and ntoskrnl.exe
// agree on it; tests change what they need.
MemoryHost ServerHost(uint32_t build, const std::string& kernel) {
  MemoryHost host;
  OsIdentity& os = host.os;
  os.rtl = KernelVersionInfo{6, 0, build, "Service Pack 2", 2, 0, ProductType::kServer};
  os.registry.current_version = "6.0";
  os.registry.current_build_number = std::to_string(build);
  os.registry.csd_version = "Service Pack 2";
  os.registry.product_name = "Windows Server (R) 2008 Standard";
  os.kernel_file_version = FileVersion::Parse(kernel);
  os.kernel_path = "C:\\Windows\\System32\\ntoskrnl.exe";
  os.native_architecture = Architecture::kX64;
  os.process_architecture = Architecture::kX64;
  os.host_name = "SCANNER-01";
  os.domain_or_workgroup = "WORKGROUP";
  return host;
}

const Finding& FindingFor(const CheckResult& r, const std::string& id) {
  for (const Finding& f : r.findings) {
    if (f.id == id) return f;
  }
  FAIL("no finding " << id);
  throw 0;
}

CheckResult Check(MemoryHost& host) {
  Result<CheckResult> r = RunCheck(host, EsuPolicy());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("vanilla 6002 fails on the build and says which update moves it to 6003") {
  MemoryHost host = ServerHost(6002, "6.0.6002.18005");
  CheckResult r = Check(host);
  CHECK_FALSE(r.compliant());
  const Finding& build = FindingFor(r, "build");
  CHECK(build.outcome == Outcome::kFail);
  CHECK(build.evidence == "build 6002, ntoskrnl.exe 6.0.6002.18005");
  CHECK(build.remedy.find("KB4489887") != std::string::npos);
  CHECK(FindingFor(r, "sha2-signing").outcome == Outcome::kFail);
  CHECK(FindingFor(r, "rollup").outcome == Outcome::kWarn);
  CHECK_FALSE(r.rollup.latest);
}

TEST_CASE("6002 with the March 2019 rollup KB4489880 is still 6002") {
  MemoryHost host = ServerHost(6002, "6.0.6002.24564");
  host.AddPackage("KB4489880", 0x70);
  CheckResult r = Check(host);
  CHECK_FALSE(r.compliant());
  CHECK(FindingFor(r, "build").outcome == Outcome::kFail);
  // Its kernel revision is numerically above 6003's but it is not a 6003 rollup.
  CHECK_FALSE(r.rollup.by_kernel);
}

TEST_CASE("6003 in May 2022 with every prerequisite is compliant and 44 months behind") {
  MemoryHost host = ServerHost(6003, "6.0.6003.21481");
  host.AddPackage("KB4474419", 0x70);
  host.AddPackage("KB4493730", 0x70);
  host.AddPackage("KB4538484", 0x70);
  host.AddPackage("KB4493471", 0x50);
  host.AddPackage("KB5014010", 0x70);
  CheckResult r = Check(host);
  CHECK(r.compliant());
  CHECK(r.Count(Outcome::kFail) == 0);
  REQUIRE(r.rollup.latest);
  CHECK(r.rollup.latest->kb == "KB5014010");
  CHECK(r.rollup.by_kb->kb == "KB5014010");
  CHECK(r.rollup.by_kernel->kb == "KB5014010");
  const int expected = r.rollup.final_rollup.month.Index() - YearMonth{2022, 5}.Index();
  CHECK(*r.rollup.months_behind == expected);
  const Finding& rollup = FindingFor(r, "rollup");
  CHECK(rollup.outcome == (expected > 0 ? Outcome::kWarn : Outcome::kPass));
  CHECK(rollup.evidence.find(std::to_string(expected) + " months behind the final update") !=
        std::string::npos);
}

TEST_CASE("6003 without KB4474419 fails that requirement only") {
  MemoryHost host = ServerHost(6003, "6.0.6003.21481");
  host.AddPackage("KB4493730", 0x70);
  host.AddPackage("KB4538484", 0x70);
  host.AddPackage("KB5014010", 0x70);
  CheckResult r = Check(host);
  CHECK_FALSE(r.compliant());
  CHECK(r.Count(Outcome::kFail) == 1);
  const Finding& sha2 = FindingFor(r, "sha2-signing");
  CHECK(sha2.outcome == Outcome::kFail);
  CHECK(sha2.remedy.find("KB4474419") != std::string::npos);
}

TEST_CASE("a missing servicing stack names the update to install, not every successor") {
  MemoryHost host = ServerHost(6003, "6.0.6003.20489");
  CheckResult r = Check(host);
  const Finding& ssu = FindingFor(r, "servicing-stack");
  CHECK(ssu.outcome == Outcome::kFail);
  CHECK(ssu.evidence.find("none of KB4493730 or the ") == 0);
  CHECK(ssu.evidence.find("later updates that replace it found in the servicing store") != std::string::npos);
}

TEST_CASE("a later servicing stack update satisfies the requirement") {
  MemoryHost host = ServerHost(6003, "6.0.6003.20489");
  host.AddPackage("KB4517134", 0x70);
  CheckResult r = Check(host);
  CHECK(FindingFor(r, "servicing-stack").outcome == Outcome::kPass);
  CHECK(FindingFor(r, "servicing-stack").evidence == "KB4517134 installed (replaces KB4493730)");
}

TEST_CASE("a superseded prerequisite still counts, a pending one does not") {
  MemoryHost host = ServerHost(6003, "6.0.6003.20489");
  host.AddPackage("KB4493730", 0x50);
  host.AddPackage("KB4474419", 0x60);
  CheckResult r = Check(host);
  CHECK(FindingFor(r, "servicing-stack").outcome == Outcome::kPass);
  CHECK(FindingFor(r, "servicing-stack").evidence == "KB4493730 superseded");
  const Finding& sha2 = FindingFor(r, "sha2-signing");
  CHECK(sha2.outcome == Outcome::kFail);
  CHECK(sha2.evidence == "KB4474419 is install pending, not installed yet");
  CHECK(sha2.remedy.find("restart") != std::string::npos);
}

TEST_CASE("the kernel revision finds a rollup the servicing store does not list") {
  MemoryHost host = ServerHost(6003, "6.0.6003.20600");
  CheckResult r = Check(host);
  CHECK_FALSE(r.rollup.by_kb);
  REQUIRE(r.rollup.by_kernel);
  CHECK(r.rollup.by_kernel->kb == "KB4512476");  // 2019-08, min .20597
}

TEST_CASE("the final January 2026 update is recognised by its kernel revision alone") {
  MemoryHost host = ServerHost(6003, "6.0.6003.23717");
  host.AddPackage("KB4474419", 0x70);
  host.AddPackage("KB4493730", 0x50);
  host.AddPackage("KB4538484", 0x70);
  CheckResult r = Check(host);
  CHECK(r.compliant());
  REQUIRE(r.rollup.by_kernel);
  CHECK(r.rollup.by_kernel->month.ToString() == "2026-01");
  CHECK(*r.rollup.months_behind == 0);
  const Finding& rollup = FindingFor(r, "rollup");
  CHECK(rollup.outcome == Outcome::kPass);
  CHECK(rollup.evidence.find("0 months behind the final update (2026-01, ntoskrnl 6.0.6003.23717)") !=
        std::string::npos);
}

TEST_CASE("a rollup KB whose kernel is not in place yet is a warning") {
  MemoryHost host = ServerHost(6003, "6.0.6003.20489");
  host.AddPackage("KB5014010", 0x70);
  CheckResult r = Check(host);
  CHECK(r.rollup.latest->kb == "KB5014010");
  CHECK(FindingFor(r, "rollup").evidence.find("reboot pending?") != std::string::npos);
}

TEST_CASE("when RtlGetVersion and the registry disagree, check says so") {
  MemoryHost host = ServerHost(6002, "6.0.6003.20489");
  host.os.registry.current_build_number = "6003";
  CheckResult r = Check(host);
  const Finding& f = FindingFor(r, "version-sources");
  CHECK(f.outcome == Outcome::kWarn);
  CHECK(f.evidence.find("registry CurrentBuildNumber is 6003, RtlGetVersion says 6002") !=
        std::string::npos);
  CHECK(f.evidence.find("ntoskrnl.exe is 6.0.6003.20489, RtlGetVersion says build 6002") !=
        std::string::npos);
}

TEST_CASE("a Vista workstation is inspected but fails the product type") {
  MemoryHost host = ServerHost(6003, "6.0.6003.21481");
  host.os.rtl.product_type = ProductType::kWorkstation;
  host.os.registry.product_name = "Windows Vista (TM) Business";
  CheckResult r = Check(host);
  CHECK_FALSE(r.compliant());
  const Finding& os = FindingFor(r, "os");
  CHECK(os.outcome == Outcome::kFail);
  CHECK(os.evidence.find("not workstation") != std::string::npos);
}

TEST_CASE("hosts that cannot be judged are refused with what was found") {
  SECTION("Server 2008 R2") {
    MemoryHost host = ServerHost(7601, "6.1.7601.24545");
    host.os.rtl.minor = 1;
    host.os.registry.product_name = "Windows Server 2008 R2 Standard";
    Result<CheckResult> r = RunCheck(host, EsuPolicy());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kNotSupported);
    CHECK(r.status().message().find("Windows NT 6.1.7601 Service Pack 2 (Windows Server 2008 R2 "
                                    "Standard)") != std::string::npos);
  }
  SECTION("IA-64") {
    MemoryHost host = ServerHost(6003, "6.0.6003.21481");
    host.os.native_architecture = Architecture::kIA64;
    Result<CheckResult> r = RunCheck(host, EsuPolicy());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kNotSupported);
    CHECK(r.status().message().find("architecture is ia64") != std::string::npos);
  }
  SECTION("a host that refuses to be read") {
    MemoryHost host = ServerHost(6003, "6.0.6003.21481");
    host.packages_failure = Status::AccessDenied("registry key 'Packages': access denied");
    Result<CheckResult> r = RunCheck(host, EsuPolicy());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kAccessDenied);
  }
}

}  // namespace otharden
