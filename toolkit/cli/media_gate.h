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
};

// Refuses (kInvalidInput / kVerificationFailed-style Status naming the file and
// what to do) a stick whose MANIFEST does not verify, or an unsigned or
// untrusted profile, unless the matching override is given.
Result<MediaTrust> CheckMediaAndProfile(const std::string& profile_path, bool allow_unverified_media,
                                        bool allow_unsigned_profile);

}  // namespace otharden
