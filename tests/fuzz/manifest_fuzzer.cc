// libFuzzer target: a stick's MANIFEST as `media verify` and apply's gate read
// it. An accepted MANIFEST holds only safe relative paths and is written back
// byte for byte by ManifestText (the format has one spelling).
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/media/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<std::vector<otharden::ManifestEntry>> entries = otharden::ParseManifest(text, "MANIFEST");
  if (!entries.ok()) {
    if (entries.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (const otharden::ManifestEntry& e : *entries) {
    if (!otharden::CheckManifestPath(e.path).ok()) __builtin_trap();
  }
  otharden::Result<std::string> again = otharden::ManifestText(*entries);
  if (!again.ok() || *again != text) __builtin_trap();
  return 0;
}
