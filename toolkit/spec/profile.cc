#include "toolkit/spec/profile.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <tuple>

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

// An entry's if="NAME" / unless="NAME" condition on a boolean parameter.
struct Condition {
  std::string parameter;  // empty: always included
  bool negated = false;   // unless=
  bool Complements(const Condition& other) const {
    return !parameter.empty() && parameter == other.parameter && negated != other.negated;
  }
  std::string Describe() const {
    return parameter.empty() ? "" : std::string(negated ? "unless " : "if ") + parameter;
  }
};

// Reads the condition of `el` and whether it holds this run.
Status ReadCondition(const XmlInput& xml, const XMLElement* el, const Profile& profile, Condition* condition,
                     bool* included) {
  std::optional<std::string> when = xml.Attribute(el, "if");
  std::optional<std::string> unless = xml.Attribute(el, "unless");
  *included = true;
  if (!when && !unless) return Status::Ok();
  if (when && unless) return xml.ErrorAt(el, "give either if=\"...\" or unless=\"...\", not both");
  condition->parameter = when ? *when : *unless;
  condition->negated = !when;
  const ProfileParameter* p = FindParameter(profile.parameters, condition->parameter);
  if (!p) {
    std::vector<std::string> names;
    for (const ProfileParameter& d : profile.parameters) names.push_back(d.name);
    const std::string guess = ClosestName(condition->parameter, names);
    return xml.ErrorAt(el, std::string(when ? "if" : "unless") + "=\"" + condition->parameter +
                               "\" names no declared parameter" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
  }
  if (p->type != ProfileParameter::Type::kBoolean) {
    return xml.ErrorAt(el, std::string(when ? "if" : "unless") + "=\"" + p->name + "\" needs a boolean parameter; '" +
                               p->name + "' is " + ParameterTypeName(p->type));
  }
  const ParameterValue* v = FindParameterValue(profile.parameter_values, p->name);
  *included = (v && v->value == "true") != condition->negated;
  return Status::Ok();
}

// Parameters are only substituted where a list item can be one; a brace
// anywhere else is a typo that would otherwise reach the host as text.
Status RefuseBracesExcept(const XmlInput& xml, const XMLElement* el, const std::vector<std::string>& allowed) {
  for (const tinyxml2::XMLAttribute* a = el->FirstAttribute(); a; a = a->Next()) {
    if (std::find(allowed.begin(), allowed.end(), a->Name()) != allowed.end()) continue;
    const std::string value = a->Value();
    if (value.find('{') != std::string::npos || value.find('}') != std::string::npos) {
      return xml.ErrorAt(el, std::string(a->Name()) + "=\"" + value + "\": parameters ({name}) can only be used in " +
                                 "remote-addresses, local-ports and remote-ports");
    }
  }
  return Status::Ok();
}

// Replaces each "{name}" item of a comma list with the parameter's value.
Result<std::string> ExpandList(const XmlInput& xml, const XMLElement* el, const char* attribute,
                               const std::string& text, ProfileParameter::Type type, const Profile& profile) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.erase(0, 1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.pop_back();
    if (item.find('{') != std::string::npos || item.find('}') != std::string::npos) {
      if (item.size() < 3 || item.front() != '{' || item.back() != '}' ||
          item.find_first_of("{}", 1) != item.size() - 1) {
        return xml.ErrorAt(el, std::string(attribute) + ": '" + item +
                                   "' is not a parameter reference: write {name} as a whole list item");
      }
      const std::string name = item.substr(1, item.size() - 2);
      const ProfileParameter* p = FindParameter(profile.parameters, name);
      if (!p) {
        std::vector<std::string> names;
        for (const ProfileParameter& d : profile.parameters) names.push_back(d.name);
        const std::string guess = ClosestName(name, names);
        return xml.ErrorAt(el, std::string(attribute) + ": {" + name + "} names no declared parameter" +
                                   (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      }
      if (p->type != type) {
        return xml.ErrorAt(el, std::string(attribute) + ": {" + name + "} is " + ParameterTypeName(p->type) +
                                   ", this list needs " + ParameterTypeName(type));
      }
      item = FindParameterValue(profile.parameter_values, name)->value;
    }
    out += (out.empty() ? "" : ",") + item;
    if (comma == std::string::npos) return out;
    pos = comma + 1;
  }
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
  // Every entry read, included or not, with its condition: two entries for one
  // service conflict unless one is if="X" and the other unless="X".
  std::vector<std::pair<ServiceEntry, Condition>> seen;
  for (XMLElement* el = services->FirstChildElement(); el; el = el->NextSiblingElement()) {
    ServiceEntry entry;
    const std::string kind = el->Name();
    entry.directive = kind == "disable"  ? ServiceDirective::kDisable
                      : kind == "manual" ? ServiceDirective::kManual
                                         : ServiceDirective::kMustRun;
    entry.line = el->GetLineNum();
    if (!(s = xml.CheckShape(el, {"service", "reason", "source", "if", "unless"}, {})).ok()) return s;
    if (!(s = RefuseBracesExcept(xml, el, {})).ok()) return s;
    Condition condition;
    bool included = true;
    if (!(s = ReadCondition(xml, el, *profile, &condition, &included)).ok()) return s;
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

    for (const auto& [earlier, earlier_condition] : seen) {
      if (!SameServiceName(earlier.name, entry.name) || condition.Complements(earlier_condition)) continue;
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
    seen.emplace_back(entry, condition);
    if (!included) {
      profile->excluded.push_back(kind + " " + entry.name + " (" + condition.Describe() + ")");
      continue;
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

Status ReadAllowRule(XmlInput& xml, XMLElement* el, Profile* profile,
                     std::vector<std::tuple<std::string, Condition, int>>* seen_names) {
  FirewallSection* section = &profile->firewall;
  const std::string& profile_name = profile->name;
  Status s = xml.CheckShape(el, {"name", "direction", "protocol", "local-ports", "remote-ports", "remote-addresses",
                                 "program", "service", "profiles", "management", "reason", "source", "if", "unless"},
                            {});
  if (!s.ok()) return s;
  if (!(s = RefuseBracesExcept(xml, el, {"local-ports", "remote-ports", "remote-addresses"})).ok()) return s;
  Condition condition;
  bool included = true;
  if (!(s = ReadCondition(xml, el, *profile, &condition, &included)).ok()) return s;
  FirewallAllowEntry entry;
  entry.line = el->GetLineNum();
  FirewallRule& rule = entry.rule;
  rule.action = FirewallAction::kAllow;
  rule.active = true;
  Result<std::string> name = xml.RequiredAttribute(el, "name");
  if (!name.ok()) return name.status();
  for (const auto& [earlier, earlier_condition, earlier_line] : *seen_names) {
    if (earlier == *name && !condition.Complements(earlier_condition)) {
      return xml.ErrorAt(el, "rule name '" + *name + "' is used twice (first on line " + std::to_string(earlier_line) + ")");
    }
  }
  seen_names->emplace_back(*name, condition, entry.line);
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
    std::optional<std::string> raw = xml.Attribute(el, attr);
    if (!raw) continue;
    Result<std::string> text = ExpandList(xml, el, attr, *raw, ProfileParameter::Type::kPort, *profile);
    if (!text.ok()) return text.status();
    Result<std::vector<FirewallPort>> ports = ParsePortList(*text);
    if (!ports.ok()) return xml.ErrorAt(el, std::string(attr) + ": " + ports.status().message());
    *target = *ports;
  }
  if (std::optional<std::string> raw = xml.Attribute(el, "remote-addresses")) {
    Result<std::string> text =
        ExpandList(xml, el, "remote-addresses", *raw, ProfileParameter::Type::kAddressList, *profile);
    if (!text.ok()) return text.status();
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
  if (!included) {
    profile->excluded.push_back("firewall rule '" + rule.name + "' (" + condition.Describe() + ")");
    return Status::Ok();
  }
  section->rules.push_back(std::move(entry));
  return Status::Ok();
}

Status ReadFirewall(XmlInput& xml, XMLElement* root, Profile* profile) {
  FirewallSection* section = &profile->firewall;
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
  std::vector<std::tuple<std::string, Condition, int>> seen_names;
  for (XMLElement* el = firewall->FirstChildElement(); el; el = el->NextSiblingElement()) {
    s = std::string(el->Name()) == "profile" ? ReadFirewallProfile(xml, el, section)
                                             : ReadAllowRule(xml, el, profile, &seen_names);
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
                             const ProtectedServices& protected_services,
                             const std::vector<ParameterArgument>& given) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  XMLElement* root = xml.root();
  if (std::string(root->Name()) != "profile") {
    return xml.ErrorAt(root, "root element is <" + std::string(root->Name()) +
                                 ">, expected <profile>: is this a profile file?");
  }
  if (!(s = xml.CheckShape(root, {"format", "name", "policy"}, {"title", "description", "parameters", "services", "firewall"}))
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
  // Parameters first: every entry below may use them.
  const std::vector<ProfileParameter::Type> kProfileTypes = {
      ProfileParameter::Type::kAddressList, ProfileParameter::Type::kPort, ProfileParameter::Type::kBoolean,
      ProfileParameter::Type::kMonth};
  if (!(s = ReadParameterDeclarations(xml, root, kProfileTypes, &profile.parameters)).ok()) return s;
  Result<std::vector<ParameterValue>> values = ResolveParameters(
      path, "profile " + profile.name + " (" + path + ")", profile.parameters, given, true);
  if (!values.ok()) return values.status();
  profile.parameter_values = *values;
  if (!(s = ReadServices(xml, root, protected_services, &profile)).ok()) return s;
  if (!(s = ReadFirewall(xml, root, &profile)).ok()) return s;
  if (profile.services.empty() && !profile.firewall.present) {
    return xml.ErrorAt(root, "the profile changes nothing: no <services> or <firewall> entries");
  }
  return profile;
}

Result<std::string> ProfileNameOf(const std::string& path, const std::string& text) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  if (std::string(xml.root()->Name()) != "profile") {
    return xml.ErrorAt(xml.root(), "root element is <" + std::string(xml.root()->Name()) +
                                       ">, expected <profile>: is this a profile file?");
  }
  return xml.RequiredAttribute(xml.root(), "name");
}

Result<Profile> LoadProfileFile(const std::string& path, const ProtectedServices& protected_services,
                                const std::vector<ParameterArgument>& given) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseProfile(path, *text, protected_services, given);
}

}  // namespace otharden
