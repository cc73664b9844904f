#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "toolkit/model/firewall_rule.h"

namespace otharden {
namespace {

struct PublishedRule {
  const char* source;
  const char* text;
};

// Rule strings as Windows wrote them, and where each was published. Backslashes are
// single, as in the registry value (.reg exports and some scripts double them).
const PublishedRule kPublishedRules[] = {
    // MS-GPFAS 4.2 "Firewall Rule Message", verbatim (its Size of 540 bytes counts the
    // doubled backslashes): v2.10, LPort keyword, two LA4 subnets, v2.9 token Security2_9.
    {"MS-GPFAS 4.2 example",
     R"(v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Public|LPort=RPC|RPort=49000|LA4=192.168.1.0/255.255.255.0|LA4=192.168.0.0/255.255.255.0|RA4=LocalSubnet|RA6=LocalSubnet|App=c:\\path\\foo.exe|Name=Firewall Rule Test|Security=Authenticate|Security2_9=An-NoEncap|)"},
    // MicrosoftDocs/azure-docs articles/virtual-machines/troubleshooting/
    // enable-disable-firewall-rule-guest-os.md: RemoteDesktop-UserMode-In-TCP, both states.
    {"azure-docs RemoteDesktop-UserMode-In-TCP disabled",
     R"(v2.22|Action=Allow|Active=FALSE|Dir=In|Protocol=6|Profile=Domain|Profile=Private|Profile=Public|LPort=3389|App=%SystemRoot%\system32\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28775|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|)"},
    {"azure-docs RemoteDesktop-UserMode-In-TCP enabled",
     R"(v2.22|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Domain|Profile=Private|Profile=Public|LPort=3389|App=%SystemRoot%\system32\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28775|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|)"},
    // Windows 7 defaults: FPS-ICMP4-ERQ-In and -NoScope from a .reg export quoted in a
    // public C# tool (SetPingPongAtFirewallAsICMP, MainWindow.xaml.cs).
    {"Windows 7 FPS-ICMP4-ERQ-In",
     R"(v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=1|Profile=Private|Profile=Public|ICMP4=8:*|RA4=LocalSubnet|Name=@FirewallAPI.dll,-28543|Desc=@FirewallAPI.dll,-28547|EmbedCtxt=@FirewallAPI.dll,-28502|)"},
    {"Windows 7 FPS-ICMP4-ERQ-In-NoScope",
     R"(v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=1|Profile=Domain|ICMP4=8:*|Name=@FirewallAPI.dll,-28543|Desc=@FirewallAPI.dll,-28547|EmbedCtxt=@FirewallAPI.dll,-28502|)"},
    // Windows 7 RemoteDesktop-In-TCP and RRAS-L2TP-Out-UDP, as public NT 6 remote-access
    // tools write them back (AutoIt and Delphi sources found through the code index).
    {"Windows 7 RemoteDesktop-In-TCP",
     R"(v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=System|Name=@FirewallAPI.dll,-28753|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|)"},
    {"Windows 7 RRAS-L2TP-Out-UDP",
     R"(v2.10|Action=Allow|Active=TRUE|Dir=Out|Protocol=17|RPort=1701|App=System|Name=@FirewallAPI.dll,-33757|Desc=@FirewallAPI.dll,-33760|EmbedCtxt=@FirewallAPI.dll,-33752|)"},
    // Windows 10/11 defaults from a .reg export of the FirewallRules key embedded in a
    // public PowerShell script (GSecurity.ps1).
    {"Windows 10 CoreNet-ICMP6-RA-Out",
     R"(v2.33|Action=Block|Active=TRUE|Dir=Out|Protocol=58|ICMP6=134:*|LA6=fe80::/64|RA4=LocalSubnet|RA6=LocalSubnet|RA6=ff02::1|RA6=fe80::/64|App=System|Name=@FirewallAPI.dll,-25013|Desc=@FirewallAPI.dll,-25018|EmbedCtxt=@FirewallAPI.dll,-25000|)"},
    {"Windows 10 PNRPMNRS-PNRP-In-UDP",
     R"(v2.33|Action=Allow|Active=FALSE|Dir=In|Protocol=17|LPort=3540|App=%SystemRoot%\system32\svchost.exe|Svc=PNRPSvc|Name=@FirewallAPI.dll,-34003|Desc=@FirewallAPI.dll,-34004|EmbedCtxt=@FirewallAPI.dll,-34002|Edge=TRUE|Defer=App|)"},
    {"Windows 10 WFDPRINT-SPOOL-Out-Active",
     R"(v2.33|Action=Block|Active=TRUE|Dir=Out|Profile=Public|App=%SystemRoot%\system32\spoolsv.exe|Svc=Spooler|Name=@FirewallAPI.dll,-36858|Desc=@FirewallAPI.dll,-36859|EmbedCtxt=@FirewallAPI.dll,-36851|TTK2_22=WFDPrint|)"},
    {"Windows 10 CoreNet-DHCP-In",
     R"(v2.33|Action=Allow|Active=TRUE|Dir=In|Protocol=17|LPort=68|RPort=67|App=%SystemRoot%\system32\svchost.exe|Svc=dhcp|Name=@FirewallAPI.dll,-25301|Desc=@FirewallAPI.dll,-25303|EmbedCtxt=@FirewallAPI.dll,-25000|)"},
    {"Windows 10 MDNS-Out-UDP-Domain-Active",
     R"(v2.33|Action=Block|Active=TRUE|Dir=Out|Protocol=17|Profile=Domain|RPort=5353|App=%SystemRoot%\system32\svchost.exe|Svc=dnscache|Name=@%SystemRoot%\system32\firewallapi.dll,-37305|Desc=@%SystemRoot%\system32\firewallapi.dll,-37306|EmbedCtxt=@%SystemRoot%\system32\firewallapi.dll,-37302|)"},
    {"Windows 10 FPS-RPCSS-In-TCP-NoScope",
     R"(v2.33|Action=Allow|Active=FALSE|Dir=In|Protocol=6|Profile=Domain|LPort=RPC-EPMap|App=%SystemRoot%\system32\svchost.exe|Svc=Rpcss|Name=@FirewallAPI.dll,-28539|Desc=@FirewallAPI.dll,-28542|EmbedCtxt=@FirewallAPI.dll,-28502|)"},
    // Windows 11 defaults in the FirewallRules key, from fox-it/dissect.target
    // tests/plugins/os/windows/test_firewall.py: "V2.0", lower-case values, a doubled
    // "=", a comma port list, "Protocol=tcp" and port ranges in a v2.0 string.
    {"Windows 11 DisplayEnhancementService Deny All Outbound",
     R"(V2.0|Action=Block|Dir=out|App=%SystemRoot%\System32\svchost.exe|Svc==DisplayEnhancementService|Name=Block outbound traffic from BFE|)"},
    {"Windows 11 SearchProtocolHost-2",
     R"(V2.0|Action=Allow|Dir=Out|Protocol=tcp|rport=3268,389,563,993,995,80,443|App=%SystemRoot%\system32\SearchProtocolHost.exe|Name=Allow outbound traffic from SearchProtocolHost on specific ports|)"},
    {"Windows 11 WMPNetworkSvc-2",
     R"(V2.0|Action=Block|Dir=In|LPort=1-553,555-8553,8555-65535|Protocol=6|App=%PROGRAMFILES%\Windows Media Player\wmpnetwk.exe|Svc=WMPNetworkSvc|Name=Windows Media Player Network Sharing Service service hardening - Block any other incoming TCP traffic|)"},
    // A Windows 10 rule quoted in metablaster/WindowsFirewallRuleset
    // Modules/Ruleset.Firewall/Public/Get-RegistryRule.ps1: RA42, Platform, Platform2.
    {"Windows 10 rule with v2.20+ tokens",
     R"(v2.30|Action=Allow|Active=TRUE|Dir=Out|Protocol=6|RPort=22|RPort=80|RPort=443|RA42=IntErnet|IFType=Lan|IFType=Wireless|App=%SystemRoot%\System32\backgroundTaskHost.exe|Name=Background task host|Desc=Sample description|EmbedCtxt=Windows System|Platform=2:10:0|Platform2=GTEQ|)"},
    // Windows' own v2.0 service-hardening and integration-services rules (Windows
    // Defender's WindowsDefender-1; Hyper-V icsvc vm-monitoring-dcom), from .reg dumps
    // in public scripts.
    {"Windows Defender WindowsDefender-1",
     R"(v2.0|Action=Allow|Active=TRUE|Dir=Out|Protocol=6|App=%ProgramFiles%\Windows Defender\MsMpEng.exe|Svc=WinDefend|Name=Allow Out TCP traffic from WinDefend|)"},
    {"Hyper-V vm-monitoring-dcom",
     R"(v2.0|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=135|App=%SystemRoot%\system32\svchost.exe|Svc=RpcSs|Name=@icsvc.dll,-709|Desc=@icsvc.dll,-710|EmbedCtxt=@icsvc.dll,-700|)"},
    // Vista-era rules written through the firewall API and captured by installers that
    // replay them on NT 6.0 only (Inno Setup "MinVersion: 6.0; OnlyBelowVersion: 6.1";
    // an NSIS WriteRegStr): Vista's writer puts an explicit "Edge=FALSE" last.
    {"Vista API rule with a port",
     R"(v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Public|LPort=4444|Name=zxmTFsynctcp|Edge=FALSE|)"},
    {"Vista API rule with a program",
     R"(v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=17|Profile=Public|App={app}\Effectopedia.exe|Name=Effectopedia|Edge=FALSE|)"},
};

FirewallRule ParseOk(const std::string& text) {
  auto parsed = ParseFirewallRule(text);
  INFO(text);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return parsed.value();
}

std::string RuleParseError(const std::string& text) {
  auto parsed = ParseFirewallRule(text);
  INFO(text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == Status::Code::kInvalidInput);
  return parsed.status().message();
}

FirewallAddress Address(const std::string& text) {
  auto parsed = ParseAddressList(text);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  REQUIRE(parsed.value().size() == 1);
  return parsed.value()[0];
}

FirewallRule DicomRule() {
  FirewallRule rule;
  rule.action = FirewallAction::kAllow;
  rule.active = true;
  rule.direction = FirewallDirection::kIn;
  rule.protocol = 6;
  rule.local_ports = ParsePortList("104").value();
  rule.remote_v4.push_back(Address("10.1.2.0/24"));
  rule.name = "DICOM";
  rule.description = "Modality storage (C-STORE) from the imaging VLAN";
  rule.grouping = "otharden";
  return rule;
}

TEST_CASE("published Windows rule strings round-trip byte for byte") {
  size_t count = 0;
  for (const PublishedRule& published : kPublishedRules) {
    INFO(published.source);
    FirewallRule rule = ParseOk(published.text);
    CHECK(FormatFirewallRule(rule) == published.text);
    ++count;
  }
  CHECK(count >= 10);
}

TEST_CASE("published rules read into the right fields") {
  SECTION("MS-GPFAS example: keyword port, subnets, security, an unknown v2.9 token") {
    FirewallRule rule = ParseOk(kPublishedRules[0].text);
    REQUIRE(rule.source);
    CHECK(rule.source->schema_version == 0x020A);
    CHECK(rule.action == FirewallAction::kAllow);
    CHECK(rule.active);
    CHECK(rule.protocol == 6);
    CHECK(rule.profiles == static_cast<uint32_t>(FirewallProfile::kPublic));
    REQUIRE(rule.local_ports.size() == 1);
    CHECK(rule.local_ports[0].kind == FirewallPort::Kind::kKeyword);
    CHECK(rule.local_ports[0].keyword == PortKeyword::kRpc);
    REQUIRE(rule.remote_ports.size() == 1);
    CHECK(FormatPort(rule.remote_ports[0]) == "49000");
    REQUIRE(rule.local_v4.size() == 2);
    CHECK(FormatAddress(rule.local_v4[0]) == "192.168.1.0/24");
    CHECK(FormatAddress(rule.local_v4[1]) == "192.168.0.0/24");
    REQUIRE(rule.remote_v4.size() == 1);
    CHECK(rule.remote_v4[0].keyword == AddressKeyword::kLocalSubnet);
    CHECK(rule.app == R"(c:\\path\\foo.exe)");
    CHECK(rule.security == FirewallSecurity::kAuthenticate);
    REQUIRE(rule.other_tokens.size() == 1);
    CHECK(rule.other_tokens[0] == FirewallRuleToken{"Security2_9", "An-NoEncap"});
  }
  SECTION("Remote Desktop: all three profiles, program with a variable, service") {
    FirewallRule rule = ParseOk(kPublishedRules[1].text);
    CHECK_FALSE(rule.active);
    CHECK(rule.profiles == 7);
    CHECK(FormatPort(rule.local_ports.at(0)) == "3389");
    CHECK(rule.app == R"(%SystemRoot%\system32\svchost.exe)");
    CHECK(rule.service == "termservice");
    CHECK(rule.name == "@FirewallAPI.dll,-28775");
    CHECK(rule.grouping == "@FirewallAPI.dll,-28752");
    CHECK(rule.Describe() ==
          R"([disabled] allow in TCP 3389 from any program %SystemRoot%\system32\svchost.exe service termservice )"
          R"([domain,private,public] (@FirewallAPI.dll,-28775))");
  }
  SECTION("ICMP echo: type and any code, profiles") {
    FirewallRule rule = ParseOk(kPublishedRules[3].text);
    CHECK(rule.protocol == 1);
    REQUIRE(rule.icmp4.size() == 1);
    CHECK(rule.icmp4[0].type == 8);
    CHECK_FALSE(rule.icmp4[0].code);
    CHECK_FALSE(rule.AppliesToProfile(FirewallProfile::kDomain));
    CHECK(rule.AppliesToProfile(FirewallProfile::kPrivate));
    CHECK(rule.AppliesToProfile(FirewallProfile::kPublic));
    CHECK(rule.Describe() == "allow in ICMPv4 8:* from LocalSubnet [private,public] (@FirewallAPI.dll,-28543)");
  }
  SECTION("IPv6: local subnet, remote keyword and addresses") {
    FirewallRule rule = ParseOk(kPublishedRules[7].text);
    CHECK(rule.protocol == 58);
    CHECK(rule.icmp6.at(0).type == 134);
    CHECK(FormatAddress(rule.local_v6.at(0)) == "fe80::/64");
    REQUIRE(rule.remote_v6.size() == 3);
    CHECK(rule.remote_v6[0].kind == FirewallAddress::Kind::kKeyword);
    CHECK(FormatAddress(rule.remote_v6[1]) == "ff02::1");
    CHECK(FormatAddress(rule.remote_v6[2]) == "fe80::/64");
    CHECK(rule.AppliesToProfile(FirewallProfile::kDomain));  // no Profile= means all
  }
  SECTION("edge traversal deferred to the application (v2.10)") {
    FirewallRule rule = ParseOk(kPublishedRules[8].text);
    CHECK(rule.edge);
    CHECK(rule.defer == EdgeDefer::kApp);
  }
  SECTION("an unknown newer token is kept and mentioned") {
    FirewallRule rule = ParseOk(kPublishedRules[9].text);
    REQUIRE(rule.other_tokens.size() == 1);
    CHECK(rule.other_tokens[0].key == "TTK2_22");
    CHECK(rule.Describe() ==
          R"(block out any to any program %SystemRoot%\system32\spoolsv.exe service Spooler [public] +TTK2_22 )"
          R"((@FirewallAPI.dll,-36858))");
  }
  SECTION("Windows 11 service hardening: case, doubled '=', comma lists, ranges") {
    FirewallRule deny = ParseOk(kPublishedRules[13].text);
    CHECK(deny.direction == FirewallDirection::kOut);
    CHECK(deny.service == "=DisplayEnhancementService");
    CHECK_FALSE(deny.active);
    FirewallRule search = ParseOk(kPublishedRules[14].text);
    CHECK(search.protocol == 6);
    REQUIRE(search.remote_ports.size() == 7);
    CHECK(FormatPort(search.remote_ports[6]) == "443");
    FirewallRule wmp = ParseOk(kPublishedRules[15].text);
    REQUIRE(wmp.local_ports.size() == 3);
    CHECK(FormatPort(wmp.local_ports[1]) == "555-8553");
    CHECK(wmp.local_ports[2].last == 65535);
  }
  SECTION("v2.20+ tokens are kept in order; interface types are read") {
    FirewallRule rule = ParseOk(kPublishedRules[16].text);
    REQUIRE(rule.other_tokens.size() == 3);
    CHECK(rule.other_tokens[0].key == "RA42");
    CHECK(rule.other_tokens[2] == FirewallRuleToken{"Platform2", "GTEQ"});
    CHECK(rule.interface_types == std::vector<InterfaceType>{InterfaceType::kLan, InterfaceType::kWireless});
    CHECK(rule.remote_ports.size() == 3);
  }
  SECTION("Vista's explicit Edge=FALSE") {
    FirewallRule rule = ParseOk(kPublishedRules[19].text);
    CHECK_FALSE(rule.edge);
    CHECK(rule.source->schema_version == 0x0200);
  }
}

TEST_CASE("a changed parsed rule is rewritten only where it changed") {
  SECTION("enabling a disabled rule flips Active and nothing else") {
    FirewallRule rule = ParseOk(kPublishedRules[1].text);
    rule.active = true;
    CHECK(FormatFirewallRule(rule) == kPublishedRules[2].text);
  }
  SECTION("version, order and unknown tokens survive a rename") {
    FirewallRule rule = ParseOk(kPublishedRules[0].text);
    rule.name = "Renamed";
    std::string expected = kPublishedRules[0].text;
    expected.replace(expected.find("Name=Firewall Rule Test|"), 24, "Name=Renamed|");
    CHECK(FormatFirewallRule(rule) == expected);
  }
  SECTION("a new field goes where Windows writes it") {
    FirewallRule rule = ParseOk(kPublishedRules[5].text);
    rule.remote_v4.push_back(Address("10.1.2.0/24"));
    CHECK(FormatFirewallRule(rule) ==
          "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|RA4=10.1.2.0/255.255.255.0|App=System|"
          "Name=@FirewallAPI.dll,-28753|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|");
  }
  SECTION("an Active that was omitted is added after Action") {
    FirewallRule rule = ParseOk(kPublishedRules[13].text);
    rule.active = false;  // what an omitted Active= means: no change
    CHECK(FormatFirewallRule(rule) == kPublishedRules[13].text);
    rule.active = true;
    CHECK(FormatFirewallRule(rule) ==
          R"(V2.0|Action=Block|Active=TRUE|Dir=out|App=%SystemRoot%\System32\svchost.exe|Svc==DisplayEnhancementService|)"
          R"(Name=Block outbound traffic from BFE|)");
  }
  SECTION("a cleared list drops all of its tokens") {
    FirewallRule rule = ParseOk(kPublishedRules[7].text);
    rule.remote_v6.clear();
    CHECK(FormatFirewallRule(rule) ==
          "v2.33|Action=Block|Active=TRUE|Dir=Out|Protocol=58|ICMP6=134:*|LA6=fe80::/64|RA4=LocalSubnet|App=System|"
          "Name=@FirewallAPI.dll,-25013|Desc=@FirewallAPI.dll,-25018|EmbedCtxt=@FirewallAPI.dll,-25000|");
  }
  SECTION("without its source a rule is written afresh as v2.0") {
    FirewallRule rule = ParseOk(kPublishedRules[5].text);
    rule.source.reset();
    CHECK(FormatFirewallRule(rule) ==
          "v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=System|Name=@FirewallAPI.dll,-28753|"
          "Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|");
  }
}

TEST_CASE("rules built in code are written as v2.0 in Windows' order") {
  FirewallRule rule = DicomRule();
  REQUIRE(ValidateForV20(rule).ok());
  std::string text = FormatFirewallRule(rule);
  CHECK(text ==
        "v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|RA4=10.1.2.0/255.255.255.0|Name=DICOM|"
        "Desc=Modality storage (C-STORE) from the imaging VLAN|EmbedCtxt=otharden|");
  CHECK(rule.Describe() == "allow in TCP 104 from 10.1.2.0/24 (DICOM)");

  FirewallRule back = ParseOk(text);
  CHECK(FormatFirewallRule(back) == text);
  back.source.reset();
  CHECK(FormatFirewallRule(back) == text);

  SECTION("every v2.0 field, in order") {
    FirewallRule full;
    full.action = FirewallAction::kBypass;
    full.active = false;
    full.protocol = 17;
    full.profiles = static_cast<uint32_t>(FirewallProfile::kDomain) | static_cast<uint32_t>(FirewallProfile::kPublic);
    full.local_ports = ParsePortList("Teredo, 3544").value();
    full.remote_ports = ParsePortList("53").value();
    full.local_v4 = ParseAddressList("192.168.0.10").value();
    full.local_v6 = ParseAddressList("2001:db8::10").value();
    full.remote_v4 = ParseAddressList("10.0.0.1-10.0.0.9, DNS").value();
    full.remote_v6 = ParseAddressList("2001:db8::/32").value();
    full.interfaces = {"{531FA355-3436-43F9-BF16-8B38C31B2739}"};
    full.interface_types = {InterfaceType::kLan};
    full.app = R"(%ProgramFiles%\Vendor\store.exe)";
    full.service = "*";
    full.name = "Store SCP";
    full.description = "d";
    full.grouping = "g";
    full.edge = true;
    full.security = FirewallSecurity::kAuthenticate;
    full.remote_machine_auth = "O:LSD:(A;;CC;;;S-1-5-11)";
    CHECK(ValidateForV20(full).ok());
    CHECK(FormatFirewallRule(full) ==
          "v2.0|Action=ByPass|Active=FALSE|Dir=In|Protocol=17|Profile=Domain|Profile=Public|LPort=Teredo|"
          "LPort=3544|RPort=53|LA4=192.168.0.10|LA6=2001:db8::10|RA4=10.0.0.1-10.0.0.9|RA4=DNS|"
          "RA6=2001:db8::/32|IF={531FA355-3436-43F9-BF16-8B38C31B2739}|IFType=Lan|"
          R"(App=%ProgramFiles%\Vendor\store.exe|Svc=*|Name=Store SCP|Desc=d|EmbedCtxt=g|Edge=TRUE|)"
          "RMauth=O:LSD:(A;;CC;;;S-1-5-11)|Security=Authenticate|");
    FirewallRule reread = ParseOk(FormatFirewallRule(full));
    reread.source.reset();
    CHECK(FormatFirewallRule(reread) == FormatFirewallRule(full));
  }
}

TEST_CASE("ValidateForV20 refuses what Vista and Server 2008 cannot take") {
  auto refused = [](const FirewallRule& rule, const std::string& cause) {
    Status status = ValidateForV20(rule);
    INFO(status.ToString());
    CHECK(status.code() == Status::Code::kInvalidInput);
    CHECK(status.message().find(cause) != std::string::npos);
  };
  FirewallRule rule = DicomRule();
  SECTION("port ranges") {
    rule.local_ports = ParsePortList("5000-5020").value();
    refused(rule, "port ranges need v2.10");
    CHECK(FormatFirewallRule(rule) ==
          "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort2_10=5000-5020|RA4=10.1.2.0/255.255.255.0|"
          "Name=DICOM|Desc=Modality storage (C-STORE) from the imaging VLAN|EmbedCtxt=otharden|");
  }
  SECTION("v2.10 keywords and fields") {
    rule.local_ports = ParsePortList("IPHTTPSIn").value();
    refused(rule, "IPHTTPSIn is not v2.0");
    rule = DicomRule();
    rule.defer = EdgeDefer::kUser;
    refused(rule, "Defer");
    rule = DicomRule();
    rule.other_tokens.push_back({"RA42", "IntErnet"});
    refused(rule, "RA42");
  }
  SECTION("names") {
    rule.name.clear();
    refused(rule, "no name");
    rule.name = "all";
    refused(rule, "reserved");
    rule.name = "a|b";
    refused(rule, "'|'");
  }
  SECTION("programs and services") {
    rule.app = "C:/vendor/app.exe";
    refused(rule, "App");
    rule = DicomRule();
    rule.app = std::string(260, 'a');
    refused(rule, "at most 259");
    rule = DicomRule();
    rule.service = R"(a\b)";
    refused(rule, "Svc");
  }
  SECTION("ports and ICMP belong to their protocols") {
    rule.protocol.reset();
    refused(rule, "ports need Protocol 6 (TCP) or 17 (UDP), not any");
    rule = DicomRule();
    rule.icmp4.push_back({8, std::nullopt});
    refused(rule, "ICMP4 types need Protocol 1");
  }
  SECTION("port keywords need their protocol and direction") {
    rule.local_ports = ParsePortList("RPC").value();
    rule.direction = FirewallDirection::kOut;
    refused(rule, "needs an inbound rule");
    rule.direction = FirewallDirection::kIn;
    rule.protocol = 17;
    refused(rule, "needs Protocol 6");
    rule.local_ports = ParsePortList("Teredo").value();
    CHECK(ValidateForV20(rule).ok());
  }
  SECTION("flags and actions") {
    rule.edge = true;
    rule.direction = FirewallDirection::kOut;
    refused(rule, "edge traversal");
    rule = DicomRule();
    rule.action = FirewallAction::kBypass;
    refused(rule, "ByPass needs");
    rule = DicomRule();
    rule.action = FirewallAction::kBlock;
    rule.security = FirewallSecurity::kAuthenticateEncrypt;
    refused(rule, "block rule cannot require IPsec");
  }
  SECTION("addresses") {
    rule.remote_v4 = ParseAddressList("fe80::1").value();
    refused(rule, "is not IPv4");
    rule = DicomRule();
    rule.local_v4 = ParseAddressList("LocalSubnet").value();
    refused(rule, "remote only");
    rule = DicomRule();
    rule.remote_v6 = ParseAddressList("::1").value();
    refused(rule, "loopback");
  }
}

TEST_CASE("malformed rule strings are refused with the field and offset") {
  struct Case {
    const char* text;
    const char* cause;
  };
  const Case cases[] = {
      {"", "empty rule string"},
      {"Action=Allow|Dir=In|", "expected 'v' and a schema version"},
      {"2.0|Action=Allow|Dir=In|", "expected 'v' and a schema version"},
      {"v3.0|Action=Allow|Dir=In|", "is not supported (only v2.x)"},
      {"v2|Action=Allow|Dir=In|", "is not v<major>.<minor>"},
      {"v2.256|Action=Allow|Dir=In|", "is not v<major>.<minor>"},
      {"v2.x|Action=Allow|Dir=In|", "is not v<major>.<minor>"},
      {"v2.0", "no '|' after the version"},
      {"v2.0|", "no fields after the version"},
      {"v2.0|Action=Allow|Dir=In", "field 2 at offset 18 'Dir=In' does not end with '|'"},
      {"v2.0|Action=Allow||Dir=In|", "field 2 at offset 18 is empty"},
      {"v2.0|Action=Allow|Dir|", "field 2 at offset 18 'Dir' is not Key=Value"},
      {"v2.0|=Allow|Dir=In|", "field 1 at offset 5 '=Allow' is not Key=Value"},
      {"v2.0|Action=Allow|Dir=In|Protocol=6|LPort=70000|",
       "field 4 at offset 36 'LPort=70000': port '70000' is not 0..65535"},
      {"v2.0|Action=Allow|Dir=In|Protocol=6|LPort=200-100|", "port range '200-100' starts after it ends"},
      {"v2.0|Action=Allow|Dir=In|Protocol=6|LPort=http|", "'http' is not a port"},
      {"v2.0|Action=Allow|Dir=In|Protocol=6|LPort=80,|", "empty entry in port list"},
      {"v2.0|Action=Allow|Dir=In|Protocol=6|LPort=IPHTTPSIn|", "IPHTTPSIn is not allowed in LPort="},
      {"v2.0|Action=Allow|Dir=Out|Protocol=6|RPort=RPC|", "RPC is not allowed in RPort="},
      {"v2.0|Action=Allow|Dir=In|RA4=10.1.2.300|", "'10.1.2.300' is not an IPv4 or IPv6 address"},
      {"v2.0|Action=Allow|Dir=In|RA4=10.1.2|", "'10.1.2' is not an IPv4 or IPv6 address"},
      {"v2.0|Action=Allow|Dir=In|RA4=10.1.2.0/255.0.255.0|", "subnet mask '255.0.255.0' is not a contiguous"},
      {"v2.0|Action=Allow|Dir=In|RA4=10.1.2.0/0.0.0.0|", "is not a contiguous, non-zero mask"},
      {"v2.0|Action=Allow|Dir=In|RA4=10.1.2.0/33|", "prefix length '33' is not 1..32"},
      {"v2.0|Action=Allow|Dir=In|RA4=10.0.0.9-10.0.0.1|", "starts after it ends"},
      {"v2.0|Action=Allow|Dir=In|RA4=10.0.0.1,fe80::1|", "RA4= takes IPv4 addresses, not fe80::1"},
      {"v2.0|Action=Allow|Dir=In|RA6=fe80::1::2|", "is not an IPv4 or IPv6 address"},
      {"v2.0|Action=Allow|Dir=In|RA6=fe80::/129|", "prefix length '129' is not 1..128"},
      {"v2.0|Action=Allow|Dir=In|LA4=LocalSubnet|", "LA4= cannot hold the keyword LocalSubnet"},
      {"v2.0|Action=Allow|Dir=In|RA4=Intranet|", "'Intranet' is not an IPv4 or IPv6 address"},
      {"v2.0|Action=Permit|Dir=In|", "Action must be one of Allow, Block, ByPass, not 'Permit'"},
      {"v2.0|Action=Allow|Dir=Both|", "Dir must be one of In, Out, not 'Both'"},
      {"v2.0|Action=Allow|Active=YES|Dir=In|", "Active must be one of TRUE, FALSE"},
      {"v2.0|Action=Allow|Dir=In|Profile=Home|", "Profile must be one of Domain, Private, Public"},
      {"v2.0|Action=Allow|Dir=In|Protocol=256|", "Protocol must be a number 0..255"},
      {"v2.0|Action=Allow|Dir=In|Protocol=1|ICMP4=8|", "expected an ICMP type:code"},
      {"v2.0|Action=Allow|Dir=In|Protocol=1|ICMP4=8:256|", "expected an ICMP type:code"},
      {"v2.0|Action=Allow|Dir=In|IF=eth0|", "IF must be an interface GUID"},
      {"v2.0|Action=Allow|Action=Block|Dir=In|", "field 2 at offset 18: Action= appears more than once"},
      {"v2.0|Dir=In|Name=x|", "no Action= field"},
      {"v2.0|Action=Allow|Name=x|", "no Dir= field"},
  };
  for (const Case& c : cases) {
    std::string message = RuleParseError(c.text);
    INFO(message);
    CHECK(message.find(c.cause) != std::string::npos);
  }
  SECTION("hostile bytes are quoted, not copied") {
    std::string message = RuleParseError(std::string("v2.0|Action=\x01\xff|Dir=In|"));
    CHECK(message.find("'\\x01\\xff'") != std::string::npos);
  }
}

TEST_CASE("any prefix or damaged byte of a real rule is refused or read and never crashes") {
  size_t read = 0, refused = 0;
  for (const PublishedRule& published : kPublishedRules) {
    const std::string text = published.text;
    for (size_t length = 0; length <= text.size(); ++length) {
      auto parsed = ParseFirewallRule(text.substr(0, length));
      if (parsed.ok()) {
        ++read;
        CHECK(FormatFirewallRule(parsed.value()) == text.substr(0, length));
      } else {
        ++refused;
        CHECK(parsed.status().code() == Status::Code::kInvalidInput);
      }
    }
    for (size_t at = 0; at < text.size(); ++at) {
      for (char replacement : {'|', '=', ',', '-', '/', ':', '\0', '\xff'}) {
        std::string damaged = text;
        damaged[at] = replacement;
        auto parsed = ParseFirewallRule(damaged);
        if (parsed.ok()) CHECK(FormatFirewallRule(parsed.value()) == damaged);
      }
    }
  }
  CHECK(read > 0);
  CHECK(refused > 0);
}

TEST_CASE("port lists") {
  auto ports = ParsePortList("104, 135,5000-5020 , RPC-EPMap,rpc");
  REQUIRE(ports.ok());
  REQUIRE(ports.value().size() == 5);
  CHECK(FormatPort(ports.value()[0]) == "104");
  CHECK(FormatPort(ports.value()[2]) == "5000-5020");
  CHECK(ports.value()[3].keyword == PortKeyword::kRpcEpmap);
  CHECK(FormatPort(ports.value()[4]) == "RPC");
  CHECK(FormatPort(ParsePortList("0").value()[0]) == "0");
  CHECK(FormatPort(ParsePortList("65535").value()[0]) == "65535");
  for (const char* bad : {"", "70000", "200-100", "80,", ",80", "1-", "-1", "1-2-3", "0x50", "80 443", "000065536"}) {
    INFO(bad);
    CHECK_FALSE(ParsePortList(bad).ok());
  }
}

TEST_CASE("address lists") {
  auto addresses = ParseAddressList("10.1.2.0/24, 10.1.3.0/255.255.255.0,10.0.0.1-10.0.0.9,LocalSubnet,dns");
  REQUIRE(addresses.ok());
  REQUIRE(addresses.value().size() == 5);
  CHECK(FormatAddress(addresses.value()[0]) == "10.1.2.0/24");
  CHECK(FormatAddress(addresses.value()[1]) == "10.1.3.0/24");
  CHECK(FormatAddress(addresses.value()[2]) == "10.0.0.1-10.0.0.9");
  CHECK(addresses.value()[3].keyword == AddressKeyword::kLocalSubnet);
  CHECK(FormatAddress(addresses.value()[4]) == "DNS");
  CHECK(FormatAddress(Address("10.0.0.5")) == "10.0.0.5");
  CHECK(FormatAddress(Address("10.0.0.5/255.255.255.255")) == "10.0.0.5/32");
  CHECK(FormatAddress(Address("FE80:0:0:0:0:0:0:1")) == "fe80::1");
  CHECK(FormatAddress(Address("2001:db8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1");
  CHECK(FormatAddress(Address("::ffff:10.0.0.1")) == "::ffff:a00:1");
  CHECK(FormatAddress(Address("::")) == "::");
  CHECK(FormatAddress(Address("2001:4898::-2001:4898:a0:5084:ffff:ffff:ffff:ffff")) ==
        "2001:4898::-2001:4898:a0:5084:ffff:ffff:ffff:ffff");
  CHECK(Address("fe80::/10").prefix_length == 10);
  for (const char* bad : {"", "10.0.0.256", "10.0.0", "10.0.0.0.1", "1.2.3.4/0", "1.2.3.4/33",
                          "1.2.3.4/255.255.0.255", "1.2.3.4/", "10.0.0.9-10.0.0.1", "10.0.0.1-fe80::1",
                          "fe80::1-fe80::", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%4", "12345::",
                          "::1.2.3", "Internet", "10.0.0.1,,10.0.0.2"}) {
    INFO(bad);
    CHECK_FALSE(ParseAddressList(bad).ok());
  }
}

TEST_CASE("descriptions read as a plan line") {
  FirewallRule rule = DicomRule();
  rule.direction = FirewallDirection::kOut;
  rule.remote_ports = rule.local_ports;
  rule.local_ports.clear();
  rule.remote_v4.clear();
  rule.action = FirewallAction::kBlock;
  rule.profiles = static_cast<uint32_t>(FirewallProfile::kPublic);
  CHECK(rule.Describe() == "block out TCP 104 to any [public] (DICOM)");
  CHECK(rule.AppliesToProfile(FirewallProfile::kPublic));
  CHECK_FALSE(rule.AppliesToProfile(FirewallProfile::kPrivate));

  FirewallRule gre;
  gre.protocol = 47;
  gre.active = true;
  gre.local_v4 = ParseAddressList("192.168.0.10").value();
  CHECK(gre.Describe() == "allow in GRE from any on 192.168.0.10");
  gre.protocol = 132;
  CHECK(gre.Describe() == "allow in protocol 132 from any on 192.168.0.10");
}

}  // namespace
}  // namespace otharden
