// libFuzzer target: a lockdown profile XML (plan/apply --profile), checked
// against a fixed protected-services list like the one in policies/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/model/firewall_rule.h"
#include "toolkit/spec/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const otharden::ProtectedServices* const kProtected = [] {
    auto* p = new otharden::ProtectedServices;
    p->entries = {{"RpcSs", "RPC"}, {"EventLog", "logs"}, {"TermService", "remote desktop"},
                  {"MpsSvc", "firewall"}};
    return p;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::Profile> profile =
      otharden::ParseProfile("fuzz.xml", text, *kProtected);
  if (!profile.ok() && profile.status().message().empty()) __builtin_trap();
  if (profile.ok()) {
    // The rules a profile yields are written to the firewall as rule strings.
    for (const auto& entry : profile->firewall.rules) {
      (void)otharden::FormatFirewallRule(entry.rule);
      (void)entry.rule.Describe();
    }
  }
  return 0;
}
