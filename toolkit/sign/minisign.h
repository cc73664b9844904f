// minisign-compatible keys and signatures (Ed25519, BLAKE2b, scrypt), byte for
// byte what minisign 0.11 reads and writes:
//   public key  "untrusted comment: ..." + base64("Ed" keyid[8] pk[32])
//   secret key  "untrusted comment: ..." + base64("Ed" kdf[2] "B2" salt[32]
//               opslimit[u64 LE] memlimit[u64 LE] keyid[8] sk[64] chk[32]); with kdf
//               "Sc" the last 104 bytes are XORed with scrypt(passphrase, salt),
//               with kdf 00 00 they are plain
//   signature   "untrusted comment: ..." + base64("ED" keyid[8] Ed25519(BLAKE2b-512(file)))
//               + "trusted comment: TEXT" + base64(Ed25519(signature[64] || TEXT))
// Verification never trusts a key that came with the signed data: the caller
// hands over the keys it trusts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/model/status.h"

namespace otharden {

// Key, signature and trusted-key files larger than this are refused before parsing
// (a minisign file is a few hundred bytes; a trusted comment at most 8 KiB).
constexpr size_t kMaxMinisignFileBytes = 64 * 1024;

// The longest trusted comment minisign signs and reads back (bytes).
constexpr size_t kMaxTrustedCommentBytes = 8173;

// A key id as minisign prints it: the 8 bytes as a little-endian u64 in 16
// upper-case hex digits.
std::string KeyIdHex(const std::array<uint8_t, 8>& key_id);

struct PublicKey {
  std::array<uint8_t, 8> key_id{};
  std::array<uint8_t, 32> key{};
  std::string source;  // the file it came from, for messages
  std::string KeyIdHex() const;
};

// The scrypt cost stored in a secret key file, as libsodium's
// crypto_pwhash_scryptsalsa208sha256 takes it.
struct KdfCost {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
};

// What a KdfCost means: the scrypt parameters libsodium's pickparams derives.
struct ScryptParameters {
  uint32_t n_log2 = 0;  // N = 2^n_log2
  uint32_t r = 0;
  uint32_t p = 0;
  // Memory scrypt needs for V: 128 * r * N bytes.
  uint64_t MemoryBytes() const;
  // "scrypt N=2^17, r=8, p=1, 128 MiB"
  std::string ToString() const;
};

// Exactly libsodium's pickparams (pwhash_scryptsalsa208sha256.c), including its
// floor of opslimit 32768 and its cap of r*p at 2^30-1.
ScryptParameters ScryptParametersFor(const KdfCost& cost);

// The cost of keys we create: 128 MiB, which a 32-bit Server 2008 host with 2 GB
// of RAM can bear (opslimit 2^22, memlimit 2^27: N=2^17, r=8, p=1).
KdfCost DefaultKdfCost();

// The cost for `mebibytes` of scrypt memory with p=1 (opslimit = memlimit / 32).
// REQUIRES nothing; fails unless mebibytes is a power of two from 16 to 1024.
Result<KdfCost> KdfCostForMemory(uint64_t mebibytes);

// Whether this build may run scrypt at `cost`: refuses memlimit over 2 GiB, p of
// 0, memory over 1 GiB (32-bit builds) or 2 GiB (64-bit), and more than 16 times
// the work of minisign's own default (N*r*p > 2^27). The message says why.
Status CheckKdfCostBearable(const KdfCost& cost);

// An Ed25519 secret key with its minisign key id. Move-only; the key bytes are
// wiped when it is destroyed or moved from.
class SecretKey {
 public:
  // A new key pair and key id from the operating system's random generator.
  static SecretKey Generate();

  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

  const std::array<uint8_t, 8>& key_id() const { return key_id_; }
  std::string KeyIdHex() const;
  // The public half, with source "" (the caller knows where it will be written).
  PublicKey Public() const;
  // Raw Ed25519 (libsodium's crypto_sign_detached) of `size` bytes at `message`.
  std::array<uint8_t, 64> SignBytes(const uint8_t* message, size_t size) const;

 private:
  SecretKey() = default;
  void Wipe();

  friend Result<SecretKey> ParseSecretKey(const std::string& text, const std::string& passphrase,
                                          const std::string& source);
  friend Result<std::string> EncryptedSecretKeyFileText(const SecretKey& key,
                                                        const std::string& passphrase,
                                                        const KdfCost& cost);
  friend std::string UnencryptedSecretKeyFileText(const SecretKey& key);

  std::array<uint8_t, 8> key_id_{};
  std::array<uint8_t, 64> sk_{};  // libsodium layout: seed[32] followed by the public key[32]
};

// --- Public keys -------------------------------------------------------------

// Parses a .pub file's text (a comment line, then the base64 key). Errors name
// `source`: garbled base64, wrong length, an algorithm other than "Ed".
Result<PublicKey> ParsePublicKey(const std::string& text, const std::string& source);
// Reads and parses a .pub file (at most kMaxMinisignFileBytes).
Result<PublicKey> LoadPublicKeyFile(const std::string& path);
// Every *.pub file in `dir` (not its subfolders), sorted by name. Fails if `dir`
// is not a folder, holds no .pub file, or any .pub file in it is malformed.
Result<std::vector<PublicKey>> LoadTrustedKeys(const std::string& dir);

// The keys to trust from a command line's `--pub FILE` or `--trusted DIR`
// (give one: the other is empty).
Result<std::vector<PublicKey>> LoadKeysToTrust(const std::string& pub_path, const std::string& trusted_dir);
// The base64 line of a public key (what `minisign -P` takes).
std::string PublicKeyBase64(const PublicKey& key);
// The complete .pub file: "untrusted comment: minisign public key <ID>" and the key.
std::string PublicKeyFileText(const PublicKey& key);

// --- Secret keys -------------------------------------------------------------

// What a secret key file asks for before it can be opened.
struct SecretKeyInfo {
  bool encrypted = false;
  KdfCost cost;  // zero when not encrypted
};
// Checks a secret key file's structure (length, algorithms) and that its KDF cost
// is bearable (CheckKdfCostBearable) without decrypting it: a caller can refuse a
// key before asking for its passphrase. Errors are those of ParseSecretKey.
Result<SecretKeyInfo> InspectSecretKey(const std::string& text, const std::string& source);
Result<SecretKeyInfo> InspectSecretKeyFile(const std::string& path);

// Opens a secret key: checks its structure, refuses unbearable KDF costs
// (CheckKdfCostBearable), decrypts it with `passphrase` (ignored for unencrypted
// keys), checks the BLAKE2b checksum and that the public half matches the seed.
// Every failure is kInvalidInput naming `source`; a checksum mismatch says
// "wrong passphrase or corrupted key".
Result<SecretKey> ParseSecretKey(const std::string& text, const std::string& passphrase,
                                 const std::string& source);
// Reads (at most kMaxMinisignFileBytes) and opens a secret key file.
Result<SecretKey> LoadSecretKeyFile(const std::string& path, const std::string& passphrase);

// The complete .key file, encrypted with `passphrase` at `cost` and a fresh salt.
// Fails if the cost is not bearable (CheckKdfCostBearable) or memory runs out.
Result<std::string> EncryptedSecretKeyFileText(const SecretKey& key, const std::string& passphrase,
                                               const KdfCost& cost);
// The complete .key file without encryption (kdf 00 00, zero salt and cost).
std::string UnencryptedSecretKeyFileText(const SecretKey& key);

// --- Signatures --------------------------------------------------------------

// Whether minisign can sign and read back `comment` as a trusted comment: at most
// kMaxTrustedCommentBytes, and no CR, LF or NUL.
Status CheckTrustedComment(const std::string& comment);

// The complete .minisig text for `data` (prehashed "ED"). Fails if the trusted
// comment does not pass CheckTrustedComment.
Result<std::string> SignData(const SecretKey& key, const std::string& data,
                             const std::string& trusted_comment);
// The same for the file at `path`, streamed through BLAKE2b (any size).
Result<std::string> SignFile(const SecretKey& key, const std::string& path,
                             const std::string& trusted_comment);

struct SignatureCheck {
  bool valid = false;
  std::string key_id;           // the signature's key id (KeyIdHex), valid or not
  std::string trusted_comment;  // only when valid
  std::string problem;          // why not valid, for people
  std::string signer;           // when valid: source of the key that verified it
  bool legacy = false;          // a non-prehashed "Ed" signature (verified, never produced)
};

// Checks `minisig_text` over `data` with the keys in `trusted` (the one whose key
// id the signature names). A failed Result means the signature text is unreadable
// or malformed (exit 2; the message starts with `signature_source`, e.g. the
// .minisig path); valid=false means it is well formed but not from a trusted key,
// or the data or trusted comment were altered (exit 1).
Result<SignatureCheck> VerifyData(const std::string& data, const std::string& minisig_text,
                                  const std::vector<PublicKey>& trusted,
                                  const std::string& signature_source = "signature");
// The same for the file at `path`, streamed through BLAKE2b. A legacy signature
// needs the whole file in memory: files over 256 MiB are refused for those.
Result<SignatureCheck> VerifyFile(const std::string& path, const std::string& minisig_text,
                                  const std::vector<PublicKey>& trusted,
                                  const std::string& signature_source = "signature");

// Overwrites a string that held a secret (passphrase, key file text), including
// its spare capacity, in a way the compiler cannot drop; leaves it empty.
void WipeSecretText(std::string* text);

}  // namespace otharden
