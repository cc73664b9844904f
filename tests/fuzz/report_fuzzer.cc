// libFuzzer target: a check report XML as `report render` reads it back, and
// the HTML page rendered from it: text from the report (host names are
// whatever an administrator typed) must never reach the page as markup.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/report/html_report.h"
#include "toolkit/report/report_reader.h"

namespace {

// Every text field of the report, for the markup check below.
std::vector<std::string*> TextFields(otharden::CheckReport* r) {
  std::vector<std::string*> fields = {
      &r->tool_version, &r->tool_target, &r->tool_build, &r->tool_sha256, &r->command, &r->utc,
      &r->operator_name, &r->host_name, &r->membership, &r->os_version, &r->service_pack,
      &r->product_type, &r->architecture, &r->product_name, &r->kernel_version, &r->kernel_error,
      &r->policy_name, &r->policy_title, &r->policy_file, &r->policy_sha256, &r->latest_rollup,
      &r->final_rollup, &r->verdict};
  for (auto& f : r->findings) {
    for (std::string* s : {&f.id, &f.outcome, &f.title, &f.evidence, &f.remedy}) fields.push_back(s);
  }
  for (auto& p : r->packages) {
    for (std::string* s : {&p.name, &p.kb, &p.state}) fields.push_back(s);
  }
  return fields;
}

size_t CountTags(const std::string& html) {
  size_t n = 0;
  for (char c : html) n += c == '<';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::CheckReport> report = otharden::ParseCheckReport("fuzz.xml", text);
  if (!report.ok()) {
    if (report.status().message().empty()) __builtin_trap();
    return 0;
  }
  otharden::SignatureStatus signature;
  signature.state = otharden::SignatureStatus::State::kVerified;
  signature.key_id = "7A635B7AA75A109E";
  signature.trusted_comment = report->host_name;
  const std::string html = otharden::RenderCheckReportHtml(report.value(), signature, "fuzz.xml");
  // Escaped text holds no '<': the page has as many '<' as the same report with
  // every '<' in its text replaced, or some text reached the page as markup.
  otharden::CheckReport plain = report.value();
  for (std::string* field : TextFields(&plain)) {
    for (char& c : *field) c = c == '<' ? 'x' : c;
  }
  signature.trusted_comment = plain.host_name;
  const std::string plain_html = otharden::RenderCheckReportHtml(plain, signature, "fuzz.xml");
  if (CountTags(html) != CountTags(plain_html)) __builtin_trap();
  return 0;
}
