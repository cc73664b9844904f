#include <algorithm>
#include <catch2/catch.hpp>

#include "toolkit/model/snapshot.h"

namespace otharden {
namespace {

ServiceConfig Service(const std::string& name, ServiceStartType start, bool running,
                      std::optional<bool> delayed = false) {
  ServiceConfig s;
  s.name = name;
  s.display_name = name + " display";
  s.start = start;
  s.running = running;
  s.delayed_auto_start = delayed;
  return s;
}

FirewallRule Rule(const std::string& text) {
  Result<FirewallRule> rule = ParseFirewallRule(text);
  REQUIRE(rule.ok());
  return *rule;
}

HostSnapshot Base() {
  HostSnapshot s;
  s.os.rtl = KernelVersionInfo{6, 0, 6003, "Service Pack 2", 2, 0, ProductType::kServer};
  s.os.registry.current_build_number = "6003";
  s.os.kernel_file_version = FileVersion::Parse("6.0.6003.21481");
  s.os.host_name = "SCANNER-04";
  s.packages = {{"Package_for_KB5014010~31bf3856ad364e35~amd64~~6.0.1.5", "KB5014010", 0x70},
                {"Package_for_KB4474419~31bf3856ad364e35~amd64~~6.0.1.2", "KB4474419", 0x70}};
  s.services = {Service("RemoteRegistry", ServiceStartType::kAuto, true),
                Service("Spooler", ServiceStartType::kAuto, true),
                Service("PacsBackup", ServiceStartType::kAuto, true, true)};
  FirewallSnapshot fw;
  fw.profiles = {{FirewallProfile::kDomain, true, FirewallAction::kAllow, FirewallAction::kAllow},
                 {FirewallProfile::kPrivate, false, FirewallAction::kBlock, FirewallAction::kAllow},
                 {FirewallProfile::kPublic, true, FirewallAction::kBlock, FirewallAction::kAllow}};
  fw.current_profiles = 1;
  fw.rules = {Rule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|Name=Remote Desktop (TCP-In)|"),
              Rule("v2.0|Action=Allow|Dir=In|Protocol=6|LPort=445|Name=File and Printer Sharing (SMB-In)|")};
  s.firewall = fw;
  return s;
}

std::vector<std::string> Lines(const std::vector<SnapshotDifference>& differences) {
  std::vector<std::string> lines;
  for (const SnapshotDifference& d : differences) {
    lines.push_back(d.area + " " + d.item + ": " + d.before + " -> " + d.after);
  }
  return lines;
}

TEST_CASE("identical snapshots have no differences, whenever they were taken") {
  HostSnapshot a = Base(), b = Base();
  b.time = UtcTime::FromUnixSeconds(1795307112);
  CHECK(DiffSnapshots(a, b).empty());
}

TEST_CASE("service changes read as start type and running state, before and after") {
  HostSnapshot a = Base(), b = Base();
  b.services[0].start = ServiceStartType::kDisabled;
  b.services[0].running = false;
  b.services[1].start = ServiceStartType::kDemand;
  b.services[2].delayed_auto_start = false;                            // delayed -> plain auto
  b.services.push_back(Service("NewVendorSvc", ServiceStartType::kDemand, false));
  a.services.push_back(Service("fax", ServiceStartType::kDemand, false));
  CHECK(Lines(DiffSnapshots(a, b)) == std::vector<std::string>{
                                         "service fax: manual, stopped -> absent",
                                         "service NewVendorSvc: absent -> manual, stopped",
                                         "service PacsBackup: auto (delayed), running -> auto, running",
                                         "service RemoteRegistry: auto, running -> disabled, stopped",
                                         "service Spooler: auto, running -> manual, running",
                                     });
}

TEST_CASE("service names compare case-insensitively, as the SCM does") {
  HostSnapshot a = Base(), b = Base();
  b.services[0].name = "REMOTEREGISTRY";
  CHECK(DiffSnapshots(a, b).empty());
  b.services[0].running = false;
  CHECK(Lines(DiffSnapshots(a, b)) ==
        std::vector<std::string>{"service RemoteRegistry: auto, running -> auto, stopped"});
}

TEST_CASE("an unknown delayed flag equals 'not delayed' (Wine cannot tell)") {
  HostSnapshot a = Base(), b = Base();
  b.services[0].delayed_auto_start.reset();
  CHECK(DiffSnapshots(a, b).empty());
}

TEST_CASE("firewall rules: added, removed and switched on or off, by identity") {
  HostSnapshot a = Base(), b = Base();
  b.firewall->rules[1].active = true;  // SMB enabled
  b.firewall->rules.erase(b.firewall->rules.begin());  // RDP removed
  b.firewall->rules.push_back(Rule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|"
                                   "RA4=10.20.0.0/255.255.0.0|Name=DICOM|"));
  CHECK(Lines(DiffSnapshots(a, b)) ==
        std::vector<std::string>{
            "firewall-rule DICOM: absent -> enabled, allow in TCP 104 from 10.20.0.0/16",
            "firewall-rule File and Printer Sharing (SMB-In): disabled, allow in TCP 445 from any -> enabled, "
            "allow in TCP 445 from any",
            "firewall-rule Remote Desktop (TCP-In): enabled, allow in TCP 3389 from any -> absent",
        });
}

TEST_CASE("a rule whose port changed is one removed and one added") {
  HostSnapshot a = Base(), b = Base();
  b.firewall->rules[0] = Rule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3390|Name=Remote Desktop (TCP-In)|");
  std::vector<SnapshotDifference> d = DiffSnapshots(a, b);
  REQUIRE(d.size() == 2);
  CHECK(d[0].item == "Remote Desktop (TCP-In)");
  CHECK(d[1].item == "Remote Desktop (TCP-In)");
  CHECK(((d[0].before == "absent") != (d[1].before == "absent")));
}

TEST_CASE("identical twin rules: only the surplus is reported") {
  HostSnapshot a = Base(), b = Base();
  b.firewall->rules.push_back(b.firewall->rules[0]);
  CHECK(Lines(DiffSnapshots(a, b)) ==
        std::vector<std::string>{"firewall-rule Remote Desktop (TCP-In): absent -> enabled, allow in TCP 3389 from any"});
}

TEST_CASE("firewall profiles and the current profile") {
  HostSnapshot a = Base(), b = Base();
  b.firewall->profiles[0].default_inbound = FirewallAction::kBlock;
  b.firewall->profiles[1].enabled = true;
  b.firewall->current_profiles = 1 | 4;
  CHECK(Lines(DiffSnapshots(a, b)) ==
        std::vector<std::string>{
            "firewall-profile current profiles: domain -> domain, public",
            "firewall-profile domain: firewall on, inbound allow, outbound allow -> firewall on, inbound block, "
            "outbound allow",
            "firewall-profile private: firewall off, inbound block, outbound allow -> firewall on, inbound block, "
            "outbound allow",
        });
}

TEST_CASE("a firewall readable on one side only is one difference, not every rule") {
  HostSnapshot a = Base(), b = Base();
  b.firewall.reset();
  b.firewall_error = "the firewall API answered E_NOTIMPL";
  CHECK(Lines(DiffSnapshots(a, b)) ==
        std::vector<std::string>{
            "firewall firewall: readable, 2 rules -> unreadable (the firewall API answered E_NOTIMPL)"});
}

TEST_CASE("updates and OS: added, removed, state changed, kernel and build") {
  HostSnapshot a = Base(), b = Base();
  b.packages[1].current_state = 0x50;
  b.packages.push_back({"Package_for_KB5014752~31bf3856ad364e35~amd64~~6.0.1.3", "KB5014752", 0x70});
  b.packages.erase(b.packages.begin());
  b.os.kernel_file_version = FileVersion::Parse("6.0.6003.21529");
  b.os.rtl.build = 6002;
  b.os.registry.current_build_number = "6002";
  CHECK(Lines(DiffSnapshots(a, b)) ==
        std::vector<std::string>{
            "os version: 6.0.6003 Service Pack 2 -> 6.0.6002 Service Pack 2",
            "os build number (registry): 6003 -> 6002",
            "os ntoskrnl.exe: 6.0.6003.21481 -> 6.0.6003.21529",
            "update Package_for_KB4474419~31bf3856ad364e35~amd64~~6.0.1.2: installed (0x70) -> superseded (0x50)",
            "update Package_for_KB5014010~31bf3856ad364e35~amd64~~6.0.1.5: installed (0x70) -> absent",
            "update Package_for_KB5014752~31bf3856ad364e35~amd64~~6.0.1.3: absent -> installed (0x70)",
        });
}

TEST_CASE("areas come in a fixed order, whatever order the hosts listed things in") {
  HostSnapshot a = Base(), b = Base();
  b.firewall->profiles[2].enabled = false;
  b.services[1].running = false;
  b.os.kernel_file_version.reset();
  std::reverse(b.services.begin(), b.services.end());
  std::reverse(b.firewall->rules.begin(), b.firewall->rules.end());
  std::vector<SnapshotDifference> d = DiffSnapshots(a, b);
  REQUIRE(d.size() == 3);
  CHECK(d[0].area == "os");
  CHECK(d[0].after == "unreadable");
  CHECK(d[1].area == "service");
  CHECK(d[2].area == "firewall-profile");
}

}  // namespace
}  // namespace otharden
