#include "toolkit/sign/minisign.h"

#include <cryptopp/base64.h>
#include <cryptopp/filters.h>

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

namespace otharden {
using namespace testing;
namespace {

namespace fs = std::filesystem;

// 16 MiB keeps the tests quick; the default cost is exercised once.
const KdfCost kCheapCost = *KdfCostForMemory(16);

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string FromBase64(const std::string& text) {
  std::string out;
  CryptoPP::StringSource(text, true, new CryptoPP::Base64Decoder(new CryptoPP::StringSink(out)));
  return out;
}

std::string ToBase64(const std::string& bytes) {
  std::string out;
  CryptoPP::StringSource(bytes, true,
                         new CryptoPP::Base64Encoder(new CryptoPP::StringSink(out), false));
  return out;
}

// Replaces the decoded bytes of line `index` of a minisign text with `edit(bytes)`.
template <typename Edit>
std::string EditBase64Line(const std::string& text, size_t index, Edit edit) {
  std::vector<std::string> lines = Lines(text);
  std::string bytes = FromBase64(lines.at(index));
  edit(bytes);
  lines[index] = ToBase64(bytes);
  return Join(lines);
}

SecretKey OpenUnencrypted(const SecretKey& key) {
  return std::move(ParseSecretKey(UnencryptedSecretKeyFileText(key), "", "mem.key").value());
}

PublicKey TrustedPublic(const SecretKey& key, const std::string& source = "kit.pub") {
  PublicKey pub = key.Public();
  pub.source = source;
  return pub;
}

bool MinisignAvailable() {
  static const bool available = std::system("minisign -v >/dev/null 2>&1") == 0;
  if (!available) WARN("minisign is not installed: known-answer tests against it are skipped");
  return available;
}

int Run(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("scrypt parameters follow libsodium's pickparams") {
  // Expected values were produced by libsodium 1.0.18 itself: its
  // crypto_pwhash_scryptsalsa208sha256_str() "$7$" string encodes N_log2, r and p.
  struct Case {
    uint64_t opslimit, memlimit;
    uint32_t n_log2, r, p;
  };
  const Case cases[] = {
      {1ull << 22, 1ull << 27, 17, 8, 1},     // our default: 128 MiB
      {1ull << 25, 1ull << 30, 20, 8, 1},     // minisign's default (SENSITIVE): 1 GiB
      {1ull << 19, 1ull << 24, 14, 8, 1},     // libsodium's INTERACTIVE
      {1000, 1ull << 30, 10, 8, 1},           // opslimit floored at 32768
      {1ull << 30, 1ull << 24, 14, 8, 2048},  // opslimit beyond memory: p grows
      {0, 0, 1, 8, 512},
      {1ull << 20, 1ull << 27, 15, 8, 1},  // opslimit-bound
      {3000000, 100000000, 16, 8, 1},      // not powers of two
  };
  for (const Case& c : cases) {
    INFO("opslimit " << c.opslimit << ", memlimit " << c.memlimit);
    const ScryptParameters s = ScryptParametersFor(KdfCost{c.opslimit, c.memlimit});
    CHECK(s.n_log2 == c.n_log2);
    CHECK(s.r == c.r);
    CHECK(s.p == c.p);
  }
}

TEST_CASE("new keys default to 128 MiB of scrypt with p=1") {
  const KdfCost cost = DefaultKdfCost();
  CHECK(cost.opslimit == 4194304);
  CHECK(cost.memlimit == 134217728);
  const ScryptParameters s = ScryptParametersFor(cost);
  CHECK(s.n_log2 == 17);
  CHECK(s.p == 1);
  CHECK(s.MemoryBytes() == 128u << 20);

  for (uint64_t mib : {16, 32, 256, 1024}) {
    Result<KdfCost> c = KdfCostForMemory(mib);
    REQUIRE(c.ok());
    CHECK(ScryptParametersFor(*c).p == 1);
    CHECK(ScryptParametersFor(*c).MemoryBytes() == mib << 20);
  }
  for (uint64_t mib : {0, 8, 100, 2048}) {
    Result<KdfCost> c = KdfCostForMemory(mib);
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.status().message(), Catch::Contains("power of two from 16 to 1024"));
  }
}

TEST_CASE("absurd KDF costs are refused before any memory is allocated") {
  CHECK(CheckKdfCostBearable(DefaultKdfCost()).ok());
  CHECK(CheckKdfCostBearable(KdfCost{1ull << 25, 1ull << 30}).ok());  // minisign's default

  Status s = CheckKdfCostBearable(KdfCost{1ull << 25, 1ull << 40});
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("refusing anything over 2048 MiB"));

  s = CheckKdfCostBearable(KdfCost{1ull << 40, 1ull << 24});  // p = 2^24
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("times the work of minisign's default"));

  s = CheckKdfCostBearable(KdfCost{1ull << 26, 1ull << 31});  // 2 GiB
  if (sizeof(void*) == 4) {
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains("32-bit build refuses more than 1024 MiB"));
  } else {
    CHECK(s.ok());
  }
}

TEST_CASE("a generated key signs and its public key verifies") {
  const SecretKey key = SecretKey::Generate();
  CHECK(key.KeyIdHex().size() == 16);
  CHECK(key.KeyIdHex().find_first_not_of("0123456789ABCDEF") == std::string::npos);
  CHECK(key.Public().KeyIdHex() == key.KeyIdHex());

  Result<std::string> sig = SignData(key, "report body", "host:H1\tverdict:COMPLIANT");
  REQUIRE(sig.ok());
  const std::vector<std::string> lines = Lines(*sig);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "untrusted comment: signature from otharden secret key " + key.KeyIdHex());
  CHECK(FromBase64(lines[1]).substr(0, 2) == "ED");
  CHECK(lines[2] == "trusted comment: host:H1\tverdict:COMPLIANT");

  Result<SignatureCheck> check = VerifyData("report body", *sig, {TrustedPublic(key)});
  REQUIRE(check.ok());
  CHECK(check->valid);
  CHECK(check->problem.empty());
  CHECK(check->key_id == key.KeyIdHex());
  CHECK(check->trusted_comment == "host:H1\tverdict:COMPLIANT");
  CHECK(check->signer == "kit.pub");
  CHECK_FALSE(check->legacy);

  // An empty trusted comment and empty data are fine too.
  Result<std::string> empty = SignData(key, "", "");
  REQUIRE(empty.ok());
  CHECK(VerifyData("", *empty, {TrustedPublic(key)})->valid);
}

TEST_CASE("public key files round-trip in minisign's layout") {
  const SecretKey key = SecretKey::Generate();
  const std::string text = PublicKeyFileText(key.Public());
  const std::vector<std::string> lines = Lines(text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "untrusted comment: minisign public key " + key.KeyIdHex());
  const std::string blob = FromBase64(lines[1]);
  REQUIRE(blob.size() == 42);
  CHECK(blob.substr(0, 2) == "Ed");
  Result<PublicKey> parsed = ParsePublicKey(text, "k.pub");
  REQUIRE(parsed.ok());
  CHECK(parsed->key == key.Public().key);
  CHECK(parsed->key_id == key.key_id());
  CHECK(parsed->source == "k.pub");
  // Windows line ends and a missing final line end are fine.
  CHECK(ParsePublicKey(lines[0] + "\r\n" + lines[1] + "\r\n", "k.pub").ok());
  CHECK(ParsePublicKey(lines[0] + "\n" + lines[1], "k.pub").ok());
}

TEST_CASE("encrypted secret keys open with the right passphrase only") {
  const SecretKey key = SecretKey::Generate();
  Result<std::string> text = EncryptedSecretKeyFileText(key, "correct horse", kCheapCost);
  REQUIRE(text.ok());
  const std::vector<std::string> lines = Lines(*text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "untrusted comment: minisign encrypted secret key");
  const std::string blob = FromBase64(lines[1]);
  REQUIRE(blob.size() == 158);
  CHECK(blob.substr(0, 6) == "EdScB2");
  // The key id is encrypted too: it must not appear in clear.
  const std::string id(key.key_id().begin(), key.key_id().end());
  CHECK(blob.find(id) == std::string::npos);

  Result<SecretKeyInfo> info = InspectSecretKey(*text, "k.key");
  REQUIRE(info.ok());
  CHECK(info->encrypted);
  CHECK(info->cost.opslimit == kCheapCost.opslimit);
  CHECK(info->cost.memlimit == kCheapCost.memlimit);

  Result<SecretKey> opened = ParseSecretKey(*text, "correct horse", "k.key");
  REQUIRE(opened.ok());
  CHECK(opened->KeyIdHex() == key.KeyIdHex());
  CHECK(opened->Public().key == key.Public().key);

  Result<SecretKey> wrong = ParseSecretKey(*text, "correct horse ", "k.key");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == Status::Code::kInvalidInput);
  CHECK(wrong.status().message() == "k.key: wrong passphrase or corrupted key (checksum mismatch)");

  // Two encryptions of one key differ (fresh salt).
  CHECK(*EncryptedSecretKeyFileText(key, "correct horse", kCheapCost) != *text);
}

TEST_CASE("a key encrypted at the default cost opens again") {
  const SecretKey key = SecretKey::Generate();
  Result<std::string> text = EncryptedSecretKeyFileText(key, "pass phrase", DefaultKdfCost());
  REQUIRE(text.ok());
  CHECK(InspectSecretKey(*text, "k.key")->cost.memlimit == 134217728);
  Result<SecretKey> opened = ParseSecretKey(*text, "pass phrase", "k.key");
  REQUIRE(opened.ok());
  CHECK(opened->Public().key == key.Public().key);
}

TEST_CASE("unencrypted secret keys: minisign's zero checksum is accepted, a wrong one is not") {
  const SecretKey key = SecretKey::Generate();
  const std::string text = UnencryptedSecretKeyFileText(key);
  const std::string blob = FromBase64(Lines(text)[1]);
  REQUIRE(blob.size() == 158);
  CHECK(blob.substr(0, 6) == std::string("Ed\0\0B2", 6));
  CHECK(blob.substr(6, 48) == std::string(48, '\0'));  // salt, opslimit, memlimit
  CHECK_FALSE(InspectSecretKey(text, "k.key")->encrypted);
  CHECK(ParseSecretKey(text, "ignored", "k.key").ok());

  // minisign -W writes a zero checksum.
  const std::string zero_chk =
      EditBase64Line(text, 1, [](std::string& b) { b.replace(126, 32, std::string(32, '\0')); });
  CHECK(ParseSecretKey(zero_chk, "", "k.key").ok());

  const std::string bad_chk = EditBase64Line(text, 1, [](std::string& b) { b[130] ^= 1; });
  Result<SecretKey> r = ParseSecretKey(bad_chk, "", "k.key");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "k.key: corrupted key (checksum mismatch)");

  // A public half that does not belong to the seed, with a matching checksum.
  const std::string bad_pk = EditBase64Line(zero_chk, 1, [](std::string& b) { b[100] ^= 1; });
  r = ParseSecretKey(bad_pk, "", "k.key");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("public half does not belong to its seed"));
}

TEST_CASE("malformed secret keys are refused with the file named") {
  const SecretKey key = SecretKey::Generate();
  const std::string text = *EncryptedSecretKeyFileText(key, "pw", kCheapCost);
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"", "not a minisign secret key"},
      {Lines(text)[0] + "\n", "expected a comment line and a base64 line"},
      {Lines(text)[0] + "\n" + Lines(text)[1].substr(0, 101) + "\n", "not a multiple of 4"},
      {Lines(text)[0] + "\n" + Lines(text)[1].substr(0, 200) + "\n",
       "decodes to 150 bytes, not 158"},
      {Lines(text)[0] + "\n" + "!" + Lines(text)[1].substr(1) + "\n", "not base64 at column 1"},
      {EditBase64Line(text, 1, [](std::string& b) { b[0] = 'X'; }),
       "unsupported signature algorithm"},
      {EditBase64Line(text, 1, [](std::string& b) { b[2] = 'A'; }),
       "unsupported key derivation function"},
      {EditBase64Line(text, 1, [](std::string& b) { b[4] = 'S'; }),
       "unsupported checksum algorithm"},
      {text + "more\n", "expected a comment line and a base64 line"},
      // Costs the file asks for: refused, not attempted.
      {EditBase64Line(text, 1, [](std::string& b) { b[46 + 5] = 1; }), "refusing to decrypt"},
      {EditBase64Line(text, 1, [](std::string& b) { b[38 + 6] = 1; }), "refusing to decrypt"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Result<SecretKeyInfo> info = InspectSecretKey(c.text, "dir/k.key");
    Result<SecretKey> r = ParseSecretKey(c.text, "pw", "dir/k.key");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
    CHECK_THAT(r.status().message(), Catch::StartsWith("dir/k.key: "));
    CHECK_THAT(r.status().message(), Catch::Contains(c.message));
    CHECK_FALSE(info.ok());  // the cost is refused before anyone types a passphrase
  }
  // Every truncation fails cleanly.
  for (size_t n = 0; n + 1 < text.size(); ++n) {
    CHECK_FALSE(ParseSecretKey(text.substr(0, n), "pw", "k.key").ok());
  }
}

TEST_CASE("moving a secret key wipes the source") {
  SecretKey a = SecretKey::Generate();
  const std::string id = a.KeyIdHex();
  SecretKey b = std::move(a);
  CHECK(b.KeyIdHex() == id);
  CHECK(a.KeyIdHex() == "0000000000000000");  // NOLINT(bugprone-use-after-move)
  CHECK(a.Public().key == std::array<uint8_t, 32>{});
}

TEST_CASE("altered data, trusted comments and signatures do not verify") {
  const SecretKey key = SecretKey::Generate();
  const std::vector<PublicKey> trusted = {TrustedPublic(key)};
  const std::string data = "<report verdict=\"COMPLIANT\"/>";
  const std::string sig = *SignData(key, data, "verdict:COMPLIANT");
  std::vector<std::string> lines = Lines(sig);

  Result<SignatureCheck> c = VerifyData("<report verdict=\"NONCOMPLIANT\"/>", sig, trusted);
  REQUIRE(c.ok());
  CHECK_FALSE(c->valid);
  CHECK_THAT(c->problem, Catch::Contains("does not match the data"));
  CHECK(c->trusted_comment.empty());
  CHECK(c->key_id == key.KeyIdHex());

  lines[2] = "trusted comment: verdict:NONCOMPLIANT";
  c = VerifyData(data, Join(lines), trusted);
  REQUIRE(c.ok());
  CHECK_FALSE(c->valid);
  CHECK_THAT(c->problem, Catch::Contains("trusted comment was altered"));

  // The untrusted comment is not signed: changing it changes nothing.
  lines = Lines(sig);
  lines[0] = "untrusted comment: anything at all";
  CHECK(VerifyData(data, Join(lines), trusted)->valid);

  c = VerifyData(data, EditBase64Line(sig, 1, [](std::string& b) { b[40] ^= 4; }), trusted);
  CHECK_FALSE(c->valid);
  c = VerifyData(data, EditBase64Line(sig, 3, [](std::string& b) { b[5] ^= 1; }), trusted);
  CHECK_FALSE(c->valid);
}

TEST_CASE("only trusted keys verify") {
  const SecretKey key = SecretKey::Generate(), other = SecretKey::Generate();
  const std::string sig = *SignData(key, "data", "tc");

  Result<SignatureCheck> c = VerifyData("data", sig, {TrustedPublic(other, "other.pub")});
  REQUIRE(c.ok());
  CHECK_FALSE(c->valid);
  CHECK_THAT(c->problem,
             Catch::Contains("signed by key " + key.KeyIdHex() + ", which is not a trusted key"));
  CHECK_THAT(c->problem, Catch::Contains(other.KeyIdHex() + " (other.pub)"));

  c = VerifyData("data", sig, {});
  CHECK_FALSE(c->valid);
  CHECK_THAT(c->problem, Catch::Contains("no trusted public keys"));

  // A key that claims the signer's key id but is another key.
  PublicKey impostor = TrustedPublic(other, "impostor.pub");
  impostor.key_id = key.key_id();
  c = VerifyData("data", sig, {impostor});
  CHECK_FALSE(c->valid);

  // Among several trusted keys the one with the signature's key id is used.
  c = VerifyData("data", sig,
                 {TrustedPublic(other, "other.pub"), impostor, TrustedPublic(key, "kit.pub")});
  CHECK(c->valid);
  CHECK(c->signer == "kit.pub");
}

TEST_CASE("no single-bit change or truncation of a signature file verifies") {
  const SecretKey key = SecretKey::Generate();
  const std::vector<PublicKey> trusted = {TrustedPublic(key)};
  const std::string sig = *SignData(key, "data", "timestamp:1\tfile:data\thashed");
  const size_t signed_part = sig.find('\n') + 1;  // the untrusted comment is not signed
  int errors = 0, invalid = 0;
  for (size_t i = signed_part; i < sig.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = sig;
      changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
      Result<SignatureCheck> c = VerifyData("data", changed, trusted);
      if (!c.ok()) {
        ++errors;
      } else {
        INFO("byte " << i << " bit " << bit);
        CHECK_FALSE(c->valid);
        ++invalid;
      }
    }
  }
  CHECK(errors > 0);
  CHECK(invalid > 0);
  for (size_t n = 0; n + 1 < sig.size(); ++n) {
    Result<SignatureCheck> c = VerifyData("data", sig.substr(0, n), trusted);
    CHECK((!c.ok() || !c->valid));
  }
}

TEST_CASE("malformed signature files are input errors, not verdicts") {
  const SecretKey key = SecretKey::Generate();
  const std::vector<PublicKey> trusted = {TrustedPublic(key)};
  const std::string sig = *SignData(key, "data", "tc");
  const std::vector<std::string> l = Lines(sig);
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"", "the first line must start with \"untrusted comment: \""},
      {"hello\n" + l[1] + "\n" + l[2] + "\n" + l[3] + "\n",
       "must start with \"untrusted comment: \""},
      {l[0] + "\n" + l[1] + "\n", "expected 4 lines"},
      {l[0] + "\n" + l[1] + "\n" + "comment: tc\n" + l[3] + "\n",
       "must start with \"trusted comment: \""},
      {l[0] + "\n" + l[1].substr(1) + "\n" + l[2] + "\n" + l[3] + "\n",
       "line 2: not a signature line"},
      {l[0] + "\n" + l[1] + "\n" + l[2] + "\n" + l[3].substr(0, 84) + "\n",
       "decodes to 63 bytes, not 64"},
      {l[0] + "\n" + l[1].substr(0, 10) + "*" + l[1].substr(11) + "\n" + l[2] + "\n" + l[3] + "\n",
       "not base64 at column 11"},
      {l[0] + "\n" + l[1] + " \n" + l[2] + "\n" + l[3] + "\n", "line 2"},
      {sig + "second signature\n", "unexpected text after the fourth line"},
      {l[0] + "\n" + l[1] + "\n" + l[2] + "\rx\n" + l[3] + "\n", "carriage return or NUL"},
      {l[0] + "\n" + l[1] + "\n" + l[2] + std::string(1, '\0') + "\n" + l[3] + "\n",
       "carriage return or NUL"},
      {EditBase64Line(sig, 1, [](std::string& b) { b[1] = 'X'; }),
       "unsupported signature algorithm"},
      {EditBase64Line(sig, 1, [](std::string& b) { b.resize(73); }), "decodes to 73 bytes, not 74"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Result<SignatureCheck> r = VerifyData("data", c.text, trusted, "data.minisig");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
    CHECK_THAT(r.status().message(), Catch::StartsWith("data.minisig: not a minisign signature: "));
    CHECK_THAT(r.status().message(), Catch::Contains(c.message));
  }
  // The last base64 character's unused bits must be zero (one encoding per signature).
  std::string noncanonical = l[1];
  REQUIRE(noncanonical.back() == '=');
  char& last = noncanonical[noncanonical.size() - 2];
  last = last == 'A' ? 'B' : static_cast<char>(last + 1);
  Result<SignatureCheck> r =
      VerifyData("data", l[0] + "\n" + noncanonical + "\n" + l[2] + "\n" + l[3] + "\n", trusted);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("not canonically encoded"));

  // Windows line ends are fine.
  CHECK(VerifyData("data", l[0] + "\r\n" + l[1] + "\r\n" + l[2] + "\r\n" + l[3] + "\r\n", trusted)
            ->valid);
}

TEST_CASE("trusted comments minisign cannot carry are refused when signing") {
  const SecretKey key = SecretKey::Generate();
  CHECK(SignData(key, "d", std::string(kMaxTrustedCommentBytes, 'x')).ok());
  CHECK_FALSE(SignData(key, "d", std::string(kMaxTrustedCommentBytes + 1, 'x')).ok());
  CHECK_FALSE(SignData(key, "d", "two\nlines").ok());
  CHECK_FALSE(SignData(key, "d", "cr\r").ok());
  CHECK_FALSE(SignData(key, "d", std::string("nul\0", 4)).ok());
  CHECK_THAT(CheckTrustedComment("a\nb").message(), Catch::Contains("one line"));
}

TEST_CASE("legacy non-prehashed signatures verify") {
  const SecretKey key = SecretKey::Generate();
  const std::string data = "legacy data";
  // A legacy signature signs the data itself, not its BLAKE2b-512.
  const auto sig = key.SignBytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  std::string blob = "Ed" + std::string(key.key_id().begin(), key.key_id().end()) +
                     std::string(sig.begin(), sig.end());
  std::string comment_message = std::string(sig.begin(), sig.end()) + "old";
  const auto global = key.SignBytes(reinterpret_cast<const uint8_t*>(comment_message.data()),
                                    comment_message.size());
  const std::string text = "untrusted comment: legacy\n" + ToBase64(blob) +
                           "\ntrusted comment: old\n" +
                           ToBase64(std::string(global.begin(), global.end())) + "\n";
  Result<SignatureCheck> c = VerifyData(data, text, {TrustedPublic(key)});
  REQUIRE(c.ok());
  CHECK(c->valid);
  CHECK(c->legacy);
  CHECK(c->trusted_comment == "old");
  CHECK_FALSE(VerifyData("other", text, {TrustedPublic(key)})->valid);
}

TEST_CASE("a malleable signature (S + L) is refused as libsodium refuses it") {
  const SecretKey key = SecretKey::Generate();
  static const uint8_t kOrder[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                     0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                     0,    0,    0,    0,    0,    0,    0,    0,
                                     0,    0,    0,    0,    0,    0,    0,    0x10};
  // Find a signature whose S + L still has the top three bits clear, so that
  // only the S < L check can tell it from the original.
  for (int attempt = 0; attempt < 64; ++attempt) {
    const std::string data = "data " + std::to_string(attempt);
    const std::string sig = *SignData(key, data, "tc");
    std::string bytes = FromBase64(Lines(sig)[1]);
    unsigned carry = 0;
    for (int i = 0; i < 32; ++i) {
      const unsigned sum = static_cast<uint8_t>(bytes[42 + i]) + kOrder[i] + carry;
      bytes[42 + i] = static_cast<char>(sum & 0xFF);
      carry = sum >> 8;
    }
    if ((static_cast<uint8_t>(bytes[73]) & 0xE0) != 0) continue;
    const std::string forged = EditBase64Line(sig, 1, [&](std::string& b) { b = bytes; });
    Result<SignatureCheck> c = VerifyData(data, forged, {TrustedPublic(key)});
    REQUIRE(c.ok());
    CHECK_FALSE(c->valid);
    return;
  }
  FAIL("no suitable signature found in 64 attempts");
}

TEST_CASE("key and signature files: size limits, trusted folders, streaming") {
  TempDir dir;
  const SecretKey key = SecretKey::Generate(), other = SecretKey::Generate();
  fs::create_directories(dir / "trusted");
  WriteFile(dir / "trusted/kit.pub", PublicKeyFileText(key.Public()));
  WriteFile(dir / "trusted/OTHER.PUB", PublicKeyFileText(other.Public()));
  WriteFile(dir / "trusted/readme.txt", "not a key");
  fs::create_directories(dir / "trusted/sub.pub");  // a folder, not a key

  Result<std::vector<PublicKey>> keys = LoadTrustedKeys(dir / "trusted");
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 2);
  CHECK((*keys)[0].source == dir / "trusted/OTHER.PUB");
  CHECK((*keys)[1].source == dir / "trusted/kit.pub");

  // A file larger than any signature, streamed.
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7919 >> 3);
  WriteFile(dir / "big.bin", big);
  Result<std::string> sig = SignFile(key, dir / "big.bin", "big");
  REQUIRE(sig.ok());
  CHECK(VerifyData(big, *sig, *keys)->valid);
  CHECK(VerifyFile(dir / "big.bin", *SignData(key, big, "big"), *keys)->valid);
  big[big.size() / 2] ^= 1;
  WriteFile(dir / "big.bin", big);
  CHECK_FALSE(VerifyFile(dir / "big.bin", *sig, *keys)->valid);

  Result<SignatureCheck> missing = VerifyFile(dir / "none.bin", *sig, *keys);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("none.bin: cannot open"));
  CHECK_FALSE(SignFile(key, dir / "none.bin", "x").ok());

  fs::create_directories(dir / "empty");
  Result<std::vector<PublicKey>> none = LoadTrustedKeys(dir / "empty");
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(none.status().message(), Catch::Contains("no trusted public keys (*.pub files)"));
  CHECK_FALSE(LoadTrustedKeys(dir / "nowhere").ok());

  WriteFile(dir / "trusted/broken.pub", "untrusted comment: x\nRWQ=\n");
  Result<std::vector<PublicKey>> broken = LoadTrustedKeys(dir / "trusted");
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.status().message(), Catch::Contains("broken.pub: not a minisign public key"));

  WriteFile(dir / "huge.pub", PublicKeyFileText(key.Public()) + std::string(70000, '\n'));
  Result<PublicKey> huge = LoadPublicKeyFile(dir / "huge.pub");
  REQUIRE_FALSE(huge.ok());
  CHECK_THAT(huge.status().message(), Catch::Contains("larger than 65536 bytes"));
  CHECK_FALSE(LoadPublicKeyFile(dir / "none.pub").ok());

  WriteFile(dir / "k.key", UnencryptedSecretKeyFileText(key));
  Result<PublicKey> swapped = LoadPublicKeyFile(dir / "k.key");
  REQUIRE_FALSE(swapped.ok());
  CHECK_THAT(swapped.status().message(), Catch::Contains("this is a secret key, not a public key"));
  CHECK(LoadSecretKeyFile(dir / "k.key", "").ok());
  CHECK_FALSE(LoadSecretKeyFile(dir / "trusted/kit.pub", "").ok());
}

TEST_CASE("public keys: every malformation is an error") {
  const std::string text = PublicKeyFileText(SecretKey::Generate().Public());
  for (size_t n = 0; n + 1 < text.size(); ++n)
    CHECK_FALSE(ParsePublicKey(text.substr(0, n), "k.pub").ok());
  Result<PublicKey> r =
      ParsePublicKey(EditBase64Line(text, 1, [](std::string& b) { b[1] = 'D'; }), "k.pub");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "k.pub: unsupported signature algorithm (not Ed25519 \"Ed\")");
  r = ParsePublicKey(Lines(text)[1] + "\n", "k.pub");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("expected a comment line and a base64 line"));
}

// Known answers from the real minisign binary, generated at run time.
TEST_CASE("minisign's keys and signatures work here, ours work in minisign") {
  if (!MinisignAvailable()) return;
  TempDir dir;
  const std::string d = dir.str();
  WriteFile(dir / "data", "signed by both\n");

  // minisign's unencrypted key (-W): same key id and public key as its .pub.
  REQUIRE(Run("cd '" + d + "' && minisign -G -W -p m.pub -s m.key") == 0);
  Result<SecretKey> mkey = LoadSecretKeyFile(dir / "m.key", "");
  REQUIRE(mkey.ok());
  Result<PublicKey> mpub = LoadPublicKeyFile(dir / "m.pub");
  REQUIRE(mpub.ok());
  CHECK(mkey->Public().key == mpub->key);
  CHECK(mkey->KeyIdHex() == mpub->KeyIdHex());
  CHECK(PublicKeyBase64(mkey->Public()) == Lines(ReadFile(dir / "m.pub"))[1]);

  // minisign signs (prehashed and legacy); we verify.
  REQUIRE(Run("cd '" + d + "' && minisign -S -s m.key -m data -t 'from minisign'") == 0);
  Result<SignatureCheck> c = VerifyFile(dir / "data", ReadFile(dir / "data.minisig"), {*mpub});
  REQUIRE(c.ok());
  CHECK(c->valid);
  CHECK(c->trusted_comment == "from minisign");
  CHECK_FALSE(c->legacy);
  REQUIRE(Run("cd '" + d + "' && minisign -S -l -s m.key -m data -x legacy.minisig -t old") == 0);
  c = VerifyFile(dir / "data", ReadFile(dir / "legacy.minisig"), {*mpub});
  REQUIRE(c.ok());
  CHECK(c->valid);
  CHECK(c->legacy);

  // We sign with minisign's key; minisign verifies, requiring a prehashed signature.
  WriteFile(dir / "ours.minisig", *SignFile(*mkey, dir / "data", "from otharden"));
  CHECK(Run("cd '" + d + "' && minisign -V -H -p m.pub -m data -x ours.minisig") == 0);
  WriteFile(dir / "tampered.minisig", [&] {
    std::vector<std::string> l = Lines(ReadFile(dir / "ours.minisig"));
    l[2] = "trusted comment: from someone else";
    return Join(l);
  }());
  CHECK(Run("cd '" + d + "' && minisign -V -p m.pub -m data -x tampered.minisig") == 1);

  // Our encrypted key: minisign decrypts it (password on stdin), signs, and
  // recreates the same public key from it.
  const SecretKey ours = SecretKey::Generate();
  WriteFile(dir / "o.key", *EncryptedSecretKeyFileText(ours, "pw 1", kCheapCost));
  WriteFile(dir / "o.pub", PublicKeyFileText(ours.Public()));
  CHECK(Run("cd '" + d + "' && printf 'pw 1\\n' | minisign -S -s o.key -m data -x o.minisig") == 0);
  c = VerifyFile(dir / "data", ReadFile(dir / "o.minisig"), {*LoadPublicKeyFile(dir / "o.pub")});
  REQUIRE(c.ok());
  CHECK(c->valid);
  CHECK(Run("cd '" + d + "' && printf 'pw 1\\n' | minisign -R -s o.key -p r.pub") == 0);
  CHECK(Lines(ReadFile(dir / "r.pub"))[1] == Lines(ReadFile(dir / "o.pub"))[1]);
  CHECK(Run("cd '" + d + "' && printf 'wrong\\n' | minisign -S -s o.key -m data -x w.minisig") !=
        0);

  // Our unencrypted key (with a real checksum) works in minisign too.
  WriteFile(dir / "u.key", UnencryptedSecretKeyFileText(ours));
  CHECK(Run("cd '" + d + "' && minisign -S -s u.key -m data -x u.minisig") == 0);
  CHECK(VerifyFile(dir / "data", ReadFile(dir / "u.minisig"), {*LoadPublicKeyFile(dir / "o.pub")})
            ->valid);
}

}  // namespace otharden
