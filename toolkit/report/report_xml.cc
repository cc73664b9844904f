#include "toolkit/report/report_xml.h"

#include <tinyxml2.h>

#include "toolkit/report/report_parts_xml.h"

namespace otharden {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

void WriteRollupRef(XMLElement* parent, const char* name, const std::optional<RollupEntry>& r) {
  if (!r) return;
  XMLElement* el = AppendChild(parent, name);
  if (!r->kb.empty()) el->SetAttribute("kb", r->kb.c_str());
  el->SetAttribute("month", r->month.ToString().c_str());
  if (r->min_kernel) el->SetAttribute("min-kernel", r->min_kernel->ToString().c_str());
}

}  // namespace

std::string CheckReportXml(const CheckResult& result, const Policy& policy,
                           const DocumentRef& policy_file, const ReportContext& context) {
  XMLDocument doc;
  XMLElement* root = AppendReportRoot(&doc, "check", context);

  XMLElement* host = AppendChild(root, "host");
  host->SetAttribute("name", result.os.host_name.c_str());
  host->SetAttribute(result.os.domain_joined ? "domain" : "workgroup",
                     result.os.domain_or_workgroup.c_str());
  AppendOsXml(host, result.os);
  AppendUpdatesXml(host, result.packages);

  XMLElement* policy_el = AppendChild(root, "policy");
  policy_el->SetAttribute("name", policy.name.c_str());
  policy_el->SetAttribute("title", policy.title.c_str());
  policy_el->SetAttribute("file", policy_file.file.c_str());
  policy_el->SetAttribute("sha256", policy_file.sha256.c_str());

  XMLElement* findings = AppendChild(root, "findings");
  for (const Finding& f : result.findings) {
    XMLElement* el = AppendChild(findings, "finding");
    el->SetAttribute("id", f.id.c_str());
    el->SetAttribute("outcome", f.outcome == Outcome::kPass   ? "pass"
                                : f.outcome == Outcome::kWarn ? "warn"
                                                              : "fail");
    el->SetAttribute("title", f.title.c_str());
    AppendChild(el, "evidence")->SetText(f.evidence.c_str());
    if (!f.remedy.empty()) AppendChild(el, "remedy")->SetText(f.remedy.c_str());
  }

  XMLElement* rollup = AppendChild(root, "rollup");
  if (result.rollup.months_behind) rollup->SetAttribute("months-behind", *result.rollup.months_behind);
  WriteRollupRef(rollup, "latest", result.rollup.latest);
  WriteRollupRef(rollup, "by-kb", result.rollup.by_kb);
  WriteRollupRef(rollup, "by-kernel", result.rollup.by_kernel);
  WriteRollupRef(rollup, "final", result.rollup.final_rollup);

  XMLElement* verdict = AppendChild(root, "verdict");
  verdict->SetAttribute("result", result.compliant() ? "compliant" : "not-compliant");
  verdict->SetAttribute("pass", result.Count(Outcome::kPass));
  verdict->SetAttribute("warn", result.Count(Outcome::kWarn));
  verdict->SetAttribute("fail", result.Count(Outcome::kFail));

  return PrintXml(&doc);
}

}  // namespace otharden
