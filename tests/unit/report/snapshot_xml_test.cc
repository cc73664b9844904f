#include <catch2/catch.hpp>
#include <tinyxml2.h>

#include "toolkit/engine/snapshot.h"
#include "toolkit/platform/memory_host.h"
#include "toolkit/report/report_parts_xml.h"
#include "toolkit/report/snapshot_xml.h"

namespace otharden {
namespace {

// Host text is whatever an administrator or an installer typed: markup,
// quotes, non-ASCII, double spaces and pipes inside rule fields included.
HostSnapshot Sample() {
  HostSnapshot s;
  s.time = UtcTime::FromUnixSeconds(1795307112);
  OsIdentity& os = s.os;
  os.rtl = KernelVersionInfo{6, 0, 6003, "Service Pack 2", 2, 0, ProductType::kServer};
  os.registry.current_version = "6.0";
  os.registry.current_build_number = "6003";
  os.registry.csd_version = "Service Pack 2";
  os.registry.build_lab = "6003.vistasp2_ldr_escrow.220406-1600";
  os.registry.product_name = "Windows Server (R) 2008 <Standard> & \"more\"";
  os.kernel_file_version = FileVersion::Parse("6.0.6003.21481");
  os.kernel_path = "C:\\Windows\\System32\\ntoskrnl.exe (read through Sysnative)";
  os.native_architecture = Architecture::kX64;
  os.process_architecture = Architecture::kX86;
  os.host_name = "PACS-<01> \xC3\xA9";
  os.domain_or_workgroup = "HOSPITAL";
  os.domain_joined = true;
  s.packages = {{"Package_for_KB5014010~31bf3856ad364e35~amd64~~6.0.1.5", "KB5014010", 0x70},
                {"Package_for_RollupFix~31bf3856ad364e35~amd64~~6003.21481.1.5", "", 0x65}};
  ServiceConfig a;
  a.name = "PacsBackup";
  a.display_name = "PACS \"Backup\" <Agent> & co";
  a.start = ServiceStartType::kAuto;
  a.delayed_auto_start = true;
  a.running = true;
  a.accepts_stop = true;
  ServiceConfig b;
  b.name = "StubbornSvc";
  b.display_name = "";
  b.start = ServiceStartType::kDisabled;
  b.delayed_auto_start.reset();
  b.running = true;
  b.accepts_stop = false;
  s.services = {a, b};
  FirewallSnapshot fw;
  fw.profiles = {{FirewallProfile::kDomain, true, FirewallAction::kAllow, FirewallAction::kAllow},
                 {FirewallProfile::kPrivate, false, FirewallAction::kBlock, FirewallAction::kAllow},
                 {FirewallProfile::kPublic, true, FirewallAction::kBlock, FirewallAction::kBlock}};
  fw.current_profiles = 1 | 4;
  for (const char* text :
       {"v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|LPort=11112|RA4=10.20.0.0/255.255.0.0|"
        "App=C:\\PACS\\bin\\pacsstore.exe|Name=PACS <Image> Store & \"DICOM\"|Desc=two  spaces|"
        "EmbedCtxt=PACS Vendor|",
        "V2.0|Action=Block|Dir=out|App=%SystemRoot%\\system32\\svchost.exe|Svc=dnscache|Name=@FirewallAPI.dll,-28753|",
        "v2.10|Action=Allow|Active=FALSE|Dir=In|Protocol=17|LPort2_10=5000-5020|Profile=Private|Name=Range|"}) {
    Result<FirewallRule> rule = ParseFirewallRule(text);
    REQUIRE(rule.ok());
    fw.rules.push_back(*rule);
  }
  s.firewall = fw;
  return s;
}

std::string Xml(const HostSnapshot& s) {
  ReportContext context;
  context.tool = ToolIdentity{"9.9.9", "x64", "test build"};
  context.operator_name = "J. <Tech>";
  context.time = s.time;
  context.command = "snapshot";
  return SnapshotReportXml(s, context);
}

void CheckEqual(const HostSnapshot& x, const HostSnapshot& y) {
  CHECK(x.time.Iso8601() == y.time.Iso8601());
  CHECK(x.os.host_name == y.os.host_name);
  CHECK(x.os.domain_or_workgroup == y.os.domain_or_workgroup);
  CHECK(x.os.domain_joined == y.os.domain_joined);
  CHECK(RtlVersionString(x.os.rtl) == RtlVersionString(y.os.rtl));
  CHECK(x.os.rtl.csd == y.os.rtl.csd);
  CHECK(x.os.rtl.service_pack_major == y.os.rtl.service_pack_major);
  CHECK(x.os.rtl.service_pack_minor == y.os.rtl.service_pack_minor);
  CHECK(x.os.rtl.product_type == y.os.rtl.product_type);
  CHECK(x.os.registry.current_version == y.os.registry.current_version);
  CHECK(x.os.registry.current_build_number == y.os.registry.current_build_number);
  CHECK(x.os.registry.csd_version == y.os.registry.csd_version);
  CHECK(x.os.registry.build_lab == y.os.registry.build_lab);
  CHECK(x.os.registry.build_lab_ex == y.os.registry.build_lab_ex);
  CHECK(x.os.registry.product_name == y.os.registry.product_name);
  CHECK(x.os.kernel_file_version == y.os.kernel_file_version);
  CHECK(x.os.kernel_path == y.os.kernel_path);
  CHECK(x.os.kernel_error == y.os.kernel_error);
  CHECK(x.os.native_architecture == y.os.native_architecture);
  CHECK(x.os.process_architecture == y.os.process_architecture);
  REQUIRE(x.packages.size() == y.packages.size());
  for (size_t i = 0; i < x.packages.size(); ++i) {
    CHECK(x.packages[i].name == y.packages[i].name);
    CHECK(x.packages[i].kb == y.packages[i].kb);
    CHECK(x.packages[i].current_state == y.packages[i].current_state);
  }
  REQUIRE(x.services.size() == y.services.size());
  for (size_t i = 0; i < x.services.size(); ++i) {
    CHECK(x.services[i].name == y.services[i].name);
    CHECK(x.services[i].display_name == y.services[i].display_name);
    CHECK(x.services[i].start == y.services[i].start);
    CHECK(x.services[i].delayed_auto_start == y.services[i].delayed_auto_start);
    CHECK(x.services[i].running == y.services[i].running);
    CHECK(x.services[i].accepts_stop == y.services[i].accepts_stop);
  }
  REQUIRE(x.firewall.has_value() == y.firewall.has_value());
  CHECK(x.firewall_error == y.firewall_error);
  if (!x.firewall) return;
  CHECK(x.firewall->current_profiles == y.firewall->current_profiles);
  REQUIRE(x.firewall->profiles.size() == y.firewall->profiles.size());
  for (size_t i = 0; i < x.firewall->profiles.size(); ++i) CHECK(x.firewall->profiles[i] == y.firewall->profiles[i]);
  REQUIRE(x.firewall->rules.size() == y.firewall->rules.size());
  for (size_t i = 0; i < x.firewall->rules.size(); ++i) {
    CHECK(FormatFirewallRule(x.firewall->rules[i]) == FormatFirewallRule(y.firewall->rules[i]));
  }
}

TEST_CASE("a snapshot written and read back is the same snapshot") {
  const HostSnapshot original = Sample();
  const std::string xml = Xml(original);
  CHECK(xml.find("<b>") == std::string::npos);
  CHECK(xml.find("PACS &lt;Image&gt; Store &amp; &quot;DICOM&quot;") != std::string::npos);
  Result<SnapshotFile> file = ParseSnapshotFile("s.xml", xml);
  REQUIRE(file.ok());
  CHECK(file->kind == "snapshot");
  REQUIRE(file->snapshots.size() == 1);
  CHECK(file->snapshots[0].first == "current");
  CheckEqual(original, file->snapshots[0].second);
  CHECK(DiffSnapshots(original, file->snapshots[0].second).empty());
  // Rule strings come back byte for byte, double spaces and tabs included.
  CHECK(FormatFirewallRule(file->snapshots[0].second.firewall->rules[0]) ==
        original.firewall->rules[0].source->text);
  // And writing the read snapshot again gives the same document.
  CHECK(Xml(file->snapshots[0].second) == xml);
}

TEST_CASE("an unreadable firewall, a workgroup host and an unreadable kernel round-trip") {
  HostSnapshot original = Sample();
  original.firewall.reset();
  original.firewall_error = "the firewall API answered E_NOTIMPL (not implemented)";
  original.os.domain_joined = false;
  original.os.domain_or_workgroup = "WORKGROUP";
  original.os.kernel_file_version.reset();
  original.os.kernel_error = "GetFileVersionInfoSizeW failed: Access is denied (5)";
  original.os.registry = RegistryVersionInfo{};
  original.packages.clear();
  original.services.clear();
  Result<SnapshotFile> file = ParseSnapshotFile("s.xml", Xml(original));
  REQUIRE(file.ok());
  CheckEqual(original, file->snapshots[0].second);
}

// Replaces the first `from` in `text` by `to`.
std::string Edit(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

void Refused(const std::string& xml, const std::string& message) {
  Result<SnapshotFile> file = ParseSnapshotFile("bad.xml", xml);
  REQUIRE_FALSE(file.ok());
  CHECK(file.status().code() == Status::Code::kInvalidInput);
  CHECK_THAT(file.status().message(), Catch::Matches("bad\\.xml:[0-9]+: .*"));
  CHECK_THAT(file.status().message(), Catch::Contains(message));
}

TEST_CASE("reading is strict: every problem names file, line and what is wrong") {
  const std::string xml = Xml(Sample());
  Refused(Edit(xml, "<service name=\"PacsBackup\"", "<service colour=\"red\" name=\"PacsBackup\""),
          "unknown attribute 'colour' on <service>");
  Refused(Edit(xml, "<services count=\"2\">", "<services count=\"2\"><svc/>"), "unknown element <svc> inside <services>");
  Refused(Edit(xml, "start=\"disabled\"", "start=\"off\""), "start 'off' is not boot, system, auto, manual or disabled");
  Refused(Edit(xml, "running=\"true\"", "running=\"yes\""), "'running' on <service> is 'yes', not true or false");
  Refused(Edit(xml, "<services count=\"2\">", "<services count=\"3\">"), "<services> says count=3 but holds 2");
  Refused(Edit(xml, "rule-count=\"3\"", "rule-count=\"2\""), "<firewall> says rule-count=2 but holds 3");
  Refused(Edit(xml, "text=\"V2.0|Action=Block", "text=\"V2.0|Action=Maybe"), "firewall rule:");
  Refused(Edit(xml, "state-code=\"112\"", "state-code=\"-1\""), "'state-code' on <package> is '-1'");
  Refused(Edit(xml, "role=\"current\"", "role=\"before\""), "role 'current', not 'before'");
  Refused(Edit(xml, "current-profiles=\"domain public\"", "current-profiles=\"domain office\""),
          "current-profiles names 'office'");
  Refused(Edit(xml, "file-version=\"6.0.6003.21481\"", "file-version=\"6.0.6003\""), "is not like 6.0.6003.21481");
  Refused(Edit(xml, "<firewall ", "<firewall-unreadable error=\"x\"/><firewall "),
          "needs either <firewall> or <firewall-unreadable>");
  Refused(Edit(xml, "<updates ", "<updates colour=\"x\" "), "unknown attribute 'colour' on <updates>");
  Refused(Edit(xml, "kind=\"snapshot\"", "kind=\"check\""), "this is a check report");
  Refused(Edit(xml, "kind=\"snapshot\"", "kind=\"plan\""), "report kind 'plan' is not one diff reads");
  Refused(Edit(xml, "format=\"1\"", "format=\"2\""), "report format '2' is not one this otharden reads");
  Refused(Edit(xml, "<tool ", "<tool colour=\"x\" "), "unknown attribute 'colour' on <tool>");
  Result<SnapshotFile> broken = ParseSnapshotFile("bad.xml", xml.substr(0, xml.size() / 2));
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.status().message(), Catch::Contains("not well-formed XML"));
}

TEST_CASE("an apply report's snapshots are read in file order") {
  tinyxml2::XMLDocument doc;
  ReportContext context;
  context.command = "apply";
  tinyxml2::XMLElement* root = AppendReportRoot(&doc, "apply", context);
  HostSnapshot before = Sample(), after = Sample();
  after.services[0].start = ServiceStartType::kDisabled;
  AppendSnapshotXml(root, before, "before");
  AppendDifferencesXml(root, DiffSnapshots(before, after));
  AppendSnapshotXml(root, after, "after");
  Result<SnapshotFile> file = ParseSnapshotFile("apply.xml", PrintXml(&doc));
  REQUIRE(file.ok());
  CHECK(file->kind == "apply");
  REQUIRE(file->snapshots.size() == 2);
  CHECK(file->snapshots[0].first == "before");
  CHECK(file->snapshots[1].first == "after");
  std::vector<SnapshotDifference> d = DiffSnapshots(file->snapshots[0].second, file->snapshots[1].second);
  REQUIRE(d.size() == 1);
  CHECK(d[0].before == "auto (delayed), running");
  CHECK(d[0].after == "disabled, running");
  const std::string text = PrintXml(&doc);
  CHECK(text.find("<differences count=\"1\">") != std::string::npos);
  CHECK(text.find("area=\"service\" item=\"PacsBackup\" before=\"auto (delayed), running\" after=\"disabled, running\"") !=
        std::string::npos);
}

TEST_CASE("TakeSnapshot reads every service, sorted by name, and keeps a firewall error") {
  MemoryHost host;
  host.os.host_name = "H";
  host.AddService("spooler", ServiceStartType::kAuto, true);
  host.AddService("RemoteRegistry", ServiceStartType::kAuto, true);
  host.AddService("Browser", ServiceStartType::kDisabled, false);
  host.AddPackage("KB5014010", 0x70);
  host.firewall.reset();
  Result<HostSnapshot> s = TakeSnapshot(host);
  REQUIRE(s.ok());
  REQUIRE(s->services.size() == 3);
  CHECK(s->services[0].name == "Browser");
  CHECK(s->services[1].name == "RemoteRegistry");
  CHECK(s->services[2].name == "spooler");
  CHECK_FALSE(s->firewall.has_value());
  CHECK_THAT(s->firewall_error, Catch::Contains("E_NOTIMPL"));
  CHECK(s->packages.size() == 1);
  CHECK(host.calls.empty());  // a snapshot changes nothing
}

TEST_CASE("TakeSnapshot fails when the services or the OS cannot be read") {
  MemoryHost host;
  host.services_failure = Status::AccessDenied("the Service Control Manager: OpenSCManagerW failed: Access is denied (5)");
  Result<HostSnapshot> s = TakeSnapshot(host);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Status::Code::kAccessDenied);
  host.services_failure.reset();
  host.os_failure = Status::NotSupported("not Windows");
  CHECK_FALSE(TakeSnapshot(host).ok());
}

TEST_CASE("MemoryHost lists exactly the services it was given") {
  MemoryHost host;
  CHECK(host.ListServices()->empty());
  host.AddService("A", ServiceStartType::kAuto, true).display_name = "Alpha";
  host.AddService("B", ServiceStartType::kDisabled, false);
  Result<std::vector<ServiceConfig>> listed = host.ListServices();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].display_name == "Alpha");
  CHECK((*listed)[1].start == ServiceStartType::kDisabled);
}

}  // namespace
}  // namespace otharden
