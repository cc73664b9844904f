// libFuzzer target: a minisign secret key file (sign --key FILE). Every input
// goes through InspectSecretKey (what is checked before asking for a
// passphrase); keys that pass are opened with a fixed passphrase, except that
// scrypt is only run for at most 1 MiB and N*r*p <= 2^14 (the seed key's cost
// is 2^13), so that a run is not all scrypt: the KDF cost limits themselves are
// CheckKdfCostBearable's, tested in tests/unit/sign/minisign_test.cc.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/sign/minisign.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::SecretKeyInfo> info = otharden::InspectSecretKey(text, "fuzz.key");
  if (!info.ok()) {
    if (info.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (info->encrypted) {
    const otharden::ScryptParameters s = otharden::ScryptParametersFor(info->cost);
    const uint64_t work = (uint64_t{1} << s.n_log2) * s.r * s.p;
    if (s.MemoryBytes() > uint64_t{1} << 20 || work > uint64_t{1} << 14) return 0;
  }
  otharden::Result<otharden::SecretKey> key = otharden::ParseSecretKey(text, "fuzz", "fuzz.key");
  if (!key.ok()) {
    if (key.status().message().empty()) __builtin_trap();
    return 0;
  }
  // A key that opens signs, and its signature verifies with its public half.
  const std::string message = "fuzz";
  otharden::Result<std::string> sig = otharden::SignData(key.value(), message, "t");
  if (!sig.ok()) __builtin_trap();
  otharden::Result<otharden::SignatureCheck> check =
      otharden::VerifyData(message, sig.value(), {key->Public()});
  if (!check.ok() || !check->valid) __builtin_trap();
  return 0;
}
