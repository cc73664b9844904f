// libFuzzer target: a minisign public key file (--pub FILE, --trusted DIR/*.pub).
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/sign/minisign.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::PublicKey> key = otharden::ParsePublicKey(text, "fuzz.pub");
  if (!key.ok()) {
    if (key.status().message().empty()) __builtin_trap();
    return 0;
  }
  // What we write for a key we read must read back as the same key.
  otharden::Result<otharden::PublicKey> again =
      otharden::ParsePublicKey(otharden::PublicKeyFileText(key.value()), "again.pub");
  if (!again.ok() || again->key != key->key || again->key_id != key->key_id) __builtin_trap();
  return 0;
}
