// What `apply` checks about the stick before it changes anything (issue 7):
// the signed MANIFEST, and the profile's signature against keys/trusted/.
#pragma once

#include <optional>
#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// The stick otharden runs from: the folder two up from the executable
// (<stick>\bin\x64\otharden.exe) when it holds run.cmd or MANIFEST; nullopt
// when otharden does not run from a stick layout (e.g. the build tree).
std::optional<std::string> FindMediaRoot();

// The outcome, recorded in the apply report.
struct MediaTrust {
  std::string media_root;     // empty when not run from a stick
  bool media_verified = false;
  bool media_override = false;  // --allow-unverified-media was needed
  std::string media_detail;     // "MANIFEST verified: 23 files, key ID ..." or why not
  bool profile_signed = false;
  bool profile_override = false;  // --allow-unsigned-profile was needed
  std::string profile_detail;     // "signed by key ID ..." or why not
  // Added with the real gate:
  std::string media_key_id;    // key id that signed MANIFEST (when verified)
  std::string profile_key_id;  // key id that signed the profile (when signed)
  // SHA-256 of the exact profile bytes whose signature was checked: apply should
  // refuse if the profile it loads hashes differently (changed in between).
  std::string profile_sha256;
};

// Refuses (kInvalidInput, exit 2, naming the file, the problem and what to do)
// a stick whose MANIFEST does not verify against its keys/trusted/ (or no stick
// at all), or a profile whose PROFILE.minisig is missing or not from a key in
// <stick>/keys/trusted/, unless the matching override is given. Overrides are
// recorded in the MediaTrust. The profile may be anywhere (any path).
Result<MediaTrust> CheckMediaAndProfile(const std::string& profile_path, bool allow_unverified_media,
                                        bool allow_unsigned_profile);

// The same for the stick at `media_root` (nullopt: not run from a stick).
// CheckMediaAndProfile is this with FindMediaRoot(); tests call it directly.
Result<MediaTrust> CheckMediaAndProfileAt(const std::optional<std::string>& media_root,
                                          const std::string& profile_path, bool allow_unverified_media,
                                          bool allow_unsigned_profile);

}  // namespace otharden
