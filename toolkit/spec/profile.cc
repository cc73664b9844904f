#include "toolkit/spec/profile.h"

#include <cctype>
#include <sstream>

#include "toolkit/spec/xml_input.h"

namespace otharden {

const char* ServiceDirectiveName(ServiceDirective directive) {
  switch (directive) {
    case ServiceDirective::kDisable: return "disable";
    case ServiceDirective::kManual: return "manual";
    case ServiceDirective::kMustRun: return "must-run";
  }
  return "?";
}

const ProtectedServices::Entry* ProtectedServices::Find(const std::string& name) const {
  for (const Entry& e : entries) {
    if (SameServiceName(e.name, name)) return &e;
  }
  return nullptr;
}

namespace {

using tinyxml2::XMLElement;

// The SCM's rules for a service name: 1..256 characters, no '/' or '\'
// (CreateService documentation). We also refuse control characters and
// spaces, which no real service key uses and which would only confuse output.
bool IsServiceName(const std::string& name) {
  if (name.empty() || name.size() > 256) return false;
  for (unsigned char c : name) {
    if (c < 0x21 || c == 0x7F || c == '/' || c == '\\') return false;
  }
  return true;
}

bool IsProfileName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s) {
    if (!(std::islower(c) || std::isdigit(c) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

Status ReadServices(XmlInput& xml, XMLElement* root, const ProtectedServices& protected_services,
                    Profile* profile) {
  XMLElement* services = root->FirstChildElement("services");
  if (!services) return Status::Ok();
  if (services->NextSiblingElement("services")) {
    return xml.ErrorAt(services->NextSiblingElement("services"), "more than one <services> section");
  }
  Status s = xml.CheckShape(services, {}, {"disable", "manual", "must-run"});
  if (!s.ok()) return s;
  for (XMLElement* el = services->FirstChildElement(); el; el = el->NextSiblingElement()) {
    ServiceEntry entry;
    const std::string kind = el->Name();
    entry.directive = kind == "disable"  ? ServiceDirective::kDisable
                      : kind == "manual" ? ServiceDirective::kManual
                                         : ServiceDirective::kMustRun;
    entry.line = el->GetLineNum();
    if (!(s = xml.CheckShape(el, {"service", "reason", "source"}, {})).ok()) return s;
    Result<std::string> name = xml.RequiredAttribute(el, "service");
    if (!name.ok()) return name.status();
    if (!IsServiceName(*name)) {
      return xml.ErrorAt(el, "'" + *name + "' is not a valid service name (1-256 characters, no spaces, "
                             "'/' or '\\')");
    }
    entry.name = *name;
    Result<std::string> reason = xml.RequiredAttribute(el, "reason");
    if (!reason.ok()) return reason.status();
    entry.reason = *reason;
    entry.source = xml.Attribute(el, "source").value_or("");

    for (const ServiceEntry& earlier : profile->services) {
      if (!SameServiceName(earlier.name, entry.name)) continue;
      if (earlier.directive == entry.directive) {
        return xml.ErrorAt(el, "service '" + entry.name + "' is listed twice in <" + kind + "> (first on line " +
                                   std::to_string(earlier.line) + ")");
      }
      return xml.ErrorAt(el, "service '" + entry.name + "' is both <" + ServiceDirectiveName(earlier.directive) +
                                 "> (line " + std::to_string(earlier.line) + ") and <" + kind +
                                 ">: a profile must say one thing per service");
    }
    if (entry.directive != ServiceDirective::kMustRun) {
      if (const ProtectedServices::Entry* p = protected_services.Find(entry.name)) {
        return xml.ErrorAt(el, "service '" + entry.name + "' is protected and no profile may " +
                                   (entry.directive == ServiceDirective::kDisable ? "disable it" : "set it to manual") +
                                   ": " + p->reason);
      }
    }
    profile->services.push_back(std::move(entry));
  }
  return Status::Ok();
}

Result<bool> ParseBool(XmlInput& xml, XMLElement* el, const char* name, bool fallback) {
  std::optional<std::string> text = xml.Attribute(el, name);
  if (!text) return fallback;
  if (*text == "true" || *text == "on") return true;
  if (*text == "false" || *text == "off") return false;
  return xml.ErrorAt(el, std::string(name) + " '" + *text + "' must be true or false");
}

Result<FirewallAction> ParseAction(XmlInput& xml, XMLElement* el, const char* name) {
  Result<std::string> text = xml.RequiredAttribute(el, name);
  if (!text.ok()) return text.status();
  if (*text == "block") return FirewallAction::kBlock;
  if (*text == "allow") return FirewallAction::kAllow;
  return xml.ErrorAt(el, std::string(name) + " '" + *text + "' must be block or allow");
}

Status ReadFirewallProfile(XmlInput& xml, XMLElement* el, FirewallSection* section) {
  Status s = xml.CheckShape(el, {"name", "firewall", "inbound", "outbound"}, {});
  if (!s.ok()) return s;
  Result<std::string> name = xml.RequiredAttribute(el, "name");
  if (!name.ok()) return name.status();
  std::optional<FirewallProfile> profile = ParseFirewallProfileName(*name);
  if (!profile) return xml.ErrorAt(el, "firewall profile '" + *name + "' is not domain, private or public");
  for (const FirewallProfileState& p : section->profiles) {
    if (p.profile == *profile) return xml.ErrorAt(el, "firewall profile '" + *name + "' is set twice");
  }
  FirewallProfileState state;
  state.profile = *profile;
  Result<bool> on = ParseBool(xml, el, "firewall", true);
  if (!on.ok()) return on.status();
  state.enabled = *on;
  Result<FirewallAction> inbound = ParseAction(xml, el, "inbound");
  if (!inbound.ok()) return inbound.status();
  Result<FirewallAction> outbound = ParseAction(xml, el, "outbound");
  if (!outbound.ok()) return outbound.status();
  state.default_inbound = *inbound;
  state.default_outbound = *outbound;
  section->profiles.push_back(state);
  return Status::Ok();
}

Status ReadAllowRule(XmlInput& xml, XMLElement* el, const std::string& profile_name, FirewallSection* section) {
  Status s = xml.CheckShape(el, {"name", "direction", "protocol", "local-ports", "remote-ports", "remote-addresses",
                                 "program", "service", "profiles", "management", "reason", "source"},
                            {});
  if (!s.ok()) return s;
  FirewallAllowEntry entry;
  entry.line = el->GetLineNum();
  FirewallRule& rule = entry.rule;
  rule.action = FirewallAction::kAllow;
  rule.active = true;
  Result<std::string> name = xml.RequiredAttribute(el, "name");
  if (!name.ok()) return name.status();
  for (const FirewallAllowEntry& e : section->rules) {
    if (e.rule.name == *name) {
      return xml.ErrorAt(el, "rule name '" + *name + "' is used twice (first on line " + std::to_string(e.line) + ")");
    }
  }
  rule.name = *name;
  Result<std::string> reason = xml.RequiredAttribute(el, "reason");
  if (!reason.ok()) return reason.status();
  entry.reason = *reason;
  rule.description = *reason;
  entry.source = xml.Attribute(el, "source").value_or("");
  rule.grouping = OthardenRuleGrouping(profile_name);

  const std::string direction = xml.Attribute(el, "direction").value_or("in");
  if (direction != "in" && direction != "out") {
    return xml.ErrorAt(el, "direction '" + direction + "' must be in or out");
  }
  rule.direction = direction == "in" ? FirewallDirection::kIn : FirewallDirection::kOut;

  Result<std::string> protocol = xml.RequiredAttribute(el, "protocol");
  if (!protocol.ok()) return protocol.status();
  if (*protocol == "tcp") rule.protocol = 6;
  else if (*protocol == "udp") rule.protocol = 17;
  else if (*protocol == "icmpv4") rule.protocol = 1;
  else if (*protocol == "icmpv6") rule.protocol = 58;
  else if (*protocol != "any") {
    return xml.ErrorAt(el, "protocol '" + *protocol + "' must be tcp, udp, icmpv4, icmpv6 or any");
  }

  for (const auto& [attr, target] : {std::pair<const char*, std::vector<FirewallPort>*>{"local-ports", &rule.local_ports},
                                     {"remote-ports", &rule.remote_ports}}) {
    std::optional<std::string> text = xml.Attribute(el, attr);
    if (!text) continue;
    Result<std::vector<FirewallPort>> ports = ParsePortList(*text);
    if (!ports.ok()) return xml.ErrorAt(el, std::string(attr) + ": " + ports.status().message());
    *target = *ports;
  }
  if (std::optional<std::string> text = xml.Attribute(el, "remote-addresses")) {
    Result<std::vector<FirewallAddress>> addresses = ParseAddressList(*text);
    if (!addresses.ok()) return xml.ErrorAt(el, "remote-addresses: " + addresses.status().message());
    for (const FirewallAddress& a : *addresses) (a.ipv6 ? rule.remote_v6 : rule.remote_v4).push_back(a);
  }
  rule.app = xml.Attribute(el, "program").value_or("");
  rule.service = xml.Attribute(el, "service").value_or("");
  if (std::optional<std::string> text = xml.Attribute(el, "profiles")) {
    std::istringstream words(*text);
    for (std::string word; words >> word;) {
      std::optional<FirewallProfile> p = ParseFirewallProfileName(word);
      if (!p) return xml.ErrorAt(el, "profiles: '" + word + "' is not domain, private or public");
      rule.profiles |= static_cast<uint32_t>(*p);
    }
  }
  Result<bool> management = ParseBool(xml, el, "management", false);
  if (!management.ok()) return management.status();
  entry.management = *management;
  // The lockout guard checks management traffic as inbound TCP to local ports;
  // anything else marked management would be a promise it cannot keep.
  if (entry.management && (rule.direction != FirewallDirection::kIn || rule.protocol != std::optional<uint8_t>(6) ||
                           rule.local_ports.empty())) {
    return xml.ErrorAt(el, "rule '" + rule.name + "': management=\"true\" is for inbound TCP rules with local-ports "
                           "(what the lockout guard can check)");
  }
  // What NT 6.0 stores is a v2.0 rule string: refuse what it cannot express
  // (port ranges, ports without TCP/UDP, ...) here, not halfway through apply.
  Status v20 = ValidateForV20(rule);
  if (!v20.ok()) {
    return xml.ErrorAt(el, "rule '" + rule.name + "' cannot be stored by Windows Server 2008: " + v20.message());
  }
  section->rules.push_back(std::move(entry));
  return Status::Ok();
}

Status ReadFirewall(XmlInput& xml, XMLElement* root, const std::string& profile_name, FirewallSection* section) {
  XMLElement* firewall = root->FirstChildElement("firewall");
  if (!firewall) return Status::Ok();
  if (firewall->NextSiblingElement("firewall")) {
    return xml.ErrorAt(firewall->NextSiblingElement("firewall"), "more than one <firewall> section");
  }
  Status s = xml.CheckShape(firewall, {"other-inbound-rules"}, {"profile", "allow"});
  if (!s.ok()) return s;
  section->present = true;
  const std::string other = xml.Attribute(firewall, "other-inbound-rules").value_or("keep");
  if (other != "keep" && other != "disable") {
    return xml.ErrorAt(firewall, "other-inbound-rules '" + other + "' must be keep or disable (rules are never deleted)");
  }
  section->other_inbound = other == "keep" ? OtherInboundRules::kKeep : OtherInboundRules::kDisable;
  for (XMLElement* el = firewall->FirstChildElement(); el; el = el->NextSiblingElement()) {
    s = std::string(el->Name()) == "profile" ? ReadFirewallProfile(xml, el, section)
                                             : ReadAllowRule(xml, el, profile_name, section);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

std::string OthardenRuleGrouping(const std::string& profile_name) { return "otharden:" + profile_name; }

Result<ProtectedServices> ParseProtectedServices(const std::string& path, const std::string& text) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  XMLElement* root = xml.root();
  if (std::string(root->Name()) != "protected-services") {
    return xml.ErrorAt(root, "root element is <" + std::string(root->Name()) + ">, expected <protected-services>");
  }
  if (!(s = xml.CheckShape(root, {"format"}, {"service"})).ok()) return s;
  if (xml.Attribute(root, "format").value_or("") != "1") {
    return xml.ErrorAt(root, "protected-services format must be 1");
  }
  ProtectedServices list;
  for (XMLElement* el = root->FirstChildElement("service"); el; el = el->NextSiblingElement("service")) {
    if (!(s = xml.CheckShape(el, {"name", "reason"}, {})).ok()) return s;
    Result<std::string> name = xml.RequiredAttribute(el, "name");
    if (!name.ok()) return name.status();
    Result<std::string> reason = xml.RequiredAttribute(el, "reason");
    if (!reason.ok()) return reason.status();
    list.entries.push_back({*name, *reason});
  }
  if (list.entries.empty()) return xml.ErrorAt(root, "the protected list is empty");
  return list;
}

Result<ProtectedServices> LoadProtectedServicesFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseProtectedServices(path, *text);
}

Result<Profile> ParseProfile(const std::string& path, const std::string& text,
                             const ProtectedServices& protected_services) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  XMLElement* root = xml.root();
  if (std::string(root->Name()) != "profile") {
    return xml.ErrorAt(root, "root element is <" + std::string(root->Name()) +
                                 ">, expected <profile>: is this a profile file?");
  }
  if (!(s = xml.CheckShape(root, {"format", "name", "policy"}, {"title", "description", "services", "firewall"}))
           .ok()) {
    return s;
  }
  const std::string format = xml.Attribute(root, "format").value_or("");
  if (format != "1") {
    return xml.ErrorAt(root, "profile format '" + format + "' is not supported by this otharden (it reads format 1)");
  }
  Profile profile;
  profile.path = path;
  Result<std::string> name = xml.RequiredAttribute(root, "name");
  if (!name.ok()) return name.status();
  if (!IsProfileName(*name)) {
    return xml.ErrorAt(root, "profile name '" + *name + "' must be lower-case letters, digits, '-', '_' or '.'");
  }
  profile.name = *name;
  Result<std::string> policy = xml.RequiredAttribute(root, "policy");
  if (!policy.ok()) return policy.status();
  // The policy is looked up as policies/<name>.xml: no dots, no separators.
  if (policy->find('.') != std::string::npos || !IsProfileName(*policy)) {
    return xml.ErrorAt(root, "policy '" + *policy + "' must be a policy name such as esu-6003");
  }
  profile.policy = *policy;
  if (!(s = xml.ChildText(root, "title", &profile.title, true)).ok()) return s;
  if (!(s = xml.ChildText(root, "description", &profile.description, false)).ok()) return s;
  if (!(s = ReadServices(xml, root, protected_services, &profile)).ok()) return s;
  if (!(s = ReadFirewall(xml, root, profile.name, &profile.firewall)).ok()) return s;
  if (profile.services.empty() && !profile.firewall.present) {
    return xml.ErrorAt(root, "the profile changes nothing: no <services> or <firewall> entries");
  }
  return profile;
}

Result<Profile> LoadProfileFile(const std::string& path, const ProtectedServices& protected_services) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseProfile(path, *text, protected_services);
}

}  // namespace otharden
