#include "toolkit/spec/profile.h"

#include <cctype>

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

}  // namespace

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
  if (!(s = xml.CheckShape(root, {"format", "name", "policy"}, {"title", "description", "services"})).ok()) {
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
  profile.policy = *policy;
  if (!(s = xml.ChildText(root, "title", &profile.title, true)).ok()) return s;
  if (!(s = xml.ChildText(root, "description", &profile.description, false)).ok()) return s;
  if (!(s = ReadServices(xml, root, protected_services, &profile)).ok()) return s;
  if (profile.services.empty()) return xml.ErrorAt(root, "the profile changes nothing: no <services> entries");
  return profile;
}

Result<Profile> LoadProfileFile(const std::string& path, const ProtectedServices& protected_services) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseProfile(path, *text, protected_services);
}

}  // namespace otharden
