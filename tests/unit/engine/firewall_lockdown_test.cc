#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "toolkit/engine/firewall_lockdown.h"
#include "toolkit/platform/memory_host.h"

namespace otharden {
using namespace testing;
namespace {

Profile ParseFirewallTestProfile(const std::string& body, const std::string& other = "disable") {
  const std::string text = "<profile format=\"1\" name=\"pacs\" policy=\"esu-6003\">\n<title>t</title>\n"
                           "<firewall other-inbound-rules=\"" + other + "\">\n" + body + "</firewall>\n</profile>\n";
  Result<Profile> p = ParseProfile("fw.xml", text, ShippedProtectedServices());
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  return *p;
}

const char kProfiles[] =
    "<profile name=\"domain\" firewall=\"on\" inbound=\"block\" outbound=\"allow\"/>\n"
    "<profile name=\"private\" firewall=\"on\" inbound=\"block\" outbound=\"allow\"/>\n"
    "<profile name=\"public\" firewall=\"on\" inbound=\"block\" outbound=\"allow\"/>\n";

// A 2008 host's firewall as found: everything on, inbound allowed by default,
// Remote Desktop and file sharing open.
MemoryHost FoundHost() {
  MemoryHost host;
  host.firewall->profiles = {{FirewallProfile::kDomain, true, FirewallAction::kAllow, FirewallAction::kAllow},
                             {FirewallProfile::kPrivate, true, FirewallAction::kAllow, FirewallAction::kAllow},
                             {FirewallProfile::kPublic, false, FirewallAction::kBlock, FirewallAction::kAllow}};
  host.firewall->rules = {
      ParsedRule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=System|Name=Remote Desktop (TCP-In)|"),
      ParsedRule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=445|App=System|Name=File and Printer Sharing (SMB-In)|"),
      ParsedRule("v2.0|Action=Allow|Active=TRUE|Dir=Out|Protocol=6|RPort=80|Name=Outbound web|"),
      ParsedRule("v2.0|Action=Allow|Dir=In|Protocol=6|LPort=23|Name=Telnet (disabled already)|")};
  host.firewall->current_profiles = static_cast<uint32_t>(FirewallProfile::kDomain);
  return host;
}

}  // namespace

TEST_CASE("a firewall section parses into v2.0 rules grouped under the profile") {
  Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                              "<allow name=\"DICOM from PACS\" protocol=\"tcp\" local-ports=\"104,11112\" "
                              "remote-addresses=\"10.1.2.0/24, 10.1.3.7\" reason=\"images from the PACS\" "
                              "management=\"false\"/>\n");
  REQUIRE(p.firewall.present);
  CHECK(p.firewall.profiles.size() == 3);
  CHECK(p.firewall.other_inbound == OtherInboundRules::kDisable);
  REQUIRE(p.firewall.rules.size() == 1);
  const FirewallRule& rule = p.firewall.rules[0].rule;
  CHECK(rule.grouping == "otharden:pacs");
  CHECK(rule.active);
  CHECK(rule.local_ports.size() == 2);
  CHECK(rule.remote_v4.size() == 2);
  CHECK(FormatFirewallRule(rule).rfind("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|LPort=11112|", 0) == 0);
}

TEST_CASE("firewall sections that Windows Server 2008 cannot store are refused with the line") {
  auto error_of = [](const std::string& body) {
    Result<Profile> p = ParseProfile(
        "fw.xml", "<profile format=\"1\" name=\"x\" policy=\"p\">\n<title>t</title>\n<firewall>\n" + body +
                      "</firewall>\n</profile>\n", ShippedProtectedServices());
    REQUIRE_FALSE(p.ok());
    return p.status().message();
  };
  CHECK(error_of("<allow name=\"a\" protocol=\"tcp\" local-ports=\"70000\" reason=\"r\"/>\n").find("fw.xml:4: local-ports:") == 0);
  CHECK(error_of("<allow name=\"a\" protocol=\"tcp\" local-ports=\"100-200\" reason=\"r\"/>\n")
            .find("fw.xml:4: rule 'a' cannot be stored by Windows Server 2008") == 0);
  CHECK(error_of("<allow name=\"a\" protocol=\"icmpv4\" local-ports=\"80\" reason=\"r\"/>\n").find("fw.xml:4:") == 0);
  CHECK(error_of("<allow name=\"a\" protocol=\"tcp\" remote-addresses=\"10.1.2.300\" reason=\"r\"/>\n")
            .find("fw.xml:4: remote-addresses:") == 0);
  CHECK(error_of("<allow name=\"a\" protocol=\"tcp\" reason=\"r\"/>\n<allow name=\"a\" protocol=\"udp\" reason=\"r\"/>\n") ==
        "fw.xml:5: rule name 'a' is used twice (first on line 4)");
  CHECK(error_of("<allow name=\"a\" protocol=\"gre\" reason=\"r\"/>\n").find("protocol 'gre' must be") != std::string::npos);
  CHECK(error_of("<profile name=\"home\" inbound=\"block\" outbound=\"allow\"/>\n").find("'home' is not domain") !=
        std::string::npos);
  CHECK(error_of("<allow name=\"a\" protocol=\"tcp\" reason=\"r\" colour=\"red\"/>\n") ==
        "fw.xml:4: unknown attribute 'colour' on <allow>");
}

TEST_CASE("plan adds rules first, disables other inbound allow rules, then sets the profiles") {
  MemoryHost host = FoundHost();
  Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                              "<allow name=\"RDP from jump host\" protocol=\"tcp\" local-ports=\"3389\" "
                              "remote-addresses=\"10.9.9.9\" management=\"true\" reason=\"vendor access\"/>\n");
  FirewallPlan plan = PlanFirewallLockdown(*host.firewall, p);
  REQUIRE(plan.changes.size() == 6);
  CHECK(plan.changes[0].kind == FirewallChange::Kind::kAddRule);
  CHECK(plan.changes[1].kind == FirewallChange::Kind::kDisableRule);
  CHECK(plan.changes[1].rule.name == "Remote Desktop (TCP-In)");
  CHECK(plan.changes[2].rule.name == "File and Printer Sharing (SMB-In)");
  CHECK(plan.changes[3].kind == FirewallChange::Kind::kProfile);
  CHECK(plan.changes[3].Describe() ==
        "firewall profile domain: firewall on, inbound allow, outbound allow -> firewall on, inbound block, outbound allow");
  CHECK(host.calls.empty());
}

TEST_CASE("apply, verify and roll back the firewall exactly") {
  MemoryHost host = FoundHost();
  const FirewallSnapshot before = *host.firewall;
  Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                              "<allow name=\"DICOM\" protocol=\"tcp\" local-ports=\"104\" remote-addresses=\"10.1.2.0/24\" "
                              "reason=\"r\"/>\n");
  FirewallPlan plan = PlanFirewallLockdown(*host.firewall, p);
  std::string sink;
  auto journal = StringJournal(&sink, "fw.journal", {"pacs", "H", "t"});
  REQUIRE(ApplyFirewallPlan(host, plan, *journal, Quiet).ok());
  CHECK(host.firewall->profiles[2].enabled);
  CHECK(PlanFirewallLockdown(*host.firewall, p).changes.empty());  // a second plan finds nothing to do

  Result<Journal> read = ParseJournal("fw.journal", sink);
  REQUIRE(read.ok());
  CHECK(read->firewall.size() == plan.changes.size());
  RollbackResult undo = RollbackFirewall(host, *read, Quiet);
  CHECK(undo.failures.empty());
  CHECK(undo.restored == static_cast<int>(plan.changes.size()));
  REQUIRE(host.firewall->rules.size() == before.rules.size());
  for (size_t i = 0; i < before.rules.size(); ++i) {
    CHECK(FormatFirewallRule(host.firewall->rules[i]) == FormatFirewallRule(before.rules[i]));
  }
  for (size_t i = 0; i < before.profiles.size(); ++i) CHECK(host.firewall->profiles[i] == before.profiles[i]);
  CHECK(RollbackFirewall(host, *read, Quiet).restored == 0);  // twice changes nothing
}

TEST_CASE("a rule the profile changed since the last apply is replaced, and rollback restores the old one") {
  MemoryHost host = FoundHost();
  Profile v1 = ParseFirewallTestProfile("<allow name=\"DICOM\" protocol=\"tcp\" local-ports=\"104\" "
                                        "remote-addresses=\"10.1.2.0/24\" reason=\"r\"/>\n", "keep");
  std::string sink1;
  auto j1 = StringJournal(&sink1, "fw.journal", {"pacs", "H", "t"});
  REQUIRE(ApplyFirewallPlan(host, PlanFirewallLockdown(*host.firewall, v1), *j1, Quiet).ok());
  const FirewallSnapshot after_v1 = *host.firewall;

  Profile v2 = ParseFirewallTestProfile("<allow name=\"DICOM\" protocol=\"tcp\" local-ports=\"104\" "
                                        "remote-addresses=\"10.1.3.0/24\" reason=\"r\"/>\n", "keep");
  FirewallPlan plan = PlanFirewallLockdown(*host.firewall, v2);
  REQUIRE(plan.changes.size() == 2);
  CHECK(plan.changes[0].kind == FirewallChange::Kind::kRemoveRule);
  CHECK(plan.changes[1].kind == FirewallChange::Kind::kAddRule);
  std::string sink2;
  auto j2 = StringJournal(&sink2, "fw.journal", {"pacs", "H", "t"});
  REQUIRE(ApplyFirewallPlan(host, plan, *j2, Quiet).ok());
  Result<Journal> read = ParseJournal("j2", sink2);
  REQUIRE(read.ok());
  CHECK(RollbackFirewall(host, *read, Quiet).failures.empty());
  REQUIRE(host.firewall->rules.size() == after_v1.rules.size());
  for (size_t i = 0; i < after_v1.rules.size(); ++i) {
    CHECK(FirewallRuleIdentity(host.firewall->rules[i]) == FirewallRuleIdentity(after_v1.rules[i]));
  }
}

TEST_CASE("the same rule read back in the API's spelling has the same identity") {
  FirewallRule ours = ParsedRule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=2575|RA4=10.20.5.10|Name=HL7|");
  FirewallRule api = ParsedRule("v2.0|Action=Allow|Dir=In|Protocol=6|LPort=2575|RA4=10.20.5.10/255.255.255.255|Profile=Domain|"
                          "Profile=Private|Profile=Public|Name=HL7|");
  CHECK(FirewallRuleIdentity(ours) == FirewallRuleIdentity(api));
}

TEST_CASE("a failing firewall change rolls back the firewall and the services") {
  MemoryHost host = FoundHost();
  host.AddService("RemoteRegistry", ServiceStartType::kAuto, true);
  Profile p = ParseFirewallTestProfile(std::string(kProfiles) + "<allow name=\"A\" protocol=\"tcp\" local-ports=\"104\" reason=\"r\"/>\n"
                                                       "<allow name=\"B\" protocol=\"tcp\" local-ports=\"105\" reason=\"r\"/>\n");
  p.services.push_back({"RemoteRegistry", ServiceDirective::kDisable, "r", "", 0});
  host.failing_rules.insert("B");
  std::string sink;
  auto journal = StringJournal(&sink, "fw.journal", {"pacs", "H", "t"});
  Result<ServicePlan> services = PlanServiceLockdown(host, p);
  REQUIRE(services.ok());
  REQUIRE(ApplyServicePlan(host, *services, *journal, Quiet).ok());
  Status s = ApplyFirewallPlan(host, PlanFirewallLockdown(*host.firewall, p), *journal, Quiet);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("firewall rule 'B': INetFwRules::Add failed") == 0);
  CHECK(host.Find("RemoteRegistry")->start == ServiceStartType::kAuto);
  CHECK(host.Find("RemoteRegistry")->running);
  CHECK(host.firewall->rules.size() == FoundHost().firewall->rules.size());
}

TEST_CASE("the lockout guard refuses a plan that cuts the remote session or a management port") {
  MemoryHost host = FoundHost();
  Host::SessionInfo rdp{true, "10.9.9.9"};
  SECTION("closing Remote Desktop while connected through it") {
    Profile p = ParseFirewallTestProfile(kProfiles);
    FirewallPlan plan = PlanFirewallLockdown(*host.firewall, p);
    Status s = CheckLockout(*host.firewall, plan, p, rdp);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("your Remote Desktop session (TCP 3389 from 10.9.9.9)") != std::string::npos);
    CHECK(s.message().find("--allow-lockout") != std::string::npos);
    CHECK(CheckLockout(*host.firewall, plan, p, Host::SessionInfo{}).ok());  // at the console: fine
  }
  SECTION("an allow rule for the technician's address keeps the session") {
    Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                                "<allow name=\"RDP\" protocol=\"tcp\" local-ports=\"3389\" remote-addresses=\"10.9.9.0/24\" "
                                "management=\"true\" reason=\"r\"/>\n");
    CHECK(CheckLockout(*host.firewall, PlanFirewallLockdown(*host.firewall, p), p, rdp).ok());
    // ... but not from another subnet.
    CHECK_FALSE(CheckLockout(*host.firewall, PlanFirewallLockdown(*host.firewall, p), p, {true, "10.8.0.1"}).ok());
  }
  SECTION("a management port scoped to another firewall profile than the active one") {
    Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                                "<allow name=\"VNC\" protocol=\"tcp\" local-ports=\"5900\" profiles=\"public\" "
                                "management=\"true\" reason=\"r\"/>\n");
    Status s = CheckLockout(*host.firewall, PlanFirewallLockdown(*host.firewall, p), p, Host::SessionInfo{});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("management port TCP 5900 (rule 'VNC', line") != std::string::npos);
  }
  SECTION("a block rule wins over an allow rule") {
    Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                                "<allow name=\"RDP\" protocol=\"tcp\" local-ports=\"3389\" reason=\"r\"/>\n", "keep");
    host.firewall->rules.push_back(ParsedRule("v2.0|Action=Block|Active=TRUE|Dir=In|Protocol=6|LPort=3389|Name=No RDP|"));
    CHECK_FALSE(CheckLockout(*host.firewall, PlanFirewallLockdown(*host.firewall, p), p, rdp).ok());
  }
}

TEST_CASE("review findings: unknown client address, identical twins, management scope, TermService") {
  MemoryHost host = FoundHost();
  SECTION("an unknown client address is kept only by rules open to every address") {
    Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                                         "<allow name=\"RDP\" protocol=\"tcp\" local-ports=\"3389\" "
                                         "remote-addresses=\"10.9.9.9\" reason=\"r\"/>\n");
    Status s = CheckLockout(*host.firewall, PlanFirewallLockdown(*host.firewall, p), p, Host::SessionInfo{true, ""});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("TCP 3389 from an unknown client address") != std::string::npos);
  }
  SECTION("two identical rules are both disabled, and apply verifies") {
    host.firewall->rules.push_back(host.firewall->rules[0]);  // the same netsh command run twice
    Profile p = ParseFirewallTestProfile(std::string(kProfiles) +
                                         "<allow name=\"RDP\" protocol=\"tcp\" local-ports=\"3389\" reason=\"r\"/>\n");
    std::string sink;
    auto journal = StringJournal(&sink, "fw.journal", {"pacs", "H", "t"});
    Status s = ApplyFirewallPlan(host, PlanFirewallLockdown(*host.firewall, p), *journal, Quiet);
    INFO(s.ToString());
    CHECK(s.ok());
  }
  SECTION("management is only for inbound TCP rules with ports") {
    Result<Profile> p = ParseProfile(
        "fw.xml", "<profile format=\"1\" name=\"x\" policy=\"p\">\n<title>t</title>\n<firewall>\n"
                  "<allow name=\"SNMP\" protocol=\"udp\" local-ports=\"161\" management=\"true\" reason=\"r\"/>\n"
                  "</firewall>\n</profile>\n", ShippedProtectedServices());
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().message().find("fw.xml:4: rule 'SNMP': management=\"true\" is for inbound TCP rules") == 0);
  }
  SECTION("stopping TermService in a Remote Desktop session is refused") {
    host.AddService("TermService", ServiceStartType::kAuto, true);
    Profile p;
    p.name = "x";
    p.services.push_back({"TermService", ServiceDirective::kDisable, "r", "", 1});
    Result<ServicePlan> plan = PlanServiceLockdown(host, p);
    REQUIRE(plan.ok());
    CHECK_FALSE(CheckServiceLockout(*plan, true).ok());
    CHECK(CheckServiceLockout(*plan, false).ok());
  }
}

}  // namespace otharden
