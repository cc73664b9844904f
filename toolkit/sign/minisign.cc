#include "toolkit/sign/minisign.h"

#include <cryptopp/base64.h>
#include <cryptopp/blake2.h>
#include <cryptopp/filters.h>
#include <cryptopp/misc.h>
#include <cryptopp/osrng.h>
#include <cryptopp/scrypt.h>
#include <cryptopp/secblock.h>
#include <cryptopp/xed25519.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace fs = std::filesystem;
using CryptoPP::byte;

constexpr char kUntrustedPrefix[] = "untrusted comment: ";
constexpr char kTrustedPrefix[] = "trusted comment: ";

// Public key: "Ed" keyid[8] pk[32].
constexpr size_t kPublicKeyBytes = 2 + 8 + 32;
// Signature line: alg[2] keyid[8] sig[64].
constexpr size_t kSignatureBytes = 2 + 8 + 64;
// Secret key: "Ed" kdf[2] "B2" salt[32] opslimit[8] memlimit[8] keyid[8] sk[64] chk[32].
constexpr size_t kSaltOffset = 6;
constexpr size_t kOpsOffset = kSaltOffset + 32;
constexpr size_t kMemOffset = kOpsOffset + 8;
constexpr size_t kKeyIdOffset = kMemOffset + 8;
constexpr size_t kSkOffset = kKeyIdOffset + 8;
constexpr size_t kChkOffset = kSkOffset + 64;
constexpr size_t kSecretKeyBytes = kChkOffset + 32;
// What scrypt's output is XORed over: keyid, sk and checksum.
constexpr size_t kEncryptedBytes = kSecretKeyBytes - kKeyIdOffset;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
// N*r*p of minisign's own default (N=2^20, r=8, p=1) is 2^23; allow 16 times that.
constexpr uint64_t kMaxScryptWork = uint64_t{1} << 27;
// Legacy (non-prehashed) signatures need the whole file in memory.
constexpr uint64_t kMaxLegacyFileBytes = 256 * kMiB;

uint64_t LoadLe64(const byte* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void StoreLe64(byte* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<byte>(v >> (8 * i));
}

std::string Base64(const byte* data, size_t size) {
  std::string out;
  CryptoPP::StringSource(data, size, true,
                         new CryptoPP::Base64Encoder(new CryptoPP::StringSink(out),
                                                     /*insertLineBreaks=*/false));
  return out;
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The decoded size of canonical, padded, standard base64 (what minisign writes),
// or an explanation. Crypto++'s decoder skips characters it does not know, so
// the form is checked here first.
Result<size_t> CheckBase64(const std::string& text) {
  if (text.empty()) return Status::InvalidInput("the base64 line is empty");
  if (text.size() % 4 != 0) {
    return Status::InvalidInput("the base64 line has " + std::to_string(text.size()) +
                                " characters, not a multiple of 4 (truncated or garbled)");
  }
  size_t padding = 0;
  if (text[text.size() - 1] == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    if (Base64Digit(text[i]) < 0) {
      return Status::InvalidInput(
          "the base64 line holds a character that is not base64 at column " +
          std::to_string(i + 1) + " (garbled)");
    }
  }
  // The bits the padding leaves unused must be zero: one encoding per value.
  const int last = Base64Digit(text[text.size() - padding - 1]);
  if ((padding == 1 && (last & 0x03) != 0) || (padding == 2 && (last & 0x0F) != 0)) {
    return Status::InvalidInput("the base64 line is not canonically encoded (garbled)");
  }
  return text.size() / 4 * 3 - padding;
}

// Decodes into exactly `size` bytes at `out`; `what` names the object for messages.
Status DecodeBase64Exact(const std::string& text, byte* out, size_t size, const std::string& what) {
  Result<size_t> decoded = CheckBase64(text);
  if (!decoded.ok()) return Status::InvalidInput("not " + what + ": " + decoded.status().message());
  if (*decoded != size) {
    return Status::InvalidInput("not " + what + ": it decodes to " + std::to_string(*decoded) +
                                " bytes, not " + std::to_string(size) +
                                " (truncated or another kind of file)");
  }
  CryptoPP::StringSource(text, true,
                         new CryptoPP::Base64Decoder(new CryptoPP::ArraySink(out, size)));
  return Status::Ok();
}

// Lines of minisign text: LF or CRLF ends a line; the last line end is optional.
std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// Nothing but empty lines may follow the lines a format defines.
bool OnlyBlankLinesFrom(const std::vector<std::string>& lines, size_t first) {
  for (size_t i = first; i < lines.size(); ++i) {
    if (!lines[i].empty()) return false;
  }
  return true;
}

bool StartsWith(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

void Blake2b(const byte* data, size_t size, byte* digest, unsigned int digest_size) {
  CryptoPP::BLAKE2b hash(digest_size);
  hash.Update(data, size);
  hash.Final(digest);
}

// minisign's checksum: BLAKE2b-256 over sig_alg, keyid and sk.
void SecretKeyChecksum(const byte* blob, byte checksum[32]) {
  CryptoPP::BLAKE2b hash(32u);
  hash.Update(blob, 2);
  hash.Update(blob + kKeyIdOffset, 8 + 64);
  hash.Final(checksum);
}

// Ed25519 (RFC 8032) public key for a 32-byte seed.
void PublicKeyFromSeed(const byte* seed, byte public_key[32]) {
  CryptoPP::ed25519Signer signer(seed);
  const auto& key = static_cast<const CryptoPP::ed25519PrivateKey&>(signer.GetPrivateKey());
  std::memcpy(public_key, key.GetPublicKeyBytePtr(), 32);
}

// libsodium refuses signatures whose S is not reduced modulo the group order L;
// Crypto++ only checks the top bits. Without this check, S+L would verify here
// and not in minisign (signature malleability).
bool IsCanonicalScalar(const byte s[32]) {
  static const byte kOrder[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                  0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  for (int i = 31; i >= 0; --i) {
    if (s[i] != kOrder[i]) return s[i] < kOrder[i];
  }
  return false;
}

bool Ed25519Verify(const std::array<uint8_t, 32>& public_key, const byte* message, size_t size,
                   const byte signature[64]) {
  if (!IsCanonicalScalar(signature + 32)) return false;
  try {
    CryptoPP::ed25519Verifier verifier(public_key.data());
    return verifier.VerifyMessage(message, size, signature, 64);
  } catch (const CryptoPP::Exception&) {
    return false;
  }
}

std::string Mebibytes(uint64_t bytes) { return std::to_string(bytes / kMiB) + " MiB"; }

// scrypt(passphrase, salt) at `cost` into `out`.
Status DeriveKeyStream(const std::string& passphrase, const byte* salt, const KdfCost& cost,
                       byte* out, size_t size) {
  const ScryptParameters s = ScryptParametersFor(cost);
  try {
    CryptoPP::Scrypt scrypt;
    scrypt.DeriveKey(out, size, reinterpret_cast<const byte*>(passphrase.data()), passphrase.size(),
                     salt, 32, uint64_t{1} << s.n_log2, s.r, s.p);
  } catch (const std::bad_alloc&) {
    return Status::InvalidInput("not enough memory for the key derivation (" + s.ToString() +
                                "); close other programs or use a machine with more memory");
  } catch (const CryptoPP::Exception& e) {
    return Status::InvalidInput("key derivation failed (" + s.ToString() + "): " + e.what());
  }
  return Status::Ok();
}

// Decodes a secret key file into `blob` (kSecretKeyBytes) and checks its
// structure and, when encrypted, that its KDF cost is bearable.
Result<SecretKeyInfo> DecodeSecretKeyBlob(const std::string& text, const std::string& source,
                                          CryptoPP::SecByteBlock* blob) {
  const std::string what = "a minisign secret key";
  std::vector<std::string> lines = SplitLines(text);
  Status status;
  if (lines.size() < 2 || !OnlyBlankLinesFrom(lines, 2)) {
    status = Status::InvalidInput("not " + what + ": expected a comment line and a base64 line");
  } else {
    blob->CleanNew(kSecretKeyBytes);
    status = DecodeBase64Exact(lines[1], blob->data(), blob->size(), what);
  }
  for (std::string& line : lines) WipeSecretText(&line);
  if (!status.ok()) return Status::InvalidInput(source + ": " + status.message());
  const byte* b = blob->data();
  if (std::memcmp(b, "Ed", 2) != 0) {
    return Status::InvalidInput(source + ": unsupported signature algorithm (not Ed25519 \"Ed\")");
  }
  if (std::memcmp(b + 4, "B2", 2) != 0) {
    return Status::InvalidInput(source + ": unsupported checksum algorithm (not BLAKE2b \"B2\")");
  }
  if (std::memcmp(b + 2, "Sc", 2) != 0 && (b[2] != 0 || b[3] != 0)) {
    return Status::InvalidInput(
        source + ": unsupported key derivation function (not scrypt \"Sc\" or none)");
  }
  SecretKeyInfo info;
  info.encrypted = b[2] == 'S';
  if (info.encrypted) {
    info.cost.opslimit = LoadLe64(b + kOpsOffset);
    info.cost.memlimit = LoadLe64(b + kMemOffset);
    Status bearable = CheckKdfCostBearable(info.cost);
    if (!bearable.ok()) {
      return Status::InvalidInput(source +
                                  ": refusing to decrypt this secret key: " + bearable.message());
    }
  }
  return info;
}

struct ParsedSignature {
  bool prehashed = true;
  std::array<uint8_t, 8> key_id{};
  std::array<uint8_t, 64> signature{};
  std::string trusted_comment;
  std::array<uint8_t, 64> global_signature{};
};

Result<ParsedSignature> ParseSignature(const std::string& text, const std::string& source) {
  auto malformed = [&](const std::string& why) {
    return Status::InvalidInput(source + ": not a minisign signature: " + why);
  };
  const std::vector<std::string> lines = SplitLines(text);
  if (lines.empty() || !StartsWith(lines[0], kUntrustedPrefix)) {
    return malformed("the first line must start with \"untrusted comment: \"");
  }
  if (lines.size() < 4) {
    return malformed(
        "expected 4 lines (comment, signature, trusted comment, global signature), found " +
        std::to_string(lines.size()) + " (truncated?)");
  }
  if (!OnlyBlankLinesFrom(lines, 4)) return malformed("unexpected text after the fourth line");

  byte sig[kSignatureBytes];
  Status s = DecodeBase64Exact(lines[1], sig, sizeof sig, "a signature line");
  if (!s.ok()) return malformed("line 2: " + s.message());
  ParsedSignature parsed;
  if (std::memcmp(sig, "ED", 2) == 0) {
    parsed.prehashed = true;
  } else if (std::memcmp(sig, "Ed", 2) == 0) {
    parsed.prehashed = false;
  } else {
    return malformed("unsupported signature algorithm (neither \"ED\" nor \"Ed\")");
  }
  std::memcpy(parsed.key_id.data(), sig + 2, 8);
  std::memcpy(parsed.signature.data(), sig + 10, 64);

  if (!StartsWith(lines[2], kTrustedPrefix)) {
    return malformed("the third line must start with \"trusted comment: \"");
  }
  parsed.trusted_comment = lines[2].substr(std::strlen(kTrustedPrefix));
  // minisign cuts the comment at CR or NUL; refuse rather than guess which part was signed.
  if (parsed.trusted_comment.find_first_of(std::string("\r\0", 2)) != std::string::npos) {
    return malformed("the trusted comment holds a carriage return or NUL character");
  }
  if (parsed.trusted_comment.size() > kMaxTrustedCommentBytes) {
    return malformed("the trusted comment is longer than " +
                     std::to_string(kMaxTrustedCommentBytes) + " bytes");
  }
  s = DecodeBase64Exact(lines[3], parsed.global_signature.data(), 64, "a global signature line");
  if (!s.ok()) return malformed("line 4: " + s.message());
  return parsed;
}

SignatureCheck CheckParsedSignature(const ParsedSignature& sig, const byte* message, size_t size,
                                    const std::vector<PublicKey>& trusted) {
  SignatureCheck check;
  check.key_id = KeyIdHex(sig.key_id);
  check.legacy = !sig.prehashed;
  std::string comment_message(sig.signature.begin(), sig.signature.end());
  comment_message += sig.trusted_comment;
  bool known = false;
  for (const PublicKey& key : trusted) {
    if (key.key_id != sig.key_id) continue;
    known = true;
    if (!Ed25519Verify(key.key, message, size, sig.signature.data())) {
      check.problem =
          "the signature does not match the data: the file was changed after it was "
          "signed, or the signature is damaged";
      continue;
    }
    if (!Ed25519Verify(key.key, reinterpret_cast<const byte*>(comment_message.data()),
                       comment_message.size(), sig.global_signature.data())) {
      check.problem =
          "the trusted comment was altered after signing (its signature does not verify)";
      continue;
    }
    check.valid = true;
    check.problem.clear();
    check.trusted_comment = sig.trusted_comment;
    check.signer = key.source;
    return check;
  }
  if (!known) {
    if (trusted.empty()) {
      check.problem = "no trusted public keys were given";
    } else {
      std::string ids;
      for (const PublicKey& key : trusted) {
        ids += (ids.empty() ? "" : ", ") + key.KeyIdHex() +
               (key.source.empty() ? "" : " (" + key.source + ")");
      }
      check.problem =
          "signed by key " + check.key_id + ", which is not a trusted key; trusted: " + ids;
    }
  }
  return check;
}

Result<std::string> SignPrehashed(const SecretKey& key, const byte digest[64],
                                  const std::string& trusted_comment) {
  Status s = CheckTrustedComment(trusted_comment);
  if (!s.ok()) return s;
  byte sig[kSignatureBytes];
  std::memcpy(sig, "ED", 2);
  std::memcpy(sig + 2, key.key_id().data(), 8);
  const std::array<uint8_t, 64> signature = key.SignBytes(digest, 64);
  std::memcpy(sig + 10, signature.data(), 64);
  std::string comment_message(signature.begin(), signature.end());
  comment_message += trusted_comment;
  const std::array<uint8_t, 64> global =
      key.SignBytes(reinterpret_cast<const byte*>(comment_message.data()), comment_message.size());
  return std::string(kUntrustedPrefix) + "signature from otharden secret key " + key.KeyIdHex() +
         "\n" + Base64(sig, sizeof sig) + "\n" + kTrustedPrefix + trusted_comment + "\n" +
         Base64(global.data(), global.size()) + "\n";
}

Status Blake2b512OfFile(const std::string& path, byte digest[64]) {
  // u8path: on Windows the stream opens the UTF-16 name, not the ANSI one.
  std::ifstream in(fs::u8path(path), std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open file for reading");
  CryptoPP::BLAKE2b hash(64u);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.Update(reinterpret_cast<const byte*>(buffer.data()), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  hash.Final(digest);
  return Status::Ok();
}

}  // namespace

std::string KeyIdHex(const std::array<uint8_t, 8>& key_id) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llX",
                static_cast<unsigned long long>(LoadLe64(key_id.data())));
  return text;
}

std::string PublicKey::KeyIdHex() const { return otharden::KeyIdHex(key_id); }

uint64_t ScryptParameters::MemoryBytes() const {
  if (n_log2 > 40) return UINT64_MAX;  // saturate; far beyond any limit
  return (uint64_t{128} * r) << n_log2;
}

std::string ScryptParameters::ToString() const {
  return "scrypt N=2^" + std::to_string(n_log2) + ", r=" + std::to_string(r) +
         ", p=" + std::to_string(p) + ", " + Mebibytes(MemoryBytes());
}

ScryptParameters ScryptParametersFor(const KdfCost& cost) {
  // libsodium takes memlimit as size_t: a 32-bit minisign would truncate values
  // of 4 GiB and more, which CheckKdfCostBearable refuses anyway.
  const uint64_t opslimit = std::max<uint64_t>(cost.opslimit, 32768);
  const uint64_t memlimit = cost.memlimit;
  ScryptParameters s;
  s.r = 8;
  const bool ops_bound = opslimit < memlimit / 32;
  const uint64_t max_n = ops_bound ? opslimit / (s.r * 4) : memlimit / (uint64_t{s.r} * 128);
  for (s.n_log2 = 1; s.n_log2 < 63; ++s.n_log2) {
    if ((uint64_t{1} << s.n_log2) > max_n / 2) break;
  }
  if (ops_bound) {
    s.p = 1;
  } else {
    const uint64_t max_rp =
        std::min<uint64_t>((opslimit / 4) / (uint64_t{1} << s.n_log2), 0x3fffffff);
    s.p = static_cast<uint32_t>(max_rp) / s.r;
  }
  return s;
}

KdfCost DefaultKdfCost() { return *KdfCostForMemory(128); }

Result<KdfCost> KdfCostForMemory(uint64_t mebibytes) {
  if (mebibytes < 16 || mebibytes > 1024 || (mebibytes & (mebibytes - 1)) != 0) {
    return Status::InvalidInput("the KDF memory must be a power of two from 16 to 1024 MiB, not " +
                                std::to_string(mebibytes));
  }
  KdfCost cost;
  cost.memlimit = mebibytes * kMiB;
  cost.opslimit = cost.memlimit / 32;  // the largest opslimit that keeps p at 1
  return cost;
}

Status CheckKdfCostBearable(const KdfCost& cost) {
  const ScryptParameters s = ScryptParametersFor(cost);
  const std::string asked = "its KDF cost (opslimit " + std::to_string(cost.opslimit) +
                            ", memlimit " + std::to_string(cost.memlimit) + ")";
  if (cost.memlimit > 2 * kGiB) {
    return Status::InvalidInput(asked + " allows " + Mebibytes(cost.memlimit) +
                                " of memory; refusing anything over 2048 MiB");
  }
  if (s.p == 0) return Status::InvalidInput(asked + " gives scrypt p=0, which cannot be computed");
  const uint64_t max_memory = sizeof(void*) == 4 ? kGiB : 2 * kGiB;
  if (s.MemoryBytes() > max_memory) {
    return Status::InvalidInput(asked + " needs " + s.ToString() + "; this " +
                                (sizeof(void*) == 4 ? "32" : "64") +
                                "-bit build refuses more than " + Mebibytes(max_memory));
  }
  const uint64_t work = (uint64_t{1} << s.n_log2) * s.r * s.p;  // memory check bounds N*r
  if (work > kMaxScryptWork) {
    return Status::InvalidInput(
        asked + " asks for " + s.ToString() + ", " + std::to_string(work >> 23) +
        " times the work of minisign's default; refusing more than 16 times");
  }
  return Status::Ok();
}

// --- SecretKey ----------------------------------------------------------------

SecretKey SecretKey::Generate() {
  CryptoPP::AutoSeededRandomPool rng;
  SecretKey key;
  rng.GenerateBlock(key.key_id_.data(), key.key_id_.size());
  rng.GenerateBlock(key.sk_.data(), 32);
  PublicKeyFromSeed(key.sk_.data(), key.sk_.data() + 32);
  return key;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : key_id_(other.key_id_), sk_(other.sk_) {
  other.Wipe();
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    key_id_ = other.key_id_;
    sk_ = other.sk_;
    other.Wipe();
  }
  return *this;
}

SecretKey::~SecretKey() { Wipe(); }

void SecretKey::Wipe() {
  CryptoPP::SecureWipeBuffer(sk_.data(), sk_.size());
  CryptoPP::SecureWipeBuffer(key_id_.data(), key_id_.size());
}

std::string SecretKey::KeyIdHex() const { return otharden::KeyIdHex(key_id_); }

PublicKey SecretKey::Public() const {
  PublicKey pk;
  pk.key_id = key_id_;
  std::memcpy(pk.key.data(), sk_.data() + 32, 32);
  return pk;
}

std::array<uint8_t, 64> SecretKey::SignBytes(const uint8_t* message, size_t size) const {
  CryptoPP::ed25519Signer signer(sk_.data() + 32, sk_.data());
  std::array<uint8_t, 64> signature;
  // Ed25519 is deterministic: the generator is never used.
  signer.SignMessage(CryptoPP::NullRNG(), message, size, signature.data());
  return signature;
}

// --- Public keys --------------------------------------------------------------

Result<PublicKey> ParsePublicKey(const std::string& text, const std::string& source) {
  const std::vector<std::string> lines = SplitLines(text);
  if (lines.size() < 2 || !OnlyBlankLinesFrom(lines, 2)) {
    return Status::InvalidInput(
        source + ": not a minisign public key: expected a comment line and a base64 line");
  }
  byte blob[kPublicKeyBytes];
  Result<size_t> size = CheckBase64(lines[1]);
  if (size.ok() && *size == kSecretKeyBytes) {
    return Status::InvalidInput(source + ": this is a secret key, not a public key");
  }
  Status s = DecodeBase64Exact(lines[1], blob, sizeof blob, "a minisign public key");
  if (!s.ok()) return Status::InvalidInput(source + ": " + s.message());
  if (std::memcmp(blob, "Ed", 2) != 0) {
    return Status::InvalidInput(source + ": unsupported signature algorithm (not Ed25519 \"Ed\")");
  }
  PublicKey key;
  std::memcpy(key.key_id.data(), blob + 2, 8);
  std::memcpy(key.key.data(), blob + 10, 32);
  key.source = source;
  return key;
}

Result<PublicKey> LoadPublicKeyFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path, kMaxMinisignFileBytes);
  if (!text.ok()) return text.status();
  return ParsePublicKey(*text, path);
}

Result<std::vector<PublicKey>> LoadTrustedKeys(const std::string& dir) {
  std::error_code ec;
  const fs::path folder = fs::u8path(dir);
  if (!fs::is_directory(folder, ec)) {
    return Status::NotFound(dir + ": no such folder (trusted public keys)");
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::string ext = it->path().extension().u8string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::error_code type_ec;
    if (ext == ".pub" && it->is_regular_file(type_ec)) files.push_back(it->path());
  }
  if (ec) return Status::IoError(dir + ": cannot list the folder: " + ec.message());
  if (files.empty()) {
    return Status::NotFound(dir + ": no trusted public keys (*.pub files) in this folder");
  }
  std::sort(files.begin(), files.end());
  std::vector<PublicKey> keys;
  for (const fs::path& file : files) {
    Result<PublicKey> key = LoadPublicKeyFile(file.u8string());
    if (!key.ok()) return key.status();
    keys.push_back(std::move(*key));
  }
  return keys;
}

std::string PublicKeyBase64(const PublicKey& key) {
  byte blob[kPublicKeyBytes];
  std::memcpy(blob, "Ed", 2);
  std::memcpy(blob + 2, key.key_id.data(), 8);
  std::memcpy(blob + 10, key.key.data(), 32);
  return Base64(blob, sizeof blob);
}

std::string PublicKeyFileText(const PublicKey& key) {
  return std::string(kUntrustedPrefix) + "minisign public key " + key.KeyIdHex() + "\n" +
         PublicKeyBase64(key) + "\n";
}

// --- Secret keys --------------------------------------------------------------

Result<SecretKeyInfo> InspectSecretKey(const std::string& text, const std::string& source) {
  CryptoPP::SecByteBlock blob;
  return DecodeSecretKeyBlob(text, source, &blob);
}

Result<SecretKeyInfo> InspectSecretKeyFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path, kMaxMinisignFileBytes);
  if (!text.ok()) return text.status();
  Result<SecretKeyInfo> info = InspectSecretKey(*text, path);
  WipeSecretText(&*text);
  return info;
}

Result<SecretKey> ParseSecretKey(const std::string& text, const std::string& passphrase,
                                 const std::string& source) {
  CryptoPP::SecByteBlock blob;
  Result<SecretKeyInfo> info = DecodeSecretKeyBlob(text, source, &blob);
  if (!info.ok()) return info.status();
  const bool encrypted = info->encrypted;
  if (encrypted) {
    CryptoPP::SecByteBlock stream(kEncryptedBytes);
    Status s = DeriveKeyStream(passphrase, blob + kSaltOffset, info->cost, stream, stream.size());
    if (!s.ok()) {
      return Status::InvalidInput(source + ": " + s.message());
    }
    CryptoPP::xorbuf(blob + kKeyIdOffset, stream, kEncryptedBytes);
  }
  byte checksum[32];
  SecretKeyChecksum(blob, checksum);
  // minisign (0.11) leaves the checksum of unencrypted keys zero.
  static const byte kZero[32] = {};
  const bool checksum_ok = CryptoPP::VerifyBufsEqual(checksum, blob + kChkOffset, 32) ||
                           (!encrypted && CryptoPP::VerifyBufsEqual(kZero, blob + kChkOffset, 32));
  CryptoPP::SecureWipeBuffer(checksum, sizeof checksum);
  if (!checksum_ok) {
    return Status::InvalidInput(
        source + (encrypted ? ": wrong passphrase or corrupted key (checksum mismatch)"
                            : ": corrupted key (checksum mismatch)"));
  }
  SecretKey key;
  std::memcpy(key.key_id_.data(), blob + kKeyIdOffset, 8);
  std::memcpy(key.sk_.data(), blob + kSkOffset, 64);
  byte derived[32];
  PublicKeyFromSeed(key.sk_.data(), derived);
  if (std::memcmp(derived, key.sk_.data() + 32, 32) != 0) {
    return Status::InvalidInput(source +
                                ": corrupted key: its public half does not belong to its seed");
  }
  return key;
}

Result<SecretKey> LoadSecretKeyFile(const std::string& path, const std::string& passphrase) {
  Result<std::string> text = ReadInputFile(path, kMaxMinisignFileBytes);
  if (!text.ok()) return text.status();
  Result<SecretKey> key = ParseSecretKey(*text, passphrase, path);
  WipeSecretText(&*text);
  return key;
}

namespace {

std::string SecretKeyText(const char* comment, CryptoPP::SecByteBlock& blob) {
  std::string encoded = Base64(blob, blob.size());
  std::string text = std::string(kUntrustedPrefix) + comment + "\n" + encoded + "\n";
  WipeSecretText(&encoded);
  return text;
}

void FillSecretKeyBlob(const std::array<uint8_t, 8>& key_id, const std::array<uint8_t, 64>& sk,
                       CryptoPP::SecByteBlock* blob) {
  blob->CleanNew(kSecretKeyBytes);
  std::memcpy(blob->data(), "Ed\0\0B2", 6);
  std::memcpy(blob->data() + kKeyIdOffset, key_id.data(), 8);
  std::memcpy(blob->data() + kSkOffset, sk.data(), 64);
  SecretKeyChecksum(blob->data(), blob->data() + kChkOffset);
}

}  // namespace

Result<std::string> EncryptedSecretKeyFileText(const SecretKey& key, const std::string& passphrase,
                                               const KdfCost& cost) {
  Status s = CheckKdfCostBearable(cost);
  if (!s.ok()) return Status::InvalidInput("cannot encrypt the secret key: " + s.message());
  CryptoPP::SecByteBlock blob;
  FillSecretKeyBlob(key.key_id_, key.sk_, &blob);
  std::memcpy(blob + 2, "Sc", 2);
  CryptoPP::AutoSeededRandomPool rng;
  rng.GenerateBlock(blob + kSaltOffset, 32);
  StoreLe64(blob + kOpsOffset, cost.opslimit);
  StoreLe64(blob + kMemOffset, cost.memlimit);
  CryptoPP::SecByteBlock stream(kEncryptedBytes);
  if (!(s = DeriveKeyStream(passphrase, blob + kSaltOffset, cost, stream, stream.size())).ok()) {
    return Status::InvalidInput("cannot encrypt the secret key: " + s.message());
  }
  CryptoPP::xorbuf(blob + kKeyIdOffset, stream, kEncryptedBytes);
  return SecretKeyText("minisign encrypted secret key", blob);
}

std::string UnencryptedSecretKeyFileText(const SecretKey& key) {
  CryptoPP::SecByteBlock blob;
  FillSecretKeyBlob(key.key_id_, key.sk_, &blob);
  return SecretKeyText("minisign unencrypted secret key", blob);
}

// --- Signatures ---------------------------------------------------------------

Status CheckTrustedComment(const std::string& comment) {
  if (comment.size() > kMaxTrustedCommentBytes) {
    return Status::InvalidInput("the trusted comment is " + std::to_string(comment.size()) +
                                " bytes; minisign accepts at most " +
                                std::to_string(kMaxTrustedCommentBytes));
  }
  if (comment.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    return Status::InvalidInput("the trusted comment must be one line (no CR, LF or NUL)");
  }
  return Status::Ok();
}

Result<std::string> SignData(const SecretKey& key, const std::string& data,
                             const std::string& trusted_comment) {
  byte digest[64];
  Blake2b(reinterpret_cast<const byte*>(data.data()), data.size(), digest, 64);
  return SignPrehashed(key, digest, trusted_comment);
}

Result<std::string> SignFile(const SecretKey& key, const std::string& path,
                             const std::string& trusted_comment) {
  byte digest[64];
  Status s = Blake2b512OfFile(path, digest);
  if (!s.ok()) return s;
  return SignPrehashed(key, digest, trusted_comment);
}

Result<SignatureCheck> VerifyData(const std::string& data, const std::string& minisig_text,
                                  const std::vector<PublicKey>& trusted,
                                  const std::string& signature_source) {
  Result<ParsedSignature> sig = ParseSignature(minisig_text, signature_source);
  if (!sig.ok()) return sig.status();
  if (!sig->prehashed) {
    return CheckParsedSignature(*sig, reinterpret_cast<const byte*>(data.data()), data.size(),
                                trusted);
  }
  byte digest[64];
  Blake2b(reinterpret_cast<const byte*>(data.data()), data.size(), digest, 64);
  return CheckParsedSignature(*sig, digest, sizeof digest, trusted);
}

Result<SignatureCheck> VerifyFile(const std::string& path, const std::string& minisig_text,
                                  const std::vector<PublicKey>& trusted,
                                  const std::string& signature_source) {
  Result<ParsedSignature> sig = ParseSignature(minisig_text, signature_source);
  if (!sig.ok()) return sig.status();
  if (!sig->prehashed) {
    // A legacy (non-prehashed) signature needs the whole file in memory.
    Result<std::string> data = ReadInputFile(path, kMaxLegacyFileBytes);
    if (!data.ok()) return data.status();
    return CheckParsedSignature(*sig, reinterpret_cast<const byte*>(data->data()), data->size(),
                                trusted);
  }
  byte digest[64];
  Status s = Blake2b512OfFile(path, digest);
  if (!s.ok()) return s;
  return CheckParsedSignature(*sig, digest, sizeof digest, trusted);
}

void WipeSecretText(std::string* text) {
  text->resize(text->capacity());
  if (!text->empty())
    CryptoPP::SecureWipeBuffer(reinterpret_cast<byte*>(&(*text)[0]), text->size());
  text->clear();
}

Result<std::vector<PublicKey>> LoadKeysToTrust(const std::string& pub_path, const std::string& trusted_dir) {
  if (!trusted_dir.empty()) return LoadTrustedKeys(trusted_dir);
  Result<PublicKey> key = LoadPublicKeyFile(pub_path);
  if (!key.ok()) return key.status();
  return std::vector<PublicKey>{std::move(*key)};
}

}  // namespace otharden
