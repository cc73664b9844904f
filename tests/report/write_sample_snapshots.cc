// Writes two snapshot reports of one in-memory host, before and after three
// known changes, so that snapshot_test.sh can validate, sign, verify and diff
// them on the native build. The host is a test double (MemoryHost), not a
// simulation of Windows; tests/e2e/snapshot_e2e.sh takes snapshots on the
// simulated 2008 host.
#include <cstdio>
#include <string>

#include "toolkit/engine/snapshot.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/memory_host.h"
#include "toolkit/report/snapshot_xml.h"

namespace otharden {
namespace {

FirewallRule Rule(const std::string& text) {
  Result<FirewallRule> rule = ParseFirewallRule(text);
  if (!rule.ok()) {
    std::fprintf(stderr, "%s\n", rule.status().ToString().c_str());
    std::exit(1);
  }
  return *rule;
}

Status Write(MemoryHost& host, int64_t unix_time, const std::string& path) {
  Result<HostSnapshot> snapshot = TakeSnapshot(host);
  if (!snapshot.ok()) return snapshot.status();
  snapshot->time = UtcTime::FromUnixSeconds(unix_time);
  ReportContext context{ToolIdentity{"0.0.0-sample", "native", "sample"}, std::string(64, 'c'),
                        "Sample <Operator>", snapshot->time, "snapshot"};
  return WriteFileAtomically(path, SnapshotReportXml(*snapshot, context));
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_sample_snapshots OUTDIR  (writes before.xml and after.xml)\n");
    return 2;
  }
  const std::string out = argv[1];
  MemoryHost host;
  host.os.rtl = KernelVersionInfo{6, 0, 6003, "Service Pack 2", 2, 0, ProductType::kServer};
  host.os.registry.current_version = "6.0";
  host.os.registry.current_build_number = "6003";
  host.os.registry.product_name = "Windows Server (R) 2008 Standard";
  host.os.kernel_file_version = FileVersion::Parse("6.0.6003.21481");
  host.os.kernel_path = "C:\\Windows\\System32\\ntoskrnl.exe";
  host.os.native_architecture = Architecture::kX64;
  host.os.process_architecture = Architecture::kX64;
  host.os.host_name = "SCANNER-04";
  host.os.domain_or_workgroup = "HOSPITAL";
  host.os.domain_joined = true;
  host.AddPackage("KB5014010", 0x70);
  host.AddPackage("KB4474419", 0x70);
  host.AddService("RemoteRegistry", ServiceStartType::kAuto, true).display_name = "Remote Registry";
  host.AddService("Spooler", ServiceStartType::kAuto, true).display_name = "Print Spooler";
  host.AddService("PacsStore", ServiceStartType::kAuto, true).display_name = "PACS <Image> Store & \"Co\"";
  FirewallSnapshot fw;
  fw.profiles = {{FirewallProfile::kDomain, true, FirewallAction::kAllow, FirewallAction::kAllow},
                 {FirewallProfile::kPrivate, false, FirewallAction::kBlock, FirewallAction::kAllow},
                 {FirewallProfile::kPublic, true, FirewallAction::kBlock, FirewallAction::kAllow}};
  fw.current_profiles = 1;
  fw.rules = {Rule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|Name=Remote Desktop (TCP-In)|"
                   "EmbedCtxt=Remote Desktop|")};
  host.firewall = fw;

  Status s = EnsureDirectory(out);
  if (s.ok()) s = Write(host, 1795307112, out + "/before.xml");
  // The three changes the test expects `diff` to report, nothing else.
  if (s.ok()) s = host.SetServiceStart("RemoteRegistry", ServiceStartType::kDisabled, std::nullopt);
  if (s.ok()) s = host.StopServiceAndWait("RemoteRegistry", std::chrono::seconds(1));
  if (s.ok()) {
    FirewallProfileState domain = host.firewall->profiles[0];
    domain.default_inbound = FirewallAction::kBlock;
    s = host.SetFirewallProfile(domain);
  }
  if (s.ok()) {
    s = host.AddFirewallRule(Rule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|"
                                  "RA4=10.20.0.0/255.255.0.0|Name=PACS <DICOM> & Store|"));
  }
  if (s.ok()) s = Write(host, 1795307112 + 3600, out + "/after.xml");
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  return 0;
}

}  // namespace
}  // namespace otharden

int main(int argc, char** argv) { return otharden::Main(argc, argv); }
