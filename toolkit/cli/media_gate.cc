#include "toolkit/cli/media_gate.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "toolkit/media/manifest.h"
#include "toolkit/platform/process.h"
#include "toolkit/sign/digest.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace fs = std::filesystem;

std::string Join(const std::vector<std::string>& lines, const std::string& separator) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : separator) + line;
  return out;
}

// Verifies the stick otharden runs from; fills the media_* fields and the keys
// the profile is checked against.
void CheckMedia(const std::optional<std::string>& root, MediaTrust* trust, std::vector<PublicKey>* keys) {
  if (!root) {
    Result<std::string> exe = ExecutablePath();
    trust->media_detail = "otharden does not run from a stick (" + (exe.ok() ? *exe : std::string("this executable")) +
                          " is not in <stick>/bin/x64 or bin/x86 next to a MANIFEST), so there is no signed "
                          "MANIFEST to verify and no keys/trusted/";
    return;
  }
  trust->media_root = *root;
  Result<std::vector<PublicKey>> trusted = LoadTrustedKeys(MediaTrustedKeysDir(*root));
  if (!trusted.ok()) {
    trust->media_detail = trusted.status().message();
    return;
  }
  *keys = std::move(*trusted);
  Result<MediaVerification> v = VerifyMedia(*root, *keys);
  if (!v.ok()) {
    trust->media_detail = v.status().message();
    return;
  }
  if (!v->verified()) {
    trust->media_detail = Join(MediaProblems(*v), "\n  ");
    return;
  }
  trust->media_verified = true;
  trust->media_key_id = v->key_id;
  trust->media_detail = "MANIFEST verified: " + std::to_string(v->files_listed) + " files, key ID " + v->key_id +
                        " (" + fs::u8path(v->signer).filename().u8string() + ")";
}

void CheckProfileSignature(const std::string& profile_path, const std::vector<PublicKey>& keys,
                           bool media_verified, MediaTrust* trust) {
  const std::string sig_path = profile_path + ".minisig";
  Result<std::string> profile = ReadInputFile(profile_path);
  if (!profile.ok()) {
    trust->profile_detail = profile.status().message();
    return;
  }
  trust->profile_sha256 = Sha256Hex(*profile);
  if (keys.empty()) {
    trust->profile_detail = "its signature cannot be checked: there are no trusted keys (keys/trusted/ of the stick "
                            "otharden runs from)";
    return;
  }
  std::error_code ec;
  if (!fs::is_regular_file(fs::u8path(sig_path), ec)) {
    trust->profile_detail = "it has no signature: " + sig_path + " is missing";
    return;
  }
  Result<std::string> sig = ReadInputFile(sig_path, kMaxMinisignFileBytes);
  if (!sig.ok()) {
    trust->profile_detail = sig.status().message();
    return;
  }
  Result<SignatureCheck> check = VerifyData(*profile, *sig, keys, sig_path);
  if (!check.ok()) {
    trust->profile_detail = check.status().message();
    return;
  }
  if (!check->valid) {
    trust->profile_detail = sig_path + ": " + check->problem;
    return;
  }
  trust->profile_signed = true;
  trust->profile_key_id = check->key_id;
  trust->profile_detail = "signed by key ID " + check->key_id + " (" +
                          fs::u8path(check->signer).filename().u8string() + " in keys/trusted/" +
                          (media_verified ? ")" : "; the stick itself is NOT verified, so neither is that key)");
}

}  // namespace

std::optional<std::string> FindMediaRoot() {
  Result<std::string> exe = ExecutablePath();
  if (!exe.ok()) return std::nullopt;
  fs::path root = fs::u8path(*exe).parent_path().parent_path().parent_path();
  std::error_code ec;
  if (fs::is_regular_file(root / "run.cmd", ec) || fs::is_regular_file(root / kManifestFile, ec)) {
    return root.u8string();
  }
  return std::nullopt;
}

Result<MediaTrust> CheckMediaAndProfile(const std::string& profile_path, bool allow_unverified_media,
                                        bool allow_unsigned_profile) {
  return CheckMediaAndProfileAt(FindMediaRoot(), profile_path, allow_unverified_media, allow_unsigned_profile);
}

Result<MediaTrust> CheckMediaAndProfileAt(const std::optional<std::string>& media_root,
                                          const std::string& profile_path, bool allow_unverified_media,
                                          bool allow_unsigned_profile) {
  MediaTrust trust;
  std::vector<PublicKey> keys;
  CheckMedia(media_root, &trust, &keys);
  if (!trust.media_verified) {
    if (!allow_unverified_media) {
      return Status::InvalidInput(
          "the stick is NOT verified, so apply will not use it:\n  " + trust.media_detail +
          "\nNothing was changed. Use a stick that passes 'otharden media verify' (get a fresh copy from the "
          "vendor). Only if you must use this one, add --allow-unverified-media (the report records it).");
    }
    trust.media_override = true;
  }
  CheckProfileSignature(profile_path, keys, trust.media_verified, &trust);
  if (!trust.profile_signed) {
    if (!allow_unsigned_profile) {
      return Status::InvalidInput(
          "profile " + profile_path + " is not signed by a trusted key: " + trust.profile_detail +
          "\nNothing was changed. Use the vendor's signed profile (PROFILE.xml with PROFILE.xml.minisig beside it, "
          "signed by a key in the stick's keys/trusted/). Only if you must apply it unsigned, add "
          "--allow-unsigned-profile (the report records it).");
    }
    trust.profile_override = true;
  }
  return trust;
}

}  // namespace otharden
