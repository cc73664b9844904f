// libFuzzer target: a site file (--site FILE) as plan and apply read it. A
// refusal must say why; an accepted file must name its profile and give every
// value a name and an origin for the messages that cite it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/spec/site.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::SiteFile> site = otharden::ParseSiteFile("fuzz-site.xml", text);
  if (!site.ok()) {
    if (site.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (site->profile.empty()) __builtin_trap();
  for (const otharden::ParameterArgument& v : site->values) {
    if (v.name.empty() || v.origin.empty()) __builtin_trap();
  }
  return 0;
}
