#include "toolkit/spec/policy.h"

#include <cctype>
#include <set>
#include <sstream>

#include "toolkit/spec/xml_input.h"

namespace otharden {

std::optional<YearMonth> YearMonth::Parse(const std::string& text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  YearMonth ym{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
  if (ym.month < 1 || ym.month > 12 || ym.year < 1990) return std::nullopt;
  return ym;
}

std::string YearMonth::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::string RollupLabel(const RollupEntry& rollup) {
  if (rollup.kb.empty()) {
    return rollup.month.ToString() + " rollup (ntoskrnl " + rollup.min_kernel->ToString() + ")";
  }
  return rollup.kb + " (" + rollup.month.ToString() + ")";
}

namespace {

using tinyxml2::XMLElement;

bool IsKbNumber(const std::string& s) {
  if (s.size() < 8 || s.size() > 10 || s[0] != 'K' || s[1] != 'B') return false;
  for (size_t i = 2; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsPolicyName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

std::vector<std::string> SplitWords(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Parses a small unsigned decimal number; nullopt on anything else.
std::optional<uint32_t> ParseCount(const std::string& s, uint32_t max) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

class PolicyParser {
 public:
  PolicyParser(XmlInput& xml, const std::vector<ParameterArgument>& given, bool reject_undeclared)
      : xml_(xml), given_(given), reject_undeclared_(reject_undeclared) {}

  Result<Policy> Run() {
    XMLElement* root = xml_.root();
    if (std::string(root->Name()) != "policy") {
      return xml_.ErrorAt(root, std::string("root element is <") + root->Name() +
                                    ">, expected <policy>: is this a policy file?");
    }
    Status s = xml_.CheckShape(root, {"format", "name"},
                               {"title", "description", "parameters", "os", "build", "update", "rollups"});
    if (!s.ok()) return s;
    Result<std::string> format = xml_.RequiredAttribute(root, "format");
    if (!format.ok()) return format.status();
    if (*format != "1") {
      return xml_.ErrorAt(root, "policy format '" + *format +
                                    "' is not supported by this otharden (it reads format 1)");
    }
    Result<std::string> name = xml_.RequiredAttribute(root, "name");
    if (!name.ok()) return name.status();
    if (!IsPolicyName(*name)) {
      return xml_.ErrorAt(root, "policy name '" + *name +
                                    "' must be lower-case letters, digits, '-', '_' or '.'");
    }
    policy_.path = xml_.path();
    policy_.name = *name;

    if (!(s = xml_.ChildText(root, "title", &policy_.title, true)).ok()) return s;
    if (!(s = xml_.ChildText(root, "description", &policy_.description, false)).ok()) return s;
    if (!(s = ReadParameterDeclarations(xml_, root, {ProfileParameter::Type::kMonth}, &policy_.parameters)).ok()) {
      return s;
    }
    Result<std::vector<ParameterValue>> values =
        ResolveParameters(xml_.path(), "policy " + policy_.name + " (" + xml_.path() + ")", policy_.parameters,
                          given_, reject_undeclared_);
    if (!values.ok()) return values.status();
    policy_.parameter_values = *values;
    if (!(s = ReadOs(root)).ok()) return s;
    if (!(s = ReadBuild(root)).ok()) return s;
    if (!(s = ReadUpdates(root)).ok()) return s;
    if (!(s = ReadRollups(root)).ok()) return s;
    return std::move(policy_);
  }

 private:
  Result<XMLElement*> Single(XMLElement* parent, const char* name) {
    XMLElement* el = parent->FirstChildElement(name);
    if (!el) {
      return xml_.ErrorAt(parent, std::string("<") + parent->Name() + "> needs a <" + name +
                                      "> element");
    }
    if (el->NextSiblingElement(name)) {
      return xml_.ErrorAt(el->NextSiblingElement(name),
                          std::string("more than one <") + name + "> in <" + parent->Name() + ">");
    }
    return el;
  }

  Status ReadProvenance(XMLElement* el, Provenance* out) {
    Result<std::string> confidence = xml_.RequiredAttribute(el, "confidence");
    if (!confidence.ok()) return confidence.status();
    if (*confidence != "H" && *confidence != "M" && *confidence != "L") {
      return xml_.ErrorAt(el, "confidence '" + *confidence +
                                  "' must be H (documented), M (one good source) or L (inference)");
    }
    Result<std::string> source = xml_.RequiredAttribute(el, "source");
    if (!source.ok()) return source.status();
    out->confidence = *confidence;
    out->source = *source;
    return Status::Ok();
  }

  Status ReadOs(XMLElement* root) {
    Result<XMLElement*> os = Single(root, "os");
    if (!os.ok()) return os.status();
    XMLElement* el = *os;
    Status s = xml_.CheckShape(el, {"version", "service-pack", "product-types", "architectures"},
                               {"remedy"});
    if (!s.ok()) return s;
    Result<std::string> version = xml_.RequiredAttribute(el, "version");
    if (!version.ok()) return version.status();
    const size_t dot = version->find('.');
    std::optional<uint32_t> major, minor;
    if (dot != std::string::npos) {
      major = ParseCount(version->substr(0, dot), 99);
      minor = ParseCount(version->substr(dot + 1), 99);
    }
    if (!major || !minor) {
      return xml_.ErrorAt(el, "os version '" + *version + "' must look like 6.0");
    }
    policy_.os_major = *major;
    policy_.os_minor = *minor;

    Result<std::string> sp = xml_.RequiredAttribute(el, "service-pack");
    if (!sp.ok()) return sp.status();
    std::optional<uint32_t> sp_number = ParseCount(*sp, 9);
    if (!sp_number) return xml_.ErrorAt(el, "service-pack '" + *sp + "' must be a number 0-9");
    policy_.service_pack = static_cast<uint16_t>(*sp_number);

    Result<std::string> types = xml_.RequiredAttribute(el, "product-types");
    if (!types.ok()) return types.status();
    for (const std::string& word : SplitWords(*types)) {
      std::optional<ProductType> t = ParseProductType(word);
      if (!t) {
        return xml_.ErrorAt(el, "product type '" + word +
                                    "' is not one of: workstation, server, domain-controller");
      }
      policy_.product_types.push_back(*t);
    }
    Result<std::string> arches = xml_.RequiredAttribute(el, "architectures");
    if (!arches.ok()) return arches.status();
    for (const std::string& word : SplitWords(*arches)) {
      std::optional<Architecture> a = ParseArchitecture(word);
      if (!a) {
        return xml_.ErrorAt(el, "architecture '" + word + "' is not one of: x86, x64, ia64");
      }
      policy_.architectures.push_back(*a);
    }
    if (policy_.product_types.empty() || policy_.architectures.empty()) {
      return xml_.ErrorAt(el, "<os> must name at least one product type and one architecture");
    }
    return xml_.ChildText(el, "remedy", &policy_.os_remedy, false);
  }

  Status ReadBuild(XMLElement* root) {
    Result<XMLElement*> build = Single(root, "build");
    if (!build.ok()) return build.status();
    XMLElement* el = *build;
    Status s = xml_.CheckShape(el, {"number", "confidence", "source"}, {"remedy"});
    if (!s.ok()) return s;
    Result<std::string> number = xml_.RequiredAttribute(el, "number");
    if (!number.ok()) return number.status();
    std::optional<uint32_t> n = ParseCount(*number, 65535);
    if (!n) return xml_.ErrorAt(el, "build number '" + *number + "' must be a number");
    policy_.required_build = *n;
    if (!(s = ReadProvenance(el, &policy_.build_provenance)).ok()) return s;
    return xml_.ChildText(el, "remedy", &policy_.build_remedy, true);
  }

  Status ReadUpdates(XMLElement* root) {
    std::set<std::string> ids;
    for (XMLElement* el = root->FirstChildElement("update"); el;
         el = el->NextSiblingElement("update")) {
      Status s = xml_.CheckShape(el, {"id", "title"}, {"remedy", "kb"});
      if (!s.ok()) return s;
      UpdateRequirement req;
      Result<std::string> id = xml_.RequiredAttribute(el, "id");
      if (!id.ok()) return id.status();
      if (!IsPolicyName(*id)) {
        return xml_.ErrorAt(el, "update id '" + *id + "' must be lower-case letters, digits or '-'");
      }
      if (!ids.insert(*id).second) return xml_.ErrorAt(el, "duplicate update id '" + *id + "'");
      Result<std::string> title = xml_.RequiredAttribute(el, "title");
      if (!title.ok()) return title.status();
      req.id = *id;
      req.title = *title;
      if (!(s = xml_.ChildText(el, "remedy", &req.remedy, true)).ok()) return s;
      std::set<std::string> kbs;
      for (XMLElement* kb_el = el->FirstChildElement("kb"); kb_el;
           kb_el = kb_el->NextSiblingElement("kb")) {
        if (!(s = xml_.CheckShape(kb_el, {"id", "released", "confidence", "source", "note"}, {}))
                 .ok())
          return s;
        KbEntry kb;
        Result<std::string> kb_id = xml_.RequiredAttribute(kb_el, "id");
        if (!kb_id.ok()) return kb_id.status();
        if (!IsKbNumber(*kb_id)) {
          return xml_.ErrorAt(kb_el, "'" + *kb_id + "' is not a KB number like KB4474419");
        }
        if (!kbs.insert(*kb_id).second) {
          return xml_.ErrorAt(kb_el, *kb_id + " is listed twice in update '" + req.id + "'");
        }
        kb.kb = *kb_id;
        if (std::optional<std::string> released = xml_.Attribute(kb_el, "released")) {
          kb.released = YearMonth::Parse(*released);
          if (!kb.released) {
            return xml_.ErrorAt(kb_el, "released '" + *released + "' must be a month like 2019-04");
          }
        }
        kb.note = xml_.Attribute(kb_el, "note").value_or("");
        if (!(s = ReadProvenance(kb_el, &kb.provenance)).ok()) return s;
        req.kbs.push_back(std::move(kb));
      }
      if (req.kbs.empty()) {
        return xml_.ErrorAt(el, "update '" + req.id + "' lists no <kb> that satisfies it");
      }
      policy_.updates.push_back(std::move(req));
    }
    return Status::Ok();
  }

  Status ReadRollups(XMLElement* root) {
    Result<XMLElement*> rollups = Single(root, "rollups");
    if (!rollups.ok()) return rollups.status();
    XMLElement* el = *rollups;
    Status s = xml_.CheckShape(el, {"max-months-behind", "not-older-than"}, {"rollup"});
    if (!s.ok()) return s;
    if (std::optional<std::string> min = xml_.Attribute(el, "not-older-than")) {
      std::string text = *min;
      if (text.size() > 2 && text.front() == '{' && text.back() == '}') {
        const std::string name = text.substr(1, text.size() - 2);
        const ProfileParameter* p = FindParameter(policy_.parameters, name);
        if (!p) return xml_.ErrorAt(el, "not-older-than: {" + name + "} names no declared parameter");
        text = FindParameterValue(policy_.parameter_values, name)->value;
      }
      policy_.min_rollup = YearMonth::Parse(text);
      if (!policy_.min_rollup) {
        return xml_.ErrorAt(el, "not-older-than '" + *min + "' must be a month like 2023-01 or a {parameter}");
      }
    }
    if (std::optional<std::string> max = xml_.Attribute(el, "max-months-behind")) {
      std::optional<uint32_t> n = ParseCount(*max, 1200);
      if (!n) return xml_.ErrorAt(el, "max-months-behind '" + *max + "' must be a number of months");
      policy_.max_months_behind = static_cast<int>(*n);
    }
    std::set<std::string> kbs;
    for (XMLElement* r = el->FirstChildElement("rollup"); r; r = r->NextSiblingElement("rollup")) {
      if (!(s = xml_.CheckShape(r, {"month", "kb", "min-kernel", "confidence", "source", "note"},
                                {}))
               .ok())
        return s;
      RollupEntry entry;
      Result<std::string> month = xml_.RequiredAttribute(r, "month");
      if (!month.ok()) return month.status();
      std::optional<YearMonth> ym = YearMonth::Parse(*month);
      if (!ym) return xml_.ErrorAt(r, "month '" + *month + "' must look like 2019-04");
      entry.month = *ym;
      if (std::optional<std::string> kb = xml_.Attribute(r, "kb")) {
        if (!IsKbNumber(*kb)) return xml_.ErrorAt(r, "'" + *kb + "' is not a KB number like KB4493471");
        if (!kbs.insert(*kb).second) return xml_.ErrorAt(r, *kb + " is listed twice in <rollups>");
        entry.kb = *kb;
      }
      if (std::optional<std::string> min = xml_.Attribute(r, "min-kernel")) {
        entry.min_kernel = FileVersion::Parse(*min);
        if (!entry.min_kernel) {
          return xml_.ErrorAt(r, "min-kernel '" + *min + "' must be a file version like 6.0.6003.20489");
        }
      }
      if (entry.kb.empty() && !entry.min_kernel) {
        return xml_.ErrorAt(r, "rollup " + entry.month.ToString() +
                                   " needs a 'kb', a 'min-kernel' or both: nothing would recognise it");
      }
      entry.note = xml_.Attribute(r, "note").value_or("");
      if (!(s = ReadProvenance(r, &entry.provenance)).ok()) return s;
      if (!policy_.rollups.empty()) {
        const RollupEntry& prev = policy_.rollups.back();
        if (!(prev.month < entry.month)) {
          return xml_.ErrorAt(r, "rollup " + RollupLabel(entry) + " must come after " +
                                     RollupLabel(prev) + ": list one rollup per month, oldest first");
        }
      }
      // A later rollup cannot install an older kernel than an earlier one did.
      for (const RollupEntry& earlier : policy_.rollups) {
        if (earlier.min_kernel && entry.min_kernel && *entry.min_kernel < *earlier.min_kernel) {
          return xml_.ErrorAt(r, "min-kernel " + entry.min_kernel->ToString() + " of " +
                                     RollupLabel(entry) + " is lower than " +
                                     earlier.min_kernel->ToString() + " of the earlier " +
                                     RollupLabel(earlier));
        }
      }
      policy_.rollups.push_back(std::move(entry));
    }
    if (policy_.rollups.empty()) return xml_.ErrorAt(el, "<rollups> lists no <rollup>");
    if (policy_.min_rollup && policy_.rollups.back().month < *policy_.min_rollup) {
      return xml_.ErrorAt(el, "not-older-than " + policy_.min_rollup->ToString() + " is later than the final rollup " +
                                  RollupLabel(policy_.rollups.back()) + ": no host could pass; give a month up to " +
                                  policy_.rollups.back().month.ToString());
    }
    return Status::Ok();
  }

  XmlInput& xml_;
  const std::vector<ParameterArgument>& given_;
  const bool reject_undeclared_;
  Policy policy_;
};

}  // namespace

Result<Policy> ParsePolicy(const std::string& path, const std::string& text,
                           const std::vector<ParameterArgument>& given, bool reject_undeclared) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  return PolicyParser(xml, given, reject_undeclared).Run();
}

Result<Policy> LoadPolicyFile(const std::string& path, const std::vector<ParameterArgument>& given,
                              bool reject_undeclared) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParsePolicy(path, *text, given, reject_undeclared);
}

}  // namespace otharden
