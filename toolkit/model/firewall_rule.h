// Windows Firewall with Advanced Security rules as plain data, and their text form:
// the MS-GPFAS 2.2.2.19 rule string ("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|
// LPort=104|RA4=10.1.2.0/255.255.255.0|Name=DICOM|"). That string is the canonical text
// of a rule in snapshots and reports, and what an offline image stores under
// HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\FirewallRules
// (value name = rule id, which is not part of the string).
//
// Token versions (MS-GPFAS 2.2.2.19 and Appendix A; MS-FASP 2.2.14, 2.2.21, 2.2.35):
// schema 0x0200 = Vista, 0x0201 = Vista SP1 / Server 2008, 0x020A = Windows 7 / 2008 R2.
//   v2.0: Action Active Dir Protocol Profile LPort RPort ICMP4 ICMP6 LA4 LA6 RA4 RA6 IF
//         IFType App Svc Name Desc EmbedCtxt Edge LSM Security RMauth RUAuth (modelled);
//         Platform SkipVer (kept as other tokens). Single ports only: port ranges are a
//         v2.10 feature (LPort2_10=/RPort2_10=, MS-FASP FW_RULE_STATUS_..._PORTRANGE_VER).
//   v2.9:  Security2_9.   v2.10: LPort2_10 RPort2_10 Defer Security2 AuthByPassOut.
//   v2.20 and later: LOM PCross LUAuth LUOwn AppPkgId RA42 RA62 LPort2_20 TTK ... (kept).
// ABNF strings are case-insensitive (RFC 4234 2.3), and Windows' own service-hardening
// rules use that ("V2.0|Action=Block|Dir=out|"): keys and keywords match in any case.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/status.h"

namespace otharden {

enum class FirewallAction { kAllow, kBlock, kBypass };  // "Allow", "Block", "ByPass"
enum class FirewallDirection { kIn, kOut };             // "In", "Out"

// FW_PROFILE_TYPE bits. Private is the registry's "StandardProfile".
enum class FirewallProfile : uint32_t { kDomain = 1, kPrivate = 2, kPublic = 4 };

// MS-GPFAS 2.2.2.3. kRpc, kRpcEpmap, kTeredo: local ports, v2.0. The IP-TLS/IP-HTTPS
// keywords are v2.10: the *In ones local (LPort2_10=), the *Out ones remote (RPort2_10=).
enum class PortKeyword { kRpc, kRpcEpmap, kTeredo, kIpTlsIn, kIpHttpsIn, kIpTlsOut, kIpHttpsOut };

// One entry of a port condition: a port, a range, or a keyword.
struct FirewallPort {
  enum class Kind { kRange, kKeyword };
  Kind kind = Kind::kRange;
  uint16_t first = 0, last = 0;  // kRange; a single port has first == last
  PortKeyword keyword = PortKeyword::kRpc;  // kKeyword
};

// MS-GPFAS 2.2.2.13: the v2.0 address keywords (remote addresses only).
enum class AddressKeyword { kLocalSubnet, kDns, kDhcp, kWins, kDefaultGateway };

// One entry of an address condition: a keyword, or an IPv4/IPv6 address, range or subnet.
struct FirewallAddress {
  enum class Kind { kKeyword, kSingle, kRange, kSubnet };
  Kind kind = Kind::kSingle;
  AddressKeyword keyword = AddressKeyword::kLocalSubnet;  // kKeyword
  bool ipv6 = false;
  std::array<uint8_t, 16> first{}, last{};  // network byte order; IPv4 uses bytes 0..3
  int prefix_length = 0;                    // kSubnet: 1..32 (IPv4) or 1..128 (IPv6)
};

// ICMP4=/ICMP6= "type:code"; a code of "*" (any) is nullopt.
struct IcmpTypeCode {
  uint8_t type = 0;
  std::optional<uint8_t> code;
};

enum class InterfaceType { kLan, kWireless, kRemoteAccess };  // IFType=
enum class EdgeDefer { kApp, kUser };                          // Defer= (v2.10)
enum class FirewallSecurity { kAuthenticate, kAuthenticateEncrypt };  // Security=

// One "Key=Value" field exactly as a rule string spells it.
struct FirewallRuleToken {
  std::string key, value;
  friend bool operator==(const FirewallRuleToken& a, const FirewallRuleToken& b) {
    return a.key == b.key && a.value == b.value;
  }
  friend bool operator!=(const FirewallRuleToken& a, const FirewallRuleToken& b) { return !(a == b); }
};

// How a parsed rule was written, so that FormatFirewallRule can reproduce it.
struct FirewallRuleSource {
  std::string text;                        // the whole rule string as read
  std::string version;                     // as written, e.g. "v2.10" or "V2.0"
  uint16_t schema_version = 0;             // e.g. 0x020A for "v2.10"
  std::vector<FirewallRuleToken> tokens;   // every field in order
  std::vector<FirewallRuleToken> other_tokens;  // other_tokens as parsed
  std::vector<std::string> modelled_fields;     // internal: each modelled field's text as parsed
};

// A firewall rule. Empty lists and strings mean "no condition" (any), as an omitted
// token does in the rule string.
struct FirewallRule {
  FirewallAction action = FirewallAction::kAllow;
  bool active = false;  // an omitted Active= means inactive (MS-GPFAS 2.2.2.19)
  FirewallDirection direction = FirewallDirection::kIn;
  std::optional<uint8_t> protocol;  // IANA number; nullopt = any protocol
  uint32_t profiles = 0;            // FirewallProfile bits; 0 = all profiles
  std::vector<FirewallPort> local_ports, remote_ports;  // TCP (6) and UDP (17) only
  std::vector<IcmpTypeCode> icmp4, icmp6;               // protocol 1 / 58 only
  std::vector<FirewallAddress> local_v4, local_v6, remote_v4, remote_v6;
  std::vector<std::string> interfaces;         // IF=: interface GUIDs
  std::vector<InterfaceType> interface_types;  // IFType=
  std::string app;       // App=: a path, may contain %SystemRoot% etc., or "System"
  std::string service;   // Svc=: a service name, "*" = any service
  std::string name;      // Name=: may be an indirect string "@FirewallAPI.dll,-28753"
  std::string description;  // Desc=
  std::string grouping;     // EmbedCtxt=: what INetFwRule calls Grouping
  bool edge = false;        // Edge=: edge traversal (inbound only)
  std::optional<EdgeDefer> defer;  // Defer= (v2.10)
  bool loose_source_mapping = false;  // LSM=
  std::optional<FirewallSecurity> security;  // Security=
  std::string remote_machine_auth;  // RMauth=: SDDL
  std::string remote_user_auth;     // RUAuth=: SDDL
  // Fields this model does not know (newer versions: RA42=, Platform=, TTK2_22=, ...),
  // in the order they were read.
  std::vector<FirewallRuleToken> other_tokens;
  // Set by ParseFirewallRule; nullopt for a rule built in code. Reset it to make
  // FormatFirewallRule write the rule afresh as v2.0.
  std::optional<FirewallRuleSource> source;

  // True when the rule applies on networks of that profile (no Profile= means all).
  bool AppliesToProfile(FirewallProfile profile) const;
  // One line for plans and reports, e.g. "allow in TCP 104 from 10.1.2.0/24 (DICOM)".
  std::string Describe() const;
};

// Reads a rule string of any v2.x schema. Repeated tokens (Profile, LPort, RA4, ...)
// add up; unknown tokens are kept in other_tokens; comma lists and port ranges in
// LPort=/RPort= are accepted as Windows' own service-hardening rules write them.
// On failure: kInvalidInput naming the field (1 = first after the version), its byte
// offset and the cause. Never reads out of bounds, whatever the input.
Result<FirewallRule> ParseFirewallRule(const std::string& text);

// The rule string. A parsed rule whose fields were not changed comes back byte for byte;
// a parsed rule that was changed keeps its version, order and unknown tokens, and only
// the changed fields are rewritten (new ones go where Windows puts them). A rule built
// in code is written as "v2.0|" with its fields in the order Windows writes them; one
// with port ranges, v2.10 port keywords or Defer= says "v2.10|" rather than lie.
// REQUIRES: ValidateForV20(rule) is OK for a rule built in code that goes to an NT 6.0 host.
std::string FormatFirewallRule(const FirewallRule& rule);

// OK when the rule can be written as a v2.0 string that Vista/Server 2008 accept: only
// v2.0 fields and keywords, single ports, and the MS-FASP 2.2.37 semantic checks
// (name present, ports only for TCP/UDP, RPC keywords only inbound TCP, ...).
// Otherwise kInvalidInput saying what cannot be expressed.
Status ValidateForV20(const FirewallRule& rule);

// "104", "5000-5020", "RPC,135" ...: a comma list of ports 0..65535, ranges "a-b" with
// a <= b, and the keywords of PortKeywordName. Spaces around commas are ignored.
Result<std::vector<FirewallPort>> ParsePortList(const std::string& text);
// "10.1.2.0/24,10.1.3.0/255.255.255.0,10.0.0.1-10.0.0.9,LocalSubnet,fe80::/64": a comma
// list of IPv4/IPv6 addresses, CIDR subnets, IPv4 dotted-mask subnets (contiguous,
// non-zero), ranges "a-b" with a <= b, and the keywords of AddressKeywordName.
Result<std::vector<FirewallAddress>> ParseAddressList(const std::string& text);

// The rule-string spellings: "RPC", "RPC-EPMap", "Teredo", "IPTLSIn", "IPHTTPSIn", ...
const char* PortKeywordName(PortKeyword keyword);
// "LocalSubnet", "DNS", "DHCP", "WINS", "DefaultGateway".
const char* AddressKeywordName(AddressKeyword keyword);
// "104", "5000-5020", "RPC".
std::string FormatPort(const FirewallPort& port);
// For people: "10.1.2.0/24", "10.0.0.1-10.0.0.9", "fe80::/64", "LocalSubnet".
std::string FormatAddress(const FirewallAddress& address);

}  // namespace otharden
