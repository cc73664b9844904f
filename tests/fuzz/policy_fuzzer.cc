// libFuzzer target: a policy XML file (policies/*.xml) as `check --policy` reads it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/spec/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::Policy> policy = otharden::ParsePolicy("fuzz.xml", text);
  // A refusal must say why; an accepted policy must be usable.
  if (!policy.ok() && policy.status().message().empty()) __builtin_trap();
  if (policy.ok()) {
    for (const auto& rollup : policy->rollups) (void)otharden::RollupLabel(rollup);
  }
  return 0;
}
