#include "toolkit/report/html_report.h"

#include <sstream>

namespace otharden {

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

const char kStyle[] = R"(
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1d2330;background:#f4f5f7}
main{max-width:980px;margin:0 auto;padding:24px}
.banner{border-radius:8px;padding:20px 24px;color:#fff;margin-bottom:12px}
.banner h1{margin:0;font-size:30px}.banner p{margin:6px 0 0;font-size:16px}
.ok{background:#1e7d3a}.bad{background:#b3261e}.warn{background:#9a6700}.grey{background:#5f6673}
.sig{border-radius:8px;padding:12px 24px;margin-bottom:20px;color:#fff;font-size:15px}
section{background:#fff;border-radius:8px;padding:16px 24px;margin-bottom:16px;box-shadow:0 1px 2px #0002}
h2{font-size:18px;margin:0 0 10px}
table{border-collapse:collapse;width:100%}td,th{padding:6px 8px;vertical-align:top;text-align:left;border-bottom:1px solid #e3e5e8}
th{font-weight:600;color:#4a5160;width:190px}
.tag{display:inline-block;min-width:44px;text-align:center;border-radius:4px;color:#fff;font-weight:700;font-size:13px;padding:2px 6px}
.remedy{color:#4a5160;margin-top:4px}.mono{font-family:Consolas,monospace;font-size:13px;word-break:break-all}
details summary{cursor:pointer;font-weight:600}
)";

const char* TagClass(const std::string& outcome) {
  if (outcome == "pass") return "ok";
  if (outcome == "warn") return "warn";
  return "bad";
}

}  // namespace

std::string HtmlRow(const std::string& name, const std::string& value, bool mono) {
  return "<tr><th>" + HtmlEscape(name) + "</th><td" + (mono ? " class=\"mono\"" : "") + ">" +
         HtmlEscape(value) + "</td></tr>\n";
}

std::string HtmlSignatureBanner(const SignatureStatus& sig) {
  std::ostringstream html;
  switch (sig.state) {
    case SignatureStatus::State::kVerified:
      html << "<div class=\"sig ok\">Signature verified: signed by trusted key "
           << HtmlEscape(sig.key_id) << ". Signed comment: <span class=\"mono\">"
           << HtmlEscape(sig.trusted_comment) << "</span></div>\n";
      break;
    case SignatureStatus::State::kInvalid:
      html << "<div class=\"sig bad\">SIGNATURE NOT VALID: " << HtmlEscape(sig.detail)
           << ". Do not rely on this report.</div>\n";
      break;
    case SignatureStatus::State::kMissing:
      html << "<div class=\"sig bad\">UNSIGNED: " << HtmlEscape(sig.detail)
           << ". Nothing shows who wrote this report.</div>\n";
      break;
    case SignatureStatus::State::kNotChecked:
      html << "<div class=\"sig grey\">Signature not checked: " << HtmlEscape(sig.detail) << ".</div>\n";
      break;
  }

  return html.str();
}

const char* HtmlReportStyle() { return kStyle; }

std::string RenderCheckReportHtml(const CheckReport& r, const SignatureStatus& sig,
                                  const std::string& report_name) {
  std::ostringstream html;
  const bool compliant = r.verdict == "compliant";
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       << "<title>" << HtmlEscape(r.host_name) << ": " << (compliant ? "compliant" : "NOT compliant")
       << " (otharden check)</title>\n<style>" << kStyle << "</style></head><body><main>\n";

  html << "<div class=\"banner " << (compliant ? "ok" : "bad") << "\"><h1>"
       << (compliant ? "COMPLIANT" : "NOT COMPLIANT") << "</h1><p>" << HtmlEscape(r.host_name) << " &middot; "
       << "policy " << HtmlEscape(r.policy_name) << " &middot; " << r.fail << " failed, " << r.warn
       << " warning" << (r.warn == 1 ? "" : "s") << ", " << r.pass << " passed &middot; "
       << HtmlEscape(r.utc) << "</p></div>\n";

  html << HtmlSignatureBanner(sig);

  html << "<section><h2>Requirements</h2><table>\n";
  for (const ReportFinding& f : r.findings) {
    html << "<tr><td style=\"width:60px\"><span class=\"tag " << TagClass(f.outcome) << "\">"
         << (f.outcome == "pass" ? "PASS" : f.outcome == "warn" ? "WARN" : "FAIL")
         << "</span></td><th>" << HtmlEscape(f.title) << "</th><td>" << HtmlEscape(f.evidence);
    if (!f.remedy.empty()) html << "<div class=\"remedy\">&rarr; " << HtmlEscape(f.remedy) << "</div>";
    html << "</td></tr>\n";
  }
  html << "</table></section>\n";

  html << "<section><h2>Host</h2><table>\n"
       << HtmlRow("Host name", r.host_name) << HtmlRow("Membership", r.membership)
       << HtmlRow("Windows", "NT " + r.os_version + ", service pack " + r.service_pack + ", " + r.product_type +
                              ", " + r.architecture)
       << HtmlRow("Product name", r.product_name)
       << HtmlRow("ntoskrnl.exe", r.kernel_version.empty() ? "unreadable: " + r.kernel_error : r.kernel_version)
       << HtmlRow("Latest rollup found", r.latest_rollup.empty() ? "none" : r.latest_rollup)
       << HtmlRow("Final rollup", r.final_rollup)
       << HtmlRow("Months behind", r.months_behind ? std::to_string(*r.months_behind) : "unknown")
       << "</table></section>\n";

  html << "<section><details><summary>Installed updates (" << r.packages.size()
       << " packages in the servicing store)</summary><table>\n";
  for (const ReportPackage& p : r.packages) {
    html << "<tr><th>" << HtmlEscape(p.kb.empty() ? "-" : p.kb) << "</th><td>" << HtmlEscape(p.state)
         << "</td><td class=\"mono\">" << HtmlEscape(p.name) << "</td></tr>\n";
  }
  html << "</table></details></section>\n";

  html << "<section><h2>Evidence record</h2><table>\n"
       << HtmlRow("Report file", report_name) << HtmlRow("Command", r.command) << HtmlRow("Time (UTC)", r.utc)
       << HtmlRow("Operator", r.operator_name.empty() ? "not recorded" : r.operator_name)
       << HtmlRow("Policy", r.policy_name + ": " + r.policy_title) << HtmlRow("Policy file", r.policy_file, true)
       << HtmlRow("Policy SHA-256", r.policy_sha256, true)
       << HtmlRow("otharden", r.tool_version + " (" + r.tool_target + "; " + r.tool_build + ")")
       << HtmlRow("otharden SHA-256", r.tool_sha256.empty() ? "not recorded" : r.tool_sha256, true)
       << "</table></section>\n";
  html << "</main></body></html>\n";
  return html.str();
}

std::string DifferenceAreaLabel(const std::string& area) {
  if (area == "os") return "OS";
  if (area == "firewall-profile") return "firewall profile";
  if (area == "firewall-rule") return "firewall rule";
  return area;  // "update", "service", "firewall"
}

namespace {

std::string SignatureLine(const SignatureStatus& sig) {
  switch (sig.state) {
    case SignatureStatus::State::kVerified: return "verified, key id " + sig.key_id;
    case SignatureStatus::State::kInvalid: return "NOT VALID: " + sig.detail;
    case SignatureStatus::State::kMissing: return "UNSIGNED: " + sig.detail;
    case SignatureStatus::State::kNotChecked: break;
  }
  return "not checked: " + sig.detail;
}

const char* SignatureClass(const SignatureStatus& sig) {
  switch (sig.state) {
    case SignatureStatus::State::kVerified: return "ok";
    case SignatureStatus::State::kNotChecked: return "grey";
    default: return "bad";
  }
}

}  // namespace

std::string RenderDiffHtml(const std::vector<SnapshotDifference>& differences, const DiffSide& before,
                           const DiffSide& after) {
  std::ostringstream html;
  const size_t n = differences.size();
  const std::string verdict = n == 0 ? "NO DIFFERENCES" : std::to_string(n) + (n == 1 ? " DIFFERENCE" : " DIFFERENCES");
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       << "<title>" << HtmlEscape(before.host) << ": " << verdict << " (otharden diff)</title>\n<style>" << kStyle
       << "</style></head><body><main>\n";
  html << "<div class=\"banner " << (n == 0 ? "ok" : "warn") << "\"><h1>" << verdict << "</h1><p>"
       << HtmlEscape(before.host) << " " << HtmlEscape(before.label) << " " << HtmlEscape(before.utc) << " &rarr; "
       << HtmlEscape(after.host) << " " << HtmlEscape(after.label) << " " << HtmlEscape(after.utc) << "</p></div>\n";
  for (const DiffSide* side : {&before, &after}) {
    html << "<div class=\"sig " << SignatureClass(side->signature) << "\">" << HtmlEscape(side->file) << ": signature "
         << HtmlEscape(SignatureLine(side->signature)) << "</div>\n";
  }
  html << "<section><h2>Compared</h2><table>\n"
       << HtmlRow("Before", before.file + " (" + before.label + ", " + before.host + ", " + before.utc + ")")
       << HtmlRow("After", after.file + " (" + after.label + ", " + after.host + ", " + after.utc + ")")
       << "</table></section>\n";
  if (n > 0) {
    html << "<section><h2>Differences</h2><table>\n"
         << "<tr><th>What</th><th>Before</th><th>After</th></tr>\n";
    std::string area;
    for (const SnapshotDifference& d : differences) {
      if (d.area != area) {
        area = d.area;
        html << "<tr><td colspan=\"3\"><strong>" << HtmlEscape(DifferenceAreaLabel(area)) << "</strong></td></tr>\n";
      }
      html << "<tr><th>" << HtmlEscape(DifferenceAreaLabel(d.area) + " " + d.item) << "</th><td>" << HtmlEscape(d.before)
           << "</td><td>" << HtmlEscape(d.after) << "</td></tr>\n";
    }
    html << "</table></section>\n";
  }
  html << "</main></body></html>\n";
  return html.str();
}

}  // namespace otharden
