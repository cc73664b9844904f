// libFuzzer target: the protected-services list (policies/protected-services.xml).
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/spec/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::ProtectedServices> list =
      otharden::ParseProtectedServices("fuzz.xml", text);
  if (!list.ok() && list.status().message().empty()) __builtin_trap();
  if (list.ok()) (void)list->Find("RpcSs");
  return 0;
}
