// libFuzzer target: a .minisig signature file (verify, report render --sig),
// checked over fixed data with one trusted key. The seed signatures in
// corpus/minisign_signature were made by minisign 0.11 with that key over that
// data, so mutations reach the signature and trusted-comment checks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/sign/minisign.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<otharden::PublicKey>* const kTrusted = [] {
    otharden::Result<otharden::PublicKey> key = otharden::ParsePublicKey(
        "untrusted comment: minisign public key 7A635B7AA75A109E\n"
        "RWSeEFqneltjeiSvX2Oy4XGWPt5u+gGYRo+oHg11ePEeyEjlDLrPW54a\n",
        "fuzz.pub");
    if (!key.ok()) __builtin_trap();
    return new std::vector<otharden::PublicKey>{key.value()};
  }();
  const std::string signed_data = "otharden fuzz data\n";
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::SignatureCheck> check =
      otharden::VerifyData(signed_data, text, *kTrusted, "fuzz.minisig");
  if (!check.ok()) {
    if (check.status().message().empty()) __builtin_trap();
    return 0;
  }
  // A verdict always comes with its reason or its signer.
  if (check->valid ? check->signer.empty() : check->problem.empty()) __builtin_trap();
  return 0;
}
