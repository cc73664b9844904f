// libFuzzer target: an apply report as `rollback --report` and `report render`
// read it (after its signature is verified, but the reader must not rely on
// that). An accepted report renders to a page whose markup does not depend on
// '<' in any of its text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/report/apply_html.h"
#include "toolkit/report/apply_report.h"

namespace {

size_t CountTags(const std::string& html) {
  size_t n = 0;
  for (char c : html) n += c == '<';
  return n;
}

void Plain(std::string* s) {
  for (char& c : *s) c = c == '<' ? 'x' : c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::ApplyReportData> report = otharden::ParseApplyReport("fuzz.xml", text);
  if (!report.ok()) {
    if (report.status().message().empty()) __builtin_trap();
    return 0;
  }
  const otharden::SignatureStatus signature;
  const std::string html = otharden::RenderApplyReportHtml(*report, signature, "fuzz.xml");
  otharden::ApplyReportData plain = *report;
  for (std::string* s : {&plain.context.operator_name, &plain.context.tool.version, &plain.context.tool.target,
                         &plain.context.tool.build, &plain.context.tool_sha256, &plain.profile_name,
                         &plain.profile_title, &plain.profile_file.file, &plain.profile_file.sha256,
                         &plain.profile_signature_detail, &plain.policy_name, &plain.policy_result,
                         &plain.policy_failures, &plain.policy_file.file, &plain.media_detail, &plain.journal,
                         &plain.verdict, &plain.message, &plain.before.os.host_name}) {
    Plain(s);
  }
  for (auto& o : plain.overrides) Plain(&o.first), Plain(&o.second);
  for (auto& p : plain.parameters) Plain(&p.name), Plain(&p.value), Plain(&p.source);
  for (auto& a : plain.actions) {
    for (std::string* s : {&a.area, &a.item, &a.action, &a.description, &a.reason, &a.before, &a.wanted, &a.after,
                           &a.result}) {
      Plain(s);
    }
  }
  for (auto* list : {&plain.differences, &plain.unplanned}) {
    for (auto& d : *list) Plain(&d.area), Plain(&d.item), Plain(&d.before), Plain(&d.after);
  }
  if (CountTags(html) != CountTags(otharden::RenderApplyReportHtml(plain, signature, "fuzz.xml"))) __builtin_trap();
  return 0;
}
