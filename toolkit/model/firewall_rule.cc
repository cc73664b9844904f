#include "toolkit/model/firewall_rule.h"

#include <cstdio>
#include <string_view>

namespace otharden {
namespace {

// ---- text helpers ---------------------------------------------------------

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool SameIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

// Messages may quote hostile input: keep them printable ASCII and short.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 80;
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

// 1..max_digits decimal digits, value <= max_value.
std::optional<uint32_t> ParseDecimal(std::string_view text, size_t max_digits, uint32_t max_value) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > max_value) return std::nullopt;
  return value;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Raw(const FirewallRuleToken& token) { return token.key + "=" + token.value + "|"; }

// ---- IP addresses ---------------------------------------------------------

// MS-GPFAS ADDRV4: four groups of 1..3 digits, each at most 255.
std::optional<uint32_t> ParseIpv4(std::string_view text) {
  uint32_t address = 0;
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    size_t dot = (i < 3) ? text.find('.', pos) : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    auto part = ParseDecimal(text.substr(pos, dot - pos), 3, 255);
    if (!part) return std::nullopt;
    address = (address << 8) | *part;
    pos = dot + 1;
  }
  return address;
}

std::string Ipv4Text(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

// Colon-separated hex groups; the last may be a dotted IPv4 address when allowed.
bool ParseIpv6Groups(std::string_view text, bool ipv4_tail_allowed, std::vector<uint16_t>& groups) {
  if (text.empty()) return true;
  size_t pos = 0;
  while (true) {
    size_t colon = text.find(':', pos);
    std::string_view piece = text.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
    bool last = colon == std::string_view::npos;
    if (piece.find('.') != std::string_view::npos) {
      if (!last || !ipv4_tail_allowed) return false;
      auto v4 = ParseIpv4(piece);
      if (!v4) return false;
      groups.push_back(static_cast<uint16_t>(*v4 >> 16));
      groups.push_back(static_cast<uint16_t>(*v4 & 0xffff));
      return groups.size() <= 8;
    }
    if (piece.empty() || piece.size() > 4) return false;
    uint16_t value = 0;
    for (char c : piece) {
      int digit;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      else return false;
      value = static_cast<uint16_t>(value * 16 + digit);
    }
    groups.push_back(value);
    if (groups.size() > 8) return false;
    if (last) return true;
    pos = colon + 1;
  }
}

// RFC 4291 2.2 text forms, without zone ids.
std::optional<std::array<uint8_t, 16>> ParseIpv6(std::string_view text) {
  if (text.size() < 2 || text.size() > 45) return std::nullopt;
  std::vector<uint16_t> head, tail;
  size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!ParseIpv6Groups(text, true, head) || head.size() != 8) return std::nullopt;
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    std::string_view before = text.substr(0, gap), after = text.substr(gap + 2);
    if (!ParseIpv6Groups(before, false, head) || !ParseIpv6Groups(after, true, tail)) return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  }
  std::array<uint16_t, 8> all{};
  for (size_t i = 0; i < head.size(); ++i) all[i] = head[i];
  for (size_t i = 0; i < tail.size(); ++i) all[8 - tail.size() + i] = tail[i];
  std::array<uint8_t, 16> bytes{};
  for (size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(all[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(all[i] & 0xff);
  }
  return bytes;
}

// RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::".
std::string Ipv6Text(const std::array<uint8_t, 16>& bytes) {
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<uint16_t>((bytes[2 * i] << 8) | bytes[2 * i + 1]);
  int best_start = -1, best_length = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) { ++i; continue; }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length && j - i >= 2) { best_start = i; best_length = j - i; }
    i = j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", groups[i]);
    out += buf;
  }
  return out;
}

uint32_t Ipv4Of(const std::array<uint8_t, 16>& bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
}

std::array<uint8_t, 16> BytesOfIpv4(uint32_t address) {
  std::array<uint8_t, 16> bytes{};
  bytes[0] = static_cast<uint8_t>(address >> 24);
  bytes[1] = static_cast<uint8_t>(address >> 16);
  bytes[2] = static_cast<uint8_t>(address >> 8);
  bytes[3] = static_cast<uint8_t>(address);
  return bytes;
}

std::string AddressText(const std::array<uint8_t, 16>& bytes, bool ipv6) {
  return ipv6 ? Ipv6Text(bytes) : Ipv4Text(Ipv4Of(bytes));
}

uint32_t MaskOfPrefix(int prefix_length) {
  return prefix_length <= 0 ? 0 : prefix_length >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix_length);
}

// ---- ports and addresses: one list entry ----------------------------------

constexpr PortKeyword kPortKeywords[] = {PortKeyword::kRpc,       PortKeyword::kRpcEpmap,  PortKeyword::kTeredo,
                                         PortKeyword::kIpTlsIn,   PortKeyword::kIpHttpsIn, PortKeyword::kIpTlsOut,
                                         PortKeyword::kIpHttpsOut};
constexpr AddressKeyword kAddressKeywords[] = {AddressKeyword::kLocalSubnet, AddressKeyword::kDns,
                                               AddressKeyword::kDhcp, AddressKeyword::kWins,
                                               AddressKeyword::kDefaultGateway};

bool IsV20PortKeyword(PortKeyword keyword) {
  return keyword == PortKeyword::kRpc || keyword == PortKeyword::kRpcEpmap || keyword == PortKeyword::kTeredo;
}

bool IsRemotePortKeyword(PortKeyword keyword) {
  return keyword == PortKeyword::kIpTlsOut || keyword == PortKeyword::kIpHttpsOut;
}

Result<FirewallPort> ParsePortEntry(std::string_view text) {
  FirewallPort port;
  for (PortKeyword keyword : kPortKeywords) {
    if (SameIgnoringCase(text, PortKeywordName(keyword))) {
      port.kind = FirewallPort::Kind::kKeyword;
      port.keyword = keyword;
      return port;
    }
  }
  size_t dash = text.find('-');
  std::string_view first = text.substr(0, dash);
  std::string_view last = dash == std::string_view::npos ? first : text.substr(dash + 1);
  for (std::string_view part : {first, last}) {
    if (!AllDigits(part)) {
      return Status::InvalidInput(Quote(text) + " is not a port, a port range a-b or a port keyword "
                                  "(RPC, RPC-EPMap, Teredo, IPTLSIn, IPHTTPSIn, IPTLSOut, IPHTTPSOut)");
    }
    if (!ParseDecimal(part, 5, 65535)) return Status::InvalidInput("port " + Quote(part) + " is not 0..65535");
  }
  port.first = static_cast<uint16_t>(*ParseDecimal(first, 5, 65535));
  port.last = static_cast<uint16_t>(*ParseDecimal(last, 5, 65535));
  if (port.first > port.last) {
    return Status::InvalidInput("port range " + Quote(text) + " starts after it ends");
  }
  return port;
}

std::optional<FirewallAddress> ParseHost(std::string_view text) {
  FirewallAddress address;
  if (text.find(':') != std::string_view::npos) {
    auto v6 = ParseIpv6(text);
    if (!v6) return std::nullopt;
    address.ipv6 = true;
    address.first = address.last = *v6;
    return address;
  }
  auto v4 = ParseIpv4(text);
  if (!v4) return std::nullopt;
  address.first = address.last = BytesOfIpv4(*v4);
  return address;
}

Result<FirewallAddress> ParseAddressEntry(std::string_view text) {
  for (AddressKeyword keyword : kAddressKeywords) {
    if (SameIgnoringCase(text, AddressKeywordName(keyword))) {
      FirewallAddress address;
      address.kind = FirewallAddress::Kind::kKeyword;
      address.keyword = keyword;
      return address;
    }
  }
  auto not_an_address = [&](std::string_view part) {
    return Status::InvalidInput(Quote(part) + " is not an IPv4 or IPv6 address, range, subnet or address keyword "
                                "(LocalSubnet, DNS, DHCP, WINS, DefaultGateway)");
  };
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    auto address = ParseHost(text.substr(0, slash));
    if (!address) return not_an_address(text);
    std::string_view suffix = text.substr(slash + 1);
    address->kind = FirewallAddress::Kind::kSubnet;
    if (!address->ipv6 && suffix.find('.') != std::string_view::npos) {
      auto mask = ParseIpv4(suffix);
      if (!mask) return Status::InvalidInput("subnet mask " + Quote(suffix) + " is not an IPv4 address");
      uint32_t inverted = ~*mask;
      // MS-FASP 2.2.4: the ones MUST be contiguous from the top; a zero mask is invalid.
      if (*mask == 0 || (inverted & (inverted + 1)) != 0) {
        return Status::InvalidInput("subnet mask " + Quote(suffix) + " is not a contiguous, non-zero mask");
      }
      int length = 0;
      for (uint32_t m = *mask; m != 0; m <<= 1) ++length;
      address->prefix_length = length;
      return *address;
    }
    int max_length = address->ipv6 ? 128 : 32;
    auto length = ParseDecimal(suffix, 3, static_cast<uint32_t>(max_length));
    if (!length || *length == 0) {
      return Status::InvalidInput("prefix length " + Quote(suffix) + " is not 1.." + std::to_string(max_length));
    }
    address->prefix_length = static_cast<int>(*length);
    return *address;
  }
  size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    auto first = ParseHost(text.substr(0, dash));
    auto last = ParseHost(text.substr(dash + 1));
    if (!first) return not_an_address(text.substr(0, dash));
    if (!last) return not_an_address(text.substr(dash + 1));
    if (first->ipv6 != last->ipv6) return Status::InvalidInput("address range " + Quote(text) + " mixes IPv4 and IPv6");
    if (last->first < first->first) {
      return Status::InvalidInput("address range " + Quote(text) + " starts after it ends");
    }
    first->kind = FirewallAddress::Kind::kRange;
    first->last = last->first;
    return *first;
  }
  auto address = ParseHost(text);
  if (!address) return not_an_address(text);
  return *address;
}

// Splits a comma list; spaces around entries are dropped only when trim is set.
template <typename T, typename ParseEntry>
Result<std::vector<T>> ParseList(std::string_view text, bool trim, const char* what, ParseEntry parse_entry) {
  std::vector<T> entries;
  size_t pos = 0;
  while (true) {
    size_t comma = text.find(',', pos);
    std::string_view entry = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (trim) {
      while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
      while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    }
    if (entry.empty()) return Status::InvalidInput(std::string("empty entry in ") + what + " list " + Quote(text));
    Result<T> parsed = parse_entry(entry);
    if (!parsed.ok()) return parsed.status();
    entries.push_back(std::move(parsed.value()));
    if (comma == std::string_view::npos) return entries;
    pos = comma + 1;
  }
}

// The value a rule string holds; IPv4 subnets take the dotted mask, as Windows writes them.
std::string AddressValue(const FirewallAddress& address) {
  switch (address.kind) {
    case FirewallAddress::Kind::kKeyword: return AddressKeywordName(address.keyword);
    case FirewallAddress::Kind::kSingle: return AddressText(address.first, address.ipv6);
    case FirewallAddress::Kind::kRange:
      return AddressText(address.first, address.ipv6) + "-" + AddressText(address.last, address.ipv6);
    case FirewallAddress::Kind::kSubnet:
      if (address.ipv6) return Ipv6Text(address.first) + "/" + std::to_string(address.prefix_length);
      return Ipv4Text(Ipv4Of(address.first)) + "/" + Ipv4Text(MaskOfPrefix(address.prefix_length));
  }
  return "";
}

// ---- the fields the model knows -------------------------------------------

// In the order Windows writes them (MS-GPFAS 4.2 and the default rules of Windows 7 and
// later: Action|Active|Dir|Protocol|Profile|LPort|RPort|ICMP|LA|RA|IFType|App|Svc|Name|
// Desc|EmbedCtxt|Edge|Defer, Security after Name). IF, LSM, RMauth and RUAuth: no string
// written by Windows was found; they go next to their neighbours in FW_RULE (L).
enum Field {
  kAction, kActive, kDir, kProtocol, kProfile, kLocalPorts, kRemotePorts, kIcmp4, kIcmp6,
  kLocalV4, kLocalV6, kRemoteV4, kRemoteV6, kInterfaces, kInterfaceTypes, kApp, kService,
  kName, kDescription, kGrouping, kEdge, kDefer, kLsm, kRmAuth, kRuAuth, kSecurity, kFieldCount
};

struct KeyInfo {
  const char* key;  // the spelling we write
  Field field;
  bool once;        // "MUST appear at most once"
};

constexpr KeyInfo kKeys[] = {
    {"Action", kAction, true},        {"Active", kActive, true},
    {"Dir", kDir, true},              {"Protocol", kProtocol, true},
    {"Profile", kProfile, false},     {"LPort", kLocalPorts, false},
    {"LPort2_10", kLocalPorts, false}, {"RPort", kRemotePorts, false},
    {"RPort2_10", kRemotePorts, false}, {"ICMP4", kIcmp4, false},
    {"ICMP6", kIcmp6, false},         {"LA4", kLocalV4, false},
    {"LA6", kLocalV6, false},         {"RA4", kRemoteV4, false},
    {"RA6", kRemoteV6, false},        {"IF", kInterfaces, false},
    {"IFType", kInterfaceTypes, false}, {"App", kApp, true},
    {"Svc", kService, true},          {"Name", kName, true},
    {"Desc", kDescription, true},     {"EmbedCtxt", kGrouping, true},
    {"Edge", kEdge, true},            {"Defer", kDefer, true},
    {"LSM", kLsm, true},              {"RMauth", kRmAuth, true},
    {"RUAuth", kRuAuth, true},        {"Security", kSecurity, true},
};
constexpr size_t kKeyCount = sizeof kKeys / sizeof kKeys[0];

// Index into kKeys, or kKeyCount for a key the model does not know.
size_t KeyIndex(std::string_view key) {
  for (size_t i = 0; i < kKeyCount; ++i) {
    if (SameIgnoringCase(key, kKeys[i].key)) return i;
  }
  return kKeyCount;
}

const char* ActionName(FirewallAction action) {
  switch (action) {
    case FirewallAction::kAllow: return "Allow";
    case FirewallAction::kBlock: return "Block";
    case FirewallAction::kBypass: return "ByPass";
  }
  return "?";
}

const char* DirectionName(FirewallDirection direction) { return direction == FirewallDirection::kIn ? "In" : "Out"; }

const char* InterfaceTypeName(InterfaceType type) {
  switch (type) {
    case InterfaceType::kLan: return "Lan";
    case InterfaceType::kWireless: return "Wireless";
    case InterfaceType::kRemoteAccess: return "RemoteAccess";
  }
  return "?";
}

const char* SecurityName(FirewallSecurity security) {
  return security == FirewallSecurity::kAuthenticate ? "Authenticate" : "AuthenticateEncrypt";
}

std::string IcmpValue(const IcmpTypeCode& icmp) {
  return std::to_string(icmp.type) + ":" + (icmp.code ? std::to_string(*icmp.code) : std::string("*"));
}

// Keeps a choice among spellings; matching is case-insensitive (RFC 4234 2.3).
template <typename T, size_t N>
std::optional<T> Choose(std::string_view value, const std::pair<const char*, T> (&choices)[N]) {
  for (const auto& choice : choices) {
    if (SameIgnoringCase(value, choice.first)) return choice.second;
  }
  return std::nullopt;
}

template <typename T, size_t N>
std::string ChoiceList(const std::pair<const char*, T> (&choices)[N]) {
  std::string list;
  for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice.first);
  return list;
}

const std::pair<const char*, FirewallAction> kActionChoices[] = {
    {"Allow", FirewallAction::kAllow}, {"Block", FirewallAction::kBlock}, {"ByPass", FirewallAction::kBypass}};
const std::pair<const char*, FirewallDirection> kDirChoices[] = {{"In", FirewallDirection::kIn},
                                                                  {"Out", FirewallDirection::kOut}};
const std::pair<const char*, bool> kBoolChoices[] = {{"TRUE", true}, {"FALSE", false}};
const std::pair<const char*, FirewallProfile> kProfileChoices[] = {{"Domain", FirewallProfile::kDomain},
                                                                    {"Private", FirewallProfile::kPrivate},
                                                                    {"Public", FirewallProfile::kPublic}};
const std::pair<const char*, InterfaceType> kInterfaceTypeChoices[] = {
    {"Lan", InterfaceType::kLan},
    {"Wireless", InterfaceType::kWireless},
    {"RemoteAccess", InterfaceType::kRemoteAccess}};
const std::pair<const char*, EdgeDefer> kDeferChoices[] = {{"App", EdgeDefer::kApp}, {"User", EdgeDefer::kUser}};
const std::pair<const char*, FirewallSecurity> kSecurityChoices[] = {
    {"Authenticate", FirewallSecurity::kAuthenticate}, {"AuthenticateEncrypt", FirewallSecurity::kAuthenticateEncrypt}};

// The rule-string text of one field, canonical: what a rule built in code gets, and what
// tells whether a parsed field was changed.
std::string EmitField(const FirewallRule& rule, Field field) {
  std::string out;
  auto add = [&out](const char* key, const std::string& value) { out += std::string(key) + "=" + value + "|"; };
  auto add_text = [&add](const char* key, const std::string& value) {
    if (!value.empty()) add(key, value);
  };
  switch (field) {
    case kAction: add("Action", ActionName(rule.action)); break;
    case kActive: add("Active", rule.active ? "TRUE" : "FALSE"); break;
    case kDir: add("Dir", DirectionName(rule.direction)); break;
    case kProtocol:
      if (rule.protocol) add("Protocol", std::to_string(*rule.protocol));
      break;
    case kProfile:
      for (const auto& choice : kProfileChoices) {
        if (rule.profiles & static_cast<uint32_t>(choice.second)) add("Profile", choice.first);
      }
      break;
    case kLocalPorts:
      for (const FirewallPort& port : rule.local_ports) {
        bool v20 = port.kind == FirewallPort::Kind::kKeyword ? IsV20PortKeyword(port.keyword) : port.first == port.last;
        add(v20 ? "LPort" : "LPort2_10", FormatPort(port));
      }
      break;
    case kRemotePorts:
      for (const FirewallPort& port : rule.remote_ports) {
        bool v20 = port.kind == FirewallPort::Kind::kRange && port.first == port.last;
        add(v20 ? "RPort" : "RPort2_10", FormatPort(port));
      }
      break;
    case kIcmp4: for (const auto& icmp : rule.icmp4) add("ICMP4", IcmpValue(icmp)); break;
    case kIcmp6: for (const auto& icmp : rule.icmp6) add("ICMP6", IcmpValue(icmp)); break;
    case kLocalV4: for (const auto& a : rule.local_v4) add("LA4", AddressValue(a)); break;
    case kLocalV6: for (const auto& a : rule.local_v6) add("LA6", AddressValue(a)); break;
    case kRemoteV4: for (const auto& a : rule.remote_v4) add("RA4", AddressValue(a)); break;
    case kRemoteV6: for (const auto& a : rule.remote_v6) add("RA6", AddressValue(a)); break;
    case kInterfaces: for (const auto& guid : rule.interfaces) add("IF", guid); break;
    case kInterfaceTypes: for (InterfaceType type : rule.interface_types) add("IFType", InterfaceTypeName(type)); break;
    case kApp: add_text("App", rule.app); break;
    case kService: add_text("Svc", rule.service); break;
    case kName: add_text("Name", rule.name); break;
    case kDescription: add_text("Desc", rule.description); break;
    case kGrouping: add_text("EmbedCtxt", rule.grouping); break;
    case kEdge:
      if (rule.edge) add("Edge", "TRUE");
      break;
    case kDefer:
      if (rule.defer) add("Defer", *rule.defer == EdgeDefer::kApp ? "App" : "User");
      break;
    case kLsm:
      if (rule.loose_source_mapping) add("LSM", "TRUE");
      break;
    case kRmAuth: add_text("RMauth", rule.remote_machine_auth); break;
    case kRuAuth: add_text("RUAuth", rule.remote_user_auth); break;
    case kSecurity:
      if (rule.security) add("Security", SecurityName(*rule.security));
      break;
    case kFieldCount: break;
  }
  return out;
}

// MS-GPFAS IF-VAL: a GUID, with or without braces.
bool IsGuid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

Result<IcmpTypeCode> ParseIcmp(std::string_view value) {
  size_t colon = value.find(':');
  auto type = colon == std::string_view::npos ? std::nullopt : ParseDecimal(value.substr(0, colon), 3, 255);
  std::string_view code_text = colon == std::string_view::npos ? std::string_view() : value.substr(colon + 1);
  auto code = ParseDecimal(code_text, 3, 255);
  if (!type || (code_text != "*" && !code)) {
    return Status::InvalidInput("expected an ICMP type:code (0..255:0..255 or 0..255:*), got " + Quote(value));
  }
  IcmpTypeCode icmp;
  icmp.type = static_cast<uint8_t>(*type);
  if (code) icmp.code = static_cast<uint8_t>(*code);
  return icmp;
}

template <typename T, size_t N>
Status BadChoice(std::string_view key, std::string_view value, const std::pair<const char*, T> (&choices)[N]) {
  return Status::InvalidInput(std::string(key) + " must be one of " + ChoiceList(choices) + ", not " + Quote(value));
}

// Applies one known field to the rule; the Status message says what is wrong with the value.
Status ApplyField(const KeyInfo& info, std::string_view value, FirewallRule& rule) {
  std::string_view key = info.key;
  auto ports = [&](std::vector<FirewallPort>& list, bool local, bool v2_10) -> Status {
    auto parsed = ParseList<FirewallPort>(value, false, "port", ParsePortEntry);
    if (!parsed.ok()) return parsed.status();
    for (const FirewallPort& port : parsed.value()) {
      if (port.kind == FirewallPort::Kind::kKeyword) {
        bool allowed = local ? (v2_10 ? !IsV20PortKeyword(port.keyword) && !IsRemotePortKeyword(port.keyword)
                                      : IsV20PortKeyword(port.keyword))
                             : (v2_10 && IsRemotePortKeyword(port.keyword));
        if (!allowed) {
          return Status::InvalidInput(std::string("the port keyword ") + PortKeywordName(port.keyword) +
                                      " is not allowed in " + std::string(key) + "=");
        }
      }
      list.push_back(port);
    }
    return Status::Ok();
  };
  auto addresses = [&](std::vector<FirewallAddress>& list, bool ipv6, bool remote) -> Status {
    auto parsed = ParseList<FirewallAddress>(value, false, "address", ParseAddressEntry);
    if (!parsed.ok()) return parsed.status();
    for (const FirewallAddress& address : parsed.value()) {
      if (address.kind == FirewallAddress::Kind::kKeyword) {
        if (!remote) {
          return Status::InvalidInput(std::string(key) + "= cannot hold the keyword " +
                                      AddressKeywordName(address.keyword) + " (remote addresses only)");
        }
      } else if (address.ipv6 != ipv6) {
        return Status::InvalidInput(std::string(key) + "= takes " + (ipv6 ? "IPv6" : "IPv4") + " addresses, not " +
                                    FormatAddress(address));
      }
      list.push_back(address);
    }
    return Status::Ok();
  };
  auto choose_bool = [&](bool& target) -> Status {
    auto choice = Choose(value, kBoolChoices);
    if (!choice) return BadChoice(key, value, kBoolChoices);
    target = *choice;
    return Status::Ok();
  };

  switch (info.field) {
    case kAction: {
      auto choice = Choose(value, kActionChoices);
      if (!choice) return BadChoice(key, value, kActionChoices);
      rule.action = *choice;
      return Status::Ok();
    }
    case kActive: return choose_bool(rule.active);
    case kDir: {
      auto choice = Choose(value, kDirChoices);
      if (!choice) return BadChoice(key, value, kDirChoices);
      rule.direction = *choice;
      return Status::Ok();
    }
    case kProtocol: {
      // Windows' own service-hardening rules also spell TCP and UDP by name ("Protocol=tcp").
      if (SameIgnoringCase(value, "TCP")) rule.protocol = 6;
      else if (SameIgnoringCase(value, "UDP")) rule.protocol = 17;
      else if (auto number = ParseDecimal(value, 3, 255)) rule.protocol = static_cast<uint8_t>(*number);
      else return Status::InvalidInput("Protocol must be a number 0..255, not " + Quote(value));
      return Status::Ok();
    }
    case kProfile: {
      auto choice = Choose(value, kProfileChoices);
      if (!choice) return BadChoice(key, value, kProfileChoices);
      rule.profiles |= static_cast<uint32_t>(*choice);
      return Status::Ok();
    }
    case kLocalPorts: return ports(rule.local_ports, true, key == "LPort2_10");
    case kRemotePorts: return ports(rule.remote_ports, false, key == "RPort2_10");
    case kIcmp4:
    case kIcmp6: {
      auto icmp = ParseIcmp(value);
      if (!icmp.ok()) return icmp.status();
      (info.field == kIcmp4 ? rule.icmp4 : rule.icmp6).push_back(icmp.value());
      return Status::Ok();
    }
    case kLocalV4: return addresses(rule.local_v4, false, false);
    case kLocalV6: return addresses(rule.local_v6, true, false);
    case kRemoteV4: return addresses(rule.remote_v4, false, true);
    case kRemoteV6: return addresses(rule.remote_v6, true, true);
    case kInterfaces:
      if (!IsGuid(value)) return Status::InvalidInput("IF must be an interface GUID, not " + Quote(value));
      rule.interfaces.emplace_back(value);
      return Status::Ok();
    case kInterfaceTypes: {
      auto choice = Choose(value, kInterfaceTypeChoices);
      if (!choice) return BadChoice(key, value, kInterfaceTypeChoices);
      rule.interface_types.push_back(*choice);
      return Status::Ok();
    }
    case kApp: rule.app = value; return Status::Ok();
    case kService: rule.service = value; return Status::Ok();
    case kName: rule.name = value; return Status::Ok();
    case kDescription: rule.description = value; return Status::Ok();
    case kGrouping: rule.grouping = value; return Status::Ok();
    case kEdge: return choose_bool(rule.edge);
    case kDefer: {
      auto choice = Choose(value, kDeferChoices);
      if (!choice) return BadChoice(key, value, kDeferChoices);
      rule.defer = *choice;
      return Status::Ok();
    }
    case kLsm: return choose_bool(rule.loose_source_mapping);
    case kRmAuth: rule.remote_machine_auth = value; return Status::Ok();
    case kRuAuth: rule.remote_user_auth = value; return Status::Ok();
    case kSecurity: {
      auto choice = Choose(value, kSecurityChoices);
      if (!choice) return BadChoice(key, value, kSecurityChoices);
      rule.security = *choice;
      return Status::Ok();
    }
    case kFieldCount: break;
  }
  return Status::Internal("firewall rule: field without a handler");
}

// Port ranges, port keywords other than RPC/RPC-EPMap/Teredo (and any remote port keyword)
// and Defer= exist from schema 0x020A on: EmitField writes them as LPort2_10=/RPort2_10=.
bool NeedsV210(const FirewallRule& rule) {
  for (const FirewallPort& port : rule.local_ports) {
    if (port.kind == FirewallPort::Kind::kKeyword ? !IsV20PortKeyword(port.keyword) : port.first != port.last) {
      return true;
    }
  }
  for (const FirewallPort& port : rule.remote_ports) {
    if (port.kind == FirewallPort::Kind::kKeyword || port.first != port.last) return true;
  }
  return rule.defer.has_value();
}

// ---- describing -----------------------------------------------------------

std::string ProtocolLabel(const std::optional<uint8_t>& protocol) {
  if (!protocol) return "any";
  switch (*protocol) {
    case 1: return "ICMPv4";
    case 2: return "IGMP";
    case 6: return "TCP";
    case 17: return "UDP";
    case 41: return "IPv6";
    case 47: return "GRE";
    case 58: return "ICMPv6";
  }
  return "protocol " + std::to_string(*protocol);
}

template <typename T, typename Format>
std::string JoinList(const std::vector<T>& items, Format format) {
  std::string out;
  for (const T& item : items) out += (out.empty() ? "" : ",") + format(item);
  return out;
}

std::string Addresses(const FirewallRule& rule, bool remote) {
  std::string v4 = JoinList(remote ? rule.remote_v4 : rule.local_v4, FormatAddress);
  std::string v6 = JoinList(remote ? rule.remote_v6 : rule.local_v6, FormatAddress);
  if (v4.empty()) return v6;
  return v6.empty() ? v4 : v4 + "," + v6;
}

// ---- validation -----------------------------------------------------------

Status CheckText(const char* key, const std::string& value, size_t max_length, const char* forbidden) {
  if (value.size() >= max_length) {
    return Status::InvalidInput(std::string(key) + " is " + std::to_string(value.size()) +
                                " characters long; at most " + std::to_string(max_length - 1) + " are allowed");
  }
  for (char c : value) {
    if (c == '\0' || std::string_view(forbidden).find(c) != std::string_view::npos) {
      return Status::InvalidInput(std::string(key) + " " + Quote(value) + " contains " +
                                  (c == '\0' ? std::string("a NUL character") : Quote(std::string(1, c))));
    }
  }
  return Status::Ok();
}

bool IsLoopbackOrUnspecified(const std::array<uint8_t, 16>& bytes) {
  for (int i = 0; i < 15; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[15] <= 1;
}

Status CheckAddresses(const char* key, const std::vector<FirewallAddress>& list, bool ipv6, bool remote) {
  for (const FirewallAddress& address : list) {
    if (address.kind == FirewallAddress::Kind::kKeyword) {
      if (!remote) return Status::InvalidInput(std::string(key) + " cannot hold address keywords (remote only)");
      continue;
    }
    if (address.ipv6 != ipv6) {
      return Status::InvalidInput(std::string(key) + " entry " + FormatAddress(address) + " is not " +
                                  (ipv6 ? "IPv6" : "IPv4"));
    }
    int max_length = ipv6 ? 128 : 32;
    if (address.kind == FirewallAddress::Kind::kSubnet &&
        (address.prefix_length < 1 || address.prefix_length > max_length)) {
      return Status::InvalidInput(std::string(key) + " subnet prefix length " + std::to_string(address.prefix_length) +
                                  " is not 1.." + std::to_string(max_length));
    }
    if (address.kind == FirewallAddress::Kind::kRange && address.last < address.first) {
      return Status::InvalidInput(std::string(key) + " range " + FormatAddress(address) + " starts after it ends");
    }
    // MS-FASP 2.2.6 and 2.2.10: no unspecified or loopback IPv6 addresses.
    if (ipv6 && (IsLoopbackOrUnspecified(address.first) ||
                 (address.kind == FirewallAddress::Kind::kRange && IsLoopbackOrUnspecified(address.last)))) {
      return Status::InvalidInput(std::string(key) + " entry " + FormatAddress(address) +
                                  " is the unspecified or loopback IPv6 address");
    }
  }
  return Status::Ok();
}

}  // namespace

// ---- public API ------------------------------------------------------------

const char* PortKeywordName(PortKeyword keyword) {
  switch (keyword) {
    case PortKeyword::kRpc: return "RPC";
    case PortKeyword::kRpcEpmap: return "RPC-EPMap";
    case PortKeyword::kTeredo: return "Teredo";
    case PortKeyword::kIpTlsIn: return "IPTLSIn";
    case PortKeyword::kIpHttpsIn: return "IPHTTPSIn";
    case PortKeyword::kIpTlsOut: return "IPTLSOut";
    case PortKeyword::kIpHttpsOut: return "IPHTTPSOut";
  }
  return "?";
}

const char* AddressKeywordName(AddressKeyword keyword) {
  switch (keyword) {
    case AddressKeyword::kLocalSubnet: return "LocalSubnet";
    case AddressKeyword::kDns: return "DNS";
    case AddressKeyword::kDhcp: return "DHCP";
    case AddressKeyword::kWins: return "WINS";
    case AddressKeyword::kDefaultGateway: return "DefaultGateway";
  }
  return "?";
}

std::string FormatPort(const FirewallPort& port) {
  if (port.kind == FirewallPort::Kind::kKeyword) return PortKeywordName(port.keyword);
  if (port.first == port.last) return std::to_string(port.first);
  return std::to_string(port.first) + "-" + std::to_string(port.last);
}

std::string FormatAddress(const FirewallAddress& address) {
  if (address.kind == FirewallAddress::Kind::kSubnet) {
    return AddressText(address.first, address.ipv6) + "/" + std::to_string(address.prefix_length);
  }
  return AddressValue(address);
}

Result<std::vector<FirewallPort>> ParsePortList(const std::string& text) {
  return ParseList<FirewallPort>(text, true, "port", ParsePortEntry);
}

Result<std::vector<FirewallAddress>> ParseAddressList(const std::string& text) {
  return ParseList<FirewallAddress>(text, true, "address", ParseAddressEntry);
}

Result<FirewallRule> ParseFirewallRule(const std::string& text) {
  auto fail = [](const std::string& message) { return Status::InvalidInput("firewall rule: " + message); };
  if (text.empty()) return fail("empty rule string");
  if (text[0] != 'v' && text[0] != 'V') {
    return fail("expected 'v' and a schema version (v2.0, v2.10, ...) at offset 0, got " + Quote(text.substr(0, 8)));
  }
  size_t bar = text.find('|');
  if (bar == std::string::npos) return fail("no '|' after the version " + Quote(text));
  std::string_view version(text.data() + 1, bar - 1);
  size_t dot = version.find('.');
  auto major = dot == std::string_view::npos ? std::nullopt : ParseDecimal(version.substr(0, dot), 3, 255);
  auto minor = dot == std::string_view::npos ? std::nullopt : ParseDecimal(version.substr(dot + 1), 3, 255);
  if (!major || !minor) {
    return fail("version " + Quote(text.substr(0, bar)) + " is not v<major>.<minor> (each 0..255)");
  }
  if (*major != 2) return fail("version " + Quote(text.substr(0, bar)) + " is not supported (only v2.x)");

  FirewallRule rule;
  FirewallRuleSource source;
  source.text = text;
  source.version = text.substr(0, bar);
  source.schema_version = static_cast<uint16_t>((*major << 8) | *minor);
  bool seen[kKeyCount] = {};
  size_t pos = bar + 1;
  if (pos == text.size()) return fail("no fields after the version");
  for (int index = 1; pos < text.size(); ++index) {
    std::string where = "field " + std::to_string(index) + " at offset " + std::to_string(pos);
    size_t end = text.find('|', pos);
    if (end == std::string::npos) {
      return fail(where + " " + Quote(std::string_view(text).substr(pos)) + " does not end with '|'");
    }
    std::string_view field(text.data() + pos, end - pos);
    if (field.empty()) return fail(where + " is empty ('||')");
    size_t equals = field.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return fail(where + " " + Quote(field) + " is not Key=Value");
    }
    FirewallRuleToken token{std::string(field.substr(0, equals)), std::string(field.substr(equals + 1))};
    size_t key = KeyIndex(token.key);
    if (key == kKeyCount) {
      rule.other_tokens.push_back(token);
    } else {
      if (kKeys[key].once && seen[key]) return fail(where + ": " + kKeys[key].key + "= appears more than once");
      seen[key] = true;
      Status applied = ApplyField(kKeys[key], token.value, rule);
      if (!applied.ok()) return fail(where + " " + Quote(field) + ": " + applied.message());
    }
    source.tokens.push_back(std::move(token));
    pos = end + 1;
  }
  // Without these the model would have to guess, and a guess could hide an allow rule.
  if (!seen[KeyIndex("Action")]) return fail("no Action= field");
  if (!seen[KeyIndex("Dir")]) return fail("no Dir= field");

  source.other_tokens = rule.other_tokens;
  for (int field = 0; field < kFieldCount; ++field) {
    source.modelled_fields.push_back(EmitField(rule, static_cast<Field>(field)));
  }
  rule.source = std::move(source);
  return rule;
}

std::string FormatFirewallRule(const FirewallRule& rule) {
  std::string now[kFieldCount];
  for (int field = 0; field < kFieldCount; ++field) now[field] = EmitField(rule, static_cast<Field>(field));

  if (!rule.source || rule.source->modelled_fields.size() != kFieldCount) {
    // A string must not claim v2.0 while it carries v2.10 tokens: a v2.0 reader would
    // skip them and enforce a wider rule.
    std::string out = NeedsV210(rule) ? "v2.10|" : "v2.0|";
    for (const std::string& text : now) out += text;
    for (const FirewallRuleToken& token : rule.other_tokens) out += Raw(token);
    return out;
  }

  const FirewallRuleSource& source = *rule.source;
  bool others_changed = rule.other_tokens != source.other_tokens;
  bool changed[kFieldCount];
  bool any_change = others_changed;
  for (int field = 0; field < kFieldCount; ++field) {
    changed[field] = now[field] != source.modelled_fields[field];
    any_change = any_change || changed[field];
  }
  if (!any_change) return source.text;

  // Rewrite only what changed: changed fields take the place of their first token,
  // fields that were absent go before the first token that Windows writes after them.
  bool present[kFieldCount] = {};
  for (const FirewallRuleToken& token : source.tokens) {
    size_t key = KeyIndex(token.key);
    if (key != kKeyCount) present[kKeys[key].field] = true;
  }
  bool written[kFieldCount] = {};
  std::string out = source.version + "|";
  auto add_new_fields_before = [&](int limit) {
    for (int field = 0; field < limit; ++field) {
      if (!present[field] && !written[field] && changed[field]) {
        out += now[field];
        written[field] = true;
      }
    }
  };
  for (const FirewallRuleToken& token : source.tokens) {
    size_t key = KeyIndex(token.key);
    if (key == kKeyCount) {
      if (!others_changed) out += Raw(token);
      continue;
    }
    Field field = kKeys[key].field;
    add_new_fields_before(field);
    if (!changed[field]) {
      out += Raw(token);
    } else if (!written[field]) {
      out += now[field];
      written[field] = true;
    }
  }
  add_new_fields_before(kFieldCount);
  if (others_changed) {
    for (const FirewallRuleToken& token : rule.other_tokens) out += Raw(token);
  }
  return out;
}

Status ValidateForV20(const FirewallRule& rule) {
  auto fail = [&rule](const std::string& message) {
    return Status::InvalidInput("firewall rule " + Quote(rule.name) + " cannot be written as v2.0: " + message);
  };
  // MS-FASP 2.2.37: the strings.
  if (rule.name.empty()) return fail("it has no name");
  if (SameIgnoringCase(rule.name, "ALL")) return fail("the name 'ALL' is reserved");
  struct TextField { const char* key; const std::string* value; size_t max; const char* forbidden; };
  const TextField texts[] = {
      {"Name", &rule.name, 10000, "|"},         {"Desc", &rule.description, 10000, "|"},
      {"EmbedCtxt", &rule.grouping, 10000, "|"}, {"App", &rule.app, 260, "/*?\"<>|"},
      {"Svc", &rule.service, 260, "/\\|"},      {"RMauth", &rule.remote_machine_auth, 10000, "|"},
      {"RUAuth", &rule.remote_user_auth, 10000, "|"},
  };
  for (const TextField& text : texts) {
    Status checked = CheckText(text.key, *text.value, text.max, text.forbidden);
    if (!checked.ok()) return fail(checked.message());
  }
  if (!rule.other_tokens.empty()) {
    return fail("it has fields this toolkit does not write (" + rule.other_tokens.front().key + "=...)");
  }
  if (rule.defer) return fail("Defer= is a v2.10 field");
  if (rule.profiles & ~uint32_t{7}) return fail("unknown profile bits");

  // Ports and ICMP belong to their protocols.
  bool tcp_or_udp = rule.protocol && (*rule.protocol == 6 || *rule.protocol == 17);
  if ((!rule.local_ports.empty() || !rule.remote_ports.empty()) && !tcp_or_udp) {
    return fail("ports need Protocol 6 (TCP) or 17 (UDP), not " + ProtocolLabel(rule.protocol));
  }
  if (!rule.icmp4.empty() && rule.protocol != 1) return fail("ICMP4 types need Protocol 1");
  if (!rule.icmp6.empty() && rule.protocol != 58) return fail("ICMP6 types need Protocol 58");
  for (int side = 0; side < 2; ++side) {
    const auto& ports = side == 0 ? rule.local_ports : rule.remote_ports;
    const char* key = side == 0 ? "LPort" : "RPort";
    for (const FirewallPort& port : ports) {
      if (port.kind == FirewallPort::Kind::kRange && port.first > port.last) {
        return fail(std::string(key) + " range " + FormatPort(port) + " starts after it ends");
      }
      if (port.kind == FirewallPort::Kind::kRange && port.first != port.last) {
        return fail(std::string(key) + " range " + FormatPort(port) + ": port ranges need v2.10 (list the ports)");
      }
      if (port.kind != FirewallPort::Kind::kKeyword) continue;
      if (side == 1 || !IsV20PortKeyword(port.keyword)) {
        return fail(std::string(key) + " keyword " + PortKeywordName(port.keyword) + " is not v2.0");
      }
      if (rule.direction != FirewallDirection::kIn) {
        return fail(std::string("the port keyword ") + PortKeywordName(port.keyword) + " needs an inbound rule");
      }
      uint8_t needed = port.keyword == PortKeyword::kTeredo ? 17 : 6;
      if (rule.protocol != needed) {
        return fail(std::string("the port keyword ") + PortKeywordName(port.keyword) + " needs Protocol " +
                    std::to_string(needed));
      }
    }
  }
  const std::pair<const char*, size_t> counts[] = {
      {"LPort", rule.local_ports.size()}, {"RPort", rule.remote_ports.size()}, {"ICMP4", rule.icmp4.size()},
      {"ICMP6", rule.icmp6.size()},       {"LA4", rule.local_v4.size()},       {"LA6", rule.local_v6.size()},
      {"RA4", rule.remote_v4.size()},     {"RA6", rule.remote_v6.size()},      {"IF", rule.interfaces.size()}};
  for (const auto& count : counts) {
    // MS-FASP: every list is [range(0, 1000)].
    if (count.second > 1000) return fail(std::string("more than 1000 ") + count.first + " entries");
  }

  for (Status checked : {CheckAddresses("LA4", rule.local_v4, false, false),
                         CheckAddresses("LA6", rule.local_v6, true, false),
                         CheckAddresses("RA4", rule.remote_v4, false, true),
                         CheckAddresses("RA6", rule.remote_v6, true, true)}) {
    if (!checked.ok()) return fail(checked.message());
  }
  for (const std::string& guid : rule.interfaces) {
    if (!IsGuid(guid)) return fail("IF " + Quote(guid) + " is not a GUID");
  }

  // MS-FASP 2.2.35 and 2.2.37: flags and actions.
  if (rule.edge && rule.direction != FirewallDirection::kIn) return fail("edge traversal is for inbound rules only");
  if (rule.loose_source_mapping &&
      (rule.direction == FirewallDirection::kIn || rule.protocol == 6 || rule.security)) {
    return fail("loose source mapping is for outbound non-TCP rules without IPsec only");
  }
  if (rule.security && rule.action == FirewallAction::kBlock) return fail("a block rule cannot require IPsec");
  if ((!rule.remote_machine_auth.empty() || !rule.remote_user_auth.empty()) && !rule.security) {
    return fail("remote machine/user authorization needs Security=Authenticate or AuthenticateEncrypt");
  }
  if (!rule.remote_machine_auth.empty() && rule.direction == FirewallDirection::kOut) {
    return fail("remote machine authorization is for inbound rules only");
  }
  if (rule.action == FirewallAction::kBypass &&
      (rule.direction != FirewallDirection::kIn || !rule.security || rule.remote_machine_auth.empty())) {
    return fail("ByPass needs an inbound rule with Security= and RMauth=");
  }
  return Status::Ok();
}

bool FirewallRule::AppliesToProfile(FirewallProfile profile) const {
  return profiles == 0 || (profiles & static_cast<uint32_t>(profile)) != 0;
}

std::string FirewallRule::Describe() const {
  std::string out = active ? "" : "[disabled] ";
  out += action == FirewallAction::kAllow ? "allow" : action == FirewallAction::kBlock ? "block" : "bypass";
  bool in = direction == FirewallDirection::kIn;
  out += in ? " in " : " out ";
  out += ProtocolLabel(protocol);
  const auto& near_ports = in ? local_ports : remote_ports;
  const auto& far_ports = in ? remote_ports : local_ports;
  if (!near_ports.empty()) out += " " + JoinList(near_ports, FormatPort);
  if (!icmp4.empty()) out += " " + JoinList(icmp4, IcmpValue);
  if (!icmp6.empty()) out += " " + JoinList(icmp6, IcmpValue);
  std::string remote = Addresses(*this, true);
  out += (in ? " from " : " to ") + (remote.empty() ? std::string("any") : remote);
  if (!far_ports.empty()) out += (in ? " remote port " : " local port ") + JoinList(far_ports, FormatPort);
  std::string local = Addresses(*this, false);
  if (!local.empty()) out += " on " + local;
  if (!interface_types.empty()) {
    out += " via " + JoinList(interface_types, [](InterfaceType type) { return std::string(InterfaceTypeName(type)); });
  }
  if (!app.empty()) out += " program " + app;
  if (!service.empty()) out += " service " + service;
  if (security) out += *security == FirewallSecurity::kAuthenticate ? " if authenticated" : " if encrypted";
  if (edge) out += " with edge traversal";
  if (profiles != 0) {
    std::string names;
    const char* labels[] = {"domain", "private", "public"};
    for (int bit = 0; bit < 3; ++bit) {
      if (profiles & (1u << bit)) names += (names.empty() ? "" : ",") + std::string(labels[bit]);
    }
    out += " [" + names + "]";
  }
  if (!other_tokens.empty()) {
    out += " +" + JoinList(other_tokens, [](const FirewallRuleToken& token) { return token.key; });
  }
  if (!name.empty()) out += " (" + name + ")";
  return out;
}

}  // namespace otharden
