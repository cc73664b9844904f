#include "toolkit/report/report_xml.h"

#include <tinyxml2.h>

#include <string>

namespace otharden {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

XMLElement* Child(XMLElement* parent, const char* name) {
  return parent->InsertNewChildElement(name);
}

void SetOptional(XMLElement* el, const char* name, const std::optional<std::string>& value) {
  if (value) el->SetAttribute(name, value->c_str());
}

void WriteOs(XMLElement* host, const OsIdentity& os) {
  XMLElement* el = Child(host, "os");
  el->SetAttribute("version", RtlVersionString(os.rtl).c_str());
  el->SetAttribute("service-pack", os.rtl.service_pack_major);
  el->SetAttribute("product-type", ProductTypeName(os.rtl.product_type));
  el->SetAttribute("architecture", ArchitectureName(os.native_architecture));
  el->SetAttribute("process-architecture", ArchitectureName(os.process_architecture));

  XMLElement* rtl = Child(el, "rtl-get-version");
  rtl->SetAttribute("major", os.rtl.major);
  rtl->SetAttribute("minor", os.rtl.minor);
  rtl->SetAttribute("build", os.rtl.build);
  rtl->SetAttribute("csd", os.rtl.csd.c_str());
  rtl->SetAttribute("service-pack-major", os.rtl.service_pack_major);
  rtl->SetAttribute("service-pack-minor", os.rtl.service_pack_minor);
  rtl->SetAttribute("product-type", ProductTypeName(os.rtl.product_type));

  XMLElement* reg = Child(el, "registry");
  SetOptional(reg, "current-version", os.registry.current_version);
  SetOptional(reg, "current-build-number", os.registry.current_build_number);
  SetOptional(reg, "csd-version", os.registry.csd_version);
  SetOptional(reg, "build-lab", os.registry.build_lab);
  SetOptional(reg, "build-lab-ex", os.registry.build_lab_ex);
  SetOptional(reg, "product-name", os.registry.product_name);

  XMLElement* kernel = Child(el, "kernel");
  kernel->SetAttribute("path", os.kernel_path.c_str());
  if (os.kernel_file_version) {
    kernel->SetAttribute("file-version", os.kernel_file_version->ToString().c_str());
  } else {
    kernel->SetAttribute("error", os.kernel_error.c_str());
  }
}

void WriteRollupRef(XMLElement* parent, const char* name, const std::optional<RollupEntry>& r) {
  if (!r) return;
  XMLElement* el = Child(parent, name);
  if (!r->kb.empty()) el->SetAttribute("kb", r->kb.c_str());
  el->SetAttribute("month", r->month.ToString().c_str());
  if (r->min_kernel) el->SetAttribute("min-kernel", r->min_kernel->ToString().c_str());
}

// XML 1.0 allows no C0 control character but tab, LF and CR, even escaped;
// tinyxml2 writes them as they are. Text read from the host (service and rule
// names, registry values, error messages) may hold them, and one would make the
// whole report unreadable by XML tools: each becomes U+FFFD.
std::string XmlCharsOnly(const char* text) {
  std::string out;
  for (const char* p = text; *p; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += "\xEF\xBF\xBD";
    } else {
      out += *p;
    }
  }
  return out;
}

void KeepToXmlChars(XMLElement* el) {
  for (const tinyxml2::XMLAttribute* a = el->FirstAttribute(); a; a = a->Next()) {
    const std::string clean = XmlCharsOnly(a->Value());
    if (clean != a->Value()) el->SetAttribute(a->Name(), clean.c_str());
  }
  for (tinyxml2::XMLNode* n = el->FirstChild(); n; n = n->NextSibling()) {
    if (XMLElement* child = n->ToElement()) {
      KeepToXmlChars(child);
    } else if (n->ToText()) {
      const std::string clean = XmlCharsOnly(n->Value());
      if (clean != n->Value()) n->SetValue(clean.c_str());
    }
  }
}

}  // namespace

std::string CheckReportXml(const CheckResult& result, const Policy& policy,
                           const DocumentRef& policy_file, const ReportContext& context) {
  XMLDocument doc;
  doc.InsertEndChild(doc.NewDeclaration());
  XMLElement* root = doc.NewElement("otharden-report");
  doc.InsertEndChild(root);
  root->SetAttribute("format", kReportFormatVersion);
  root->SetAttribute("kind", "check");

  XMLElement* tool_el = Child(root, "tool");
  tool_el->SetAttribute("name", "otharden");
  tool_el->SetAttribute("version", context.tool.version.c_str());
  tool_el->SetAttribute("target", context.tool.target.c_str());
  tool_el->SetAttribute("build", context.tool.build.c_str());
  if (!context.tool_sha256.empty()) tool_el->SetAttribute("sha256", context.tool_sha256.c_str());

  XMLElement* run = Child(root, "run");
  run->SetAttribute("command", context.command.c_str());
  run->SetAttribute("utc", context.time.Iso8601().c_str());
  if (!context.operator_name.empty()) run->SetAttribute("operator", context.operator_name.c_str());

  XMLElement* host = Child(root, "host");
  host->SetAttribute("name", result.os.host_name.c_str());
  host->SetAttribute(result.os.domain_joined ? "domain" : "workgroup",
                     result.os.domain_or_workgroup.c_str());
  WriteOs(host, result.os);

  XMLElement* updates = Child(host, "updates");
  updates->SetAttribute("source", "component-based-servicing");
  updates->SetAttribute("count", static_cast<unsigned>(result.packages.size()));
  for (const CbsPackage& p : result.packages) {
    XMLElement* el = Child(updates, "package");
    el->SetAttribute("name", p.name.c_str());
    if (!p.kb.empty()) el->SetAttribute("kb", p.kb.c_str());
    el->SetAttribute("state", CbsStateName(p.current_state).c_str());
    el->SetAttribute("state-code", p.current_state);
  }

  XMLElement* policy_el = Child(root, "policy");
  policy_el->SetAttribute("name", policy.name.c_str());
  policy_el->SetAttribute("title", policy.title.c_str());
  policy_el->SetAttribute("file", policy_file.file.c_str());
  policy_el->SetAttribute("sha256", policy_file.sha256.c_str());

  XMLElement* findings = Child(root, "findings");
  for (const Finding& f : result.findings) {
    XMLElement* el = Child(findings, "finding");
    el->SetAttribute("id", f.id.c_str());
    el->SetAttribute("outcome", f.outcome == Outcome::kPass   ? "pass"
                                : f.outcome == Outcome::kWarn ? "warn"
                                                              : "fail");
    el->SetAttribute("title", f.title.c_str());
    Child(el, "evidence")->SetText(f.evidence.c_str());
    if (!f.remedy.empty()) Child(el, "remedy")->SetText(f.remedy.c_str());
  }

  XMLElement* rollup = Child(root, "rollup");
  if (result.rollup.months_behind) rollup->SetAttribute("months-behind", *result.rollup.months_behind);
  WriteRollupRef(rollup, "latest", result.rollup.latest);
  WriteRollupRef(rollup, "by-kb", result.rollup.by_kb);
  WriteRollupRef(rollup, "by-kernel", result.rollup.by_kernel);
  WriteRollupRef(rollup, "final", result.rollup.final_rollup);

  XMLElement* verdict = Child(root, "verdict");
  verdict->SetAttribute("result", result.compliant() ? "compliant" : "not-compliant");
  verdict->SetAttribute("pass", result.Count(Outcome::kPass));
  verdict->SetAttribute("warn", result.Count(Outcome::kWarn));
  verdict->SetAttribute("fail", result.Count(Outcome::kFail));

  KeepToXmlChars(doc.RootElement());
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return printer.CStr();
}

}  // namespace otharden
