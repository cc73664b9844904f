#include "toolkit/report/report_reader.h"

#include "toolkit/report/report_xml.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

using tinyxml2::XMLElement;

class CheckReportParser {
 public:
  explicit CheckReportParser(XmlInput& xml) : xml_(xml) {}

  Result<CheckReport> Run() {
    XMLElement* root = xml_.root();
    if (std::string(root->Name()) != "otharden-report") {
      return xml_.ErrorAt(root, std::string("root element is <") + root->Name() +
                                    ">, expected <otharden-report>: this is not an otharden report");
    }
    Status s = xml_.CheckShape(root, {"format", "kind"},
                               {"tool", "run", "host", "policy", "findings", "rollup", "verdict"});
    if (!s.ok()) return s;
    const std::string format = xml_.Attribute(root, "format").value_or("");
    if (format != std::to_string(kReportFormatVersion)) {
      return xml_.ErrorAt(root, "report format '" + format + "' is not one this otharden reads (format " +
                                    std::to_string(kReportFormatVersion) + ")");
    }
    const std::string kind = xml_.Attribute(root, "kind").value_or("");
    if (kind != "check") return xml_.ErrorAt(root, "report kind '" + kind + "' is not 'check'");

    XMLElement* el = nullptr;
    if (!(s = Need(root, "tool", &el)).ok()) return s;
    if (!(s = Attrs(el, {{"version", &r_.tool_version}, {"target", &r_.tool_target},
                         {"build", &r_.tool_build}}, {{"sha256", &r_.tool_sha256}}, {"name"})).ok())
      return s;
    if (!(s = Need(root, "run", &el)).ok()) return s;
    if (!(s = Attrs(el, {{"command", &r_.command}, {"utc", &r_.utc}},
                    {{"operator", &r_.operator_name}})).ok())
      return s;
    if (!(s = ReadHost(root)).ok()) return s;
    if (!(s = Need(root, "policy", &el)).ok()) return s;
    if (!(s = Attrs(el, {{"name", &r_.policy_name}, {"title", &r_.policy_title},
                         {"file", &r_.policy_file}, {"sha256", &r_.policy_sha256}}, {})).ok())
      return s;
    if (!(s = ReadFindings(root)).ok()) return s;
    if (!(s = ReadRollup(root)).ok()) return s;
    if (!(s = ReadVerdict(root)).ok()) return s;
    return std::move(r_);
  }

 private:
  using Binding = std::pair<const char*, std::string*>;

  Status Need(XMLElement* parent, const char* name, XMLElement** out) {
    *out = parent->FirstChildElement(name);
    if (!*out) {
      return xml_.ErrorAt(parent, std::string("<") + parent->Name() + "> has no <" + name + ">");
    }
    if ((*out)->NextSiblingElement(name)) {
      return xml_.ErrorAt((*out)->NextSiblingElement(name),
                          std::string("more than one <") + name + "> in <" + parent->Name() + ">");
    }
    return Status::Ok();
  }

  // Reads required and optional attributes; `ignored` are known but unused.
  Status Attrs(XMLElement* el, std::initializer_list<Binding> required,
               std::initializer_list<Binding> optional, std::initializer_list<const char*> ignored = {},
               const std::vector<const char*>& children = {}, bool text = false) {
    std::vector<const char*> names;
    for (const Binding& b : required) names.push_back(b.first);
    for (const Binding& b : optional) names.push_back(b.first);
    for (const char* n : ignored) names.push_back(n);
    Status s = xml_.CheckShape(el, names, children, text);
    if (!s.ok()) return s;
    for (const Binding& b : required) {
      Result<std::string> v = xml_.RequiredAttribute(el, b.first);
      if (!v.ok()) return v.status();
      *b.second = *v;
    }
    for (const Binding& b : optional) *b.second = xml_.Attribute(el, b.first).value_or("");
    return Status::Ok();
  }

  Status ReadHost(XMLElement* root) {
    XMLElement* host = nullptr;
    Status s = Need(root, "host", &host);
    if (!s.ok()) return s;
    std::string workgroup, domain;
    if (!(s = Attrs(host, {{"name", &r_.host_name}}, {{"workgroup", &workgroup}, {"domain", &domain}},
                    {}, {"os", "updates"})).ok())
      return s;
    r_.membership = domain.empty() ? "workgroup " + workgroup : "domain " + domain;
    XMLElement* os = nullptr;
    if (!(s = Need(host, "os", &os)).ok()) return s;
    if (!(s = Attrs(os, {{"version", &r_.os_version}, {"service-pack", &r_.service_pack},
                         {"product-type", &r_.product_type}, {"architecture", &r_.architecture}},
                    {}, {"process-architecture"}, {"rtl-get-version", "registry", "kernel"})).ok())
      return s;
    XMLElement* el = nullptr;
    if (!(s = Need(os, "registry", &el)).ok()) return s;
    r_.product_name = xml_.Attribute(el, "product-name").value_or("");
    if (!(s = Need(os, "rtl-get-version", &el)).ok()) return s;
    if (!(s = Need(os, "kernel", &el)).ok()) return s;
    r_.kernel_version = xml_.Attribute(el, "file-version").value_or("");
    r_.kernel_error = xml_.Attribute(el, "error").value_or("");
    XMLElement* updates = nullptr;
    if (!(s = Need(host, "updates", &updates)).ok()) return s;
    for (XMLElement* p = updates->FirstChildElement("package"); p; p = p->NextSiblingElement("package")) {
      ReportPackage package;
      if (!(s = Attrs(p, {{"name", &package.name}, {"state", &package.state}}, {{"kb", &package.kb}},
                      {"state-code"})).ok())
        return s;
      r_.packages.push_back(std::move(package));
    }
    return Status::Ok();
  }

  Status ReadFindings(XMLElement* root) {
    XMLElement* findings = nullptr;
    Status s = Need(root, "findings", &findings);
    if (!s.ok()) return s;
    if (!(s = xml_.CheckShape(findings, {}, {"finding"})).ok()) return s;
    for (XMLElement* f = findings->FirstChildElement("finding"); f; f = f->NextSiblingElement("finding")) {
      ReportFinding finding;
      if (!(s = Attrs(f, {{"id", &finding.id}, {"outcome", &finding.outcome}, {"title", &finding.title}},
                      {}, {}, {"evidence", "remedy"})).ok())
        return s;
      if (finding.outcome != "pass" && finding.outcome != "warn" && finding.outcome != "fail") {
        return xml_.ErrorAt(f, "finding outcome '" + finding.outcome + "' is not pass, warn or fail");
      }
      XMLElement* evidence = nullptr;
      if (!(s = Need(f, "evidence", &evidence)).ok()) return s;
      finding.evidence = XmlInput::Text(evidence);
      if (XMLElement* remedy = f->FirstChildElement("remedy")) finding.remedy = XmlInput::Text(remedy);
      r_.findings.push_back(std::move(finding));
    }
    if (r_.findings.empty()) return xml_.ErrorAt(findings, "<findings> is empty");
    return Status::Ok();
  }

  std::string RollupText(XMLElement* el) {
    if (!el) return "";
    const std::string month = xml_.Attribute(el, "month").value_or("?");
    if (std::optional<std::string> kb = xml_.Attribute(el, "kb")) return *kb + " (" + month + ")";
    return month + " (ntoskrnl " + xml_.Attribute(el, "min-kernel").value_or("?") + ")";
  }

  Status ReadRollup(XMLElement* root) {
    XMLElement* rollup = nullptr;
    Status s = Need(root, "rollup", &rollup);
    if (!s.ok()) return s;
    if (!(s = xml_.CheckShape(rollup, {"months-behind"}, {"latest", "by-kb", "by-kernel", "final"})).ok())
      return s;
    if (rollup->Attribute("months-behind")) {
      int months = 0;
      if (rollup->QueryIntAttribute("months-behind", &months) != tinyxml2::XML_SUCCESS) {
        return xml_.ErrorAt(rollup, "months-behind is not a number");
      }
      r_.months_behind = months;
    }
    r_.latest_rollup = RollupText(rollup->FirstChildElement("latest"));
    XMLElement* final_el = nullptr;
    if (!(s = Need(rollup, "final", &final_el)).ok()) return s;
    r_.final_rollup = RollupText(final_el);
    return Status::Ok();
  }

  Status ReadVerdict(XMLElement* root) {
    XMLElement* verdict = nullptr;
    Status s = Need(root, "verdict", &verdict);
    if (!s.ok()) return s;
    if (!(s = xml_.CheckShape(verdict, {"result", "pass", "warn", "fail"}, {})).ok()) return s;
    r_.verdict = xml_.Attribute(verdict, "result").value_or("");
    if (r_.verdict != "compliant" && r_.verdict != "not-compliant") {
      return xml_.ErrorAt(verdict, "verdict '" + r_.verdict + "' is not compliant or not-compliant");
    }
    if (verdict->QueryIntAttribute("pass", &r_.pass) != tinyxml2::XML_SUCCESS ||
        verdict->QueryIntAttribute("warn", &r_.warn) != tinyxml2::XML_SUCCESS ||
        verdict->QueryIntAttribute("fail", &r_.fail) != tinyxml2::XML_SUCCESS) {
      return xml_.ErrorAt(verdict, "<verdict> needs numeric pass, warn and fail counts");
    }
    // The verdict must agree with the findings it summarises.
    int fails = 0;
    for (const ReportFinding& f : r_.findings) fails += f.outcome == "fail";
    if (fails != r_.fail || (r_.verdict == "compliant") != (fails == 0)) {
      return xml_.ErrorAt(verdict, "the verdict does not match the findings (" + std::to_string(fails) +
                                       " failed findings)");
    }
    return Status::Ok();
  }

  XmlInput& xml_;
  CheckReport r_;
};

}  // namespace

Result<CheckReport> ParseCheckReport(const std::string& path, const std::string& text) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  return CheckReportParser(xml).Run();
}

}  // namespace otharden
