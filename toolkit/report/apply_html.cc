#include "toolkit/report/apply_html.h"

#include <sstream>

namespace otharden {
namespace {

std::string Esc(const std::string& s) { return HtmlEscape(s); }

const char* OutcomeClass(const std::string& verdict) {
  if (verdict == "applied" || verdict == "already-matched") return "ok";
  if (verdict == "rolled-back") return "warn";
  return "bad";
}

std::string OutcomeHeadline(const std::string& verdict) {
  if (verdict == "applied") return "APPLIED: every change made and verified";
  if (verdict == "already-matched") return "NOTHING TO DO: the host already matched the profile";
  if (verdict == "rolled-back") return "FAILED AND ROLLED BACK: the host is as it was before";
  if (verdict == "deviated") return "APPLIED, BUT THE HOST IS NOT AS PLANNED";
  return "FAILED AND NOT FULLY ROLLED BACK";
}

void Differences(std::ostringstream& html, const std::vector<SnapshotDifference>& differences) {
  html << "<table>\n";
  for (const SnapshotDifference& d : differences) {
    html << "<tr><th>" << Esc(DifferenceAreaLabel(d.area)) << "</th><td class=\"mono\">" << Esc(d.item)
         << "</td><td>" << Esc(d.before) << " &rarr; " << Esc(d.after) << "</td></tr>\n";
  }
  html << "</table>\n";
}

}  // namespace

std::string RenderApplyReportHtml(const ApplyReportData& r, const SignatureStatus& sig,
                                  const std::string& report_name) {
  std::ostringstream html;
  const std::string host = r.before.os.host_name;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" << Esc(host) << ": "
       << Esc(r.verdict) << " (otharden apply " << Esc(r.profile_name) << ")</title>\n<style>" << HtmlReportStyle()
       << "</style></head><body><main>\n";
  html << "<div class=\"banner " << OutcomeClass(r.verdict) << "\"><h1>" << Esc(OutcomeHeadline(r.verdict))
       << "</h1><p>" << Esc(host) << " &middot; profile " << Esc(r.profile_name) << " &middot; " << r.actions.size()
       << " planned change" << (r.actions.size() == 1 ? "" : "s") << " &middot; " << Esc(r.context.time.Iso8601())
       << "</p></div>\n";
  html << HtmlSignatureBanner(sig);
  if (!r.message.empty()) html << "<section><h2>What failed</h2><p>" << Esc(r.message) << "</p></section>\n";
  if (!r.overrides.empty()) {
    html << "<section><h2>Safety checks overridden by the technician (" << r.overrides.size() << ")</h2><table>\n";
    for (const auto& [option, what] : r.overrides) html << HtmlRow(option, what);
    html << "</table></section>\n";
  }

  html << "<section><h2>Planned changes and what became of them</h2><table>\n"
       << "<tr><th>Result</th><th>Change</th><th>Before</th><th>Wanted</th><th>Found after</th></tr>\n";
  for (const PlannedAction& a : r.actions) {
    const char* cls = a.result == "as-planned" ? "ok" : a.result == "as-before" ? "warn" : "bad";
    html << "<tr><td><span class=\"tag " << cls << "\">" << Esc(a.result) << "</span></td><td>"
         << Esc(a.description.empty() ? a.area + " " + a.item : a.description) << "<div class=\"remedy\">"
         << Esc(a.reason) << "</div></td><td>" << Esc(a.before) << "</td><td>" << Esc(a.wanted) << "</td><td>"
         << Esc(a.after) << "</td></tr>\n";
  }
  html << "</table></section>\n";

  if (!r.unplanned.empty()) {
    html << "<section><h2>Changed on the host but not by the plan (" << r.unplanned.size() << ")</h2>\n";
    Differences(html, r.unplanned);
    html << "</section>\n";
  }

  html << "<section><h2>Run</h2><table>\n"
       << HtmlRow("Report", report_name) << HtmlRow("Operator", r.context.operator_name.empty() ? "(not given)" : r.context.operator_name)
       << HtmlRow("Tool", "otharden " + r.context.tool.version + " " + r.context.tool.target + " (" + r.context.tool.build + ")")
       << HtmlRow("Tool SHA-256", r.context.tool_sha256)
       << HtmlRow("Profile", r.profile_name + ": " + r.profile_title + " (" + r.profile_file.file + ", SHA-256 " +
                             r.profile_file.sha256 + ")")
       << HtmlRow("Profile signature", (r.profile_signed ? "signed: " : "NOT signed: ") + r.profile_signature_detail)
       << HtmlRow("Stick", (r.media_verified ? "verified: " : "NOT verified: ") + r.media_detail)
       << HtmlRow("Required policy", r.policy_name + " (" + r.policy_result + ")" +
                                     (r.policy_failures.empty() ? "" : ": " + r.policy_failures))
       << HtmlRow("Journal", r.journal.empty() ? "(nothing was changed)" : r.journal);
  for (const ParameterValue& p : r.parameters) html << HtmlRow("Parameter " + p.name, p.value + "  (" + p.source + ")");
  html << "</table></section>\n";

  html << "<section><details><summary>All differences between the before and after snapshots ("
       << r.differences.size() << ")</summary>\n";
  Differences(html, r.differences);
  html << "</details></section>\n</main></body></html>\n";
  return html.str();
}

}  // namespace otharden
