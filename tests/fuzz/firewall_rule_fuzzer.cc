// libFuzzer target: the firewall rule string codec (model/firewall_rule.h).
// Rule strings come from the host's firewall, snapshots, journals and reports.
// Besides not crashing, checks the codec's promises:
//   - a parsed, unchanged rule formats back byte for byte;
//   - what FormatFirewallRule writes for a rule (as read, or afresh once its
//     source is dropped) parses again, to a rule that formats the same and
//     describes the same.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "toolkit/model/firewall_rule.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "firewall_rule_fuzzer: %s\n  first:  %s\n  second: %s\n", what, a.c_str(),
               b.c_str());
  std::abort();
}

// Format -> parse -> format is stable, and the rule means the same.
void CheckReparses(const otharden::FirewallRule& rule, const char* which) {
  const std::string text = otharden::FormatFirewallRule(rule);
  otharden::Result<otharden::FirewallRule> again = otharden::ParseFirewallRule(text);
  if (!again.ok()) Fail(which, text, again.status().message());
  const std::string text2 = otharden::FormatFirewallRule(again.value());
  if (text2 != text) Fail(which, text, text2);
  if (again->Describe() != rule.Describe()) Fail(which, rule.Describe(), again->Describe());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::FirewallRule> rule = otharden::ParseFirewallRule(text);
  if (!rule.ok()) {
    if (rule.status().message().empty()) __builtin_trap();
    return 0;
  }
  const std::string formatted = otharden::FormatFirewallRule(rule.value());
  if (formatted != text) Fail("unchanged rule does not format back byte for byte", text, formatted);
  CheckReparses(rule.value(), "re-parse of the rule as read");

  otharden::FirewallRule fresh = rule.value();
  fresh.source.reset();
  CheckReparses(fresh, "re-parse of the rule written afresh");
  (void)otharden::ValidateForV20(fresh);
  return 0;
}
