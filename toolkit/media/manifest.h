// The stick's MANIFEST: what every file on it must be, signed by the vendor.
//
// Format (strict; a reader refuses anything else, naming MANIFEST:LINE):
//   line 1:   otharden-manifest 1
//   then one line per file, sorted by path (byte order), no two paths equal when
//   compared case-insensitively (FAT32 and Windows cannot hold both):
//             <sha256: 64 lower-case hex> <size: decimal bytes> <path>
//   exactly one space between fields; <path> is relative to the stick's root with
//   forward slashes ("bin/x64/otharden.exe"): no leading "/", no drive letter or
//   ":", no backslash, no empty, "." or ".." component, no control characters,
//   no leading or trailing space in a component. Every line ends with LF (no CR).
// The manifest lists every regular file on the stick except MANIFEST and
// MANIFEST.minisig at the root and whatever is under reports/ and journals/
// (written on site). MANIFEST.minisig is a minisign signature of MANIFEST by a
// key in the stick's keys/trusted/ (or a key the verifier names).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/model/status.h"
#include "toolkit/sign/minisign.h"

namespace otharden {

constexpr char kManifestFormatLine[] = "otharden-manifest 1";
constexpr char kManifestFile[] = "MANIFEST";
constexpr char kManifestSignatureFile[] = "MANIFEST.minisig";
// A stick lists a few dozen files; a MANIFEST over 1 MiB is refused unread.
constexpr size_t kMaxManifestBytes = 1024 * 1024;

struct ManifestEntry {
  std::string sha256;  // lower-case hex
  uint64_t size = 0;
  std::string path;  // relative, forward slashes
};

// Whether `path` may appear in a MANIFEST (see the format above); the message
// says what is wrong with it.
Status CheckManifestPath(const std::string& path);

// True for paths the manifest does not cover: MANIFEST, MANIFEST.minisig and
// anything under reports/ or journals/ (ASCII case-insensitive: FAT32 is).
bool IsOutsideManifest(const std::string& path);

// Parses MANIFEST text; errors are kInvalidInput "SOURCE:LINE: problem".
Result<std::vector<ManifestEntry>> ParseManifest(const std::string& text, const std::string& source);

// The MANIFEST text for `entries`, which it sorts. Fails (kInvalidInput) on a
// path CheckManifestPath refuses, a bad hash, or two paths equal ignoring case.
Result<std::string> ManifestText(std::vector<ManifestEntry> entries);

// A file found on the stick.
struct MediaFile {
  std::string path;     // relative to the root, forward slashes
  bool regular = true;  // false: a symbolic link, device or other special file
};

// Every file under `root` (sorted by path) except those IsOutsideManifest
// excludes; folders are walked, not listed, and symbolic links are not followed.
// Fails only when a folder cannot be listed.
Result<std::vector<MediaFile>> ListMediaFiles(const std::string& root);

// Hashes every file ListMediaFiles finds: the entries of a new MANIFEST. Fails
// on a special file (a stick holds plain files only) or an unreadable one.
Result<std::vector<ManifestEntry>> ScanMedia(const std::string& root);

// What VerifyMedia found. verified() only when the signature is valid and no
// file is changed, missing or extra.
struct MediaVerification {
  bool signature_valid = false;
  std::string signature_problem;  // why not (names the file and what to do)
  std::string key_id;             // the signature's key id, valid or not
  std::string signer;             // the trusted .pub that verified it
  std::string manifest_problem;   // MANIFEST unreadable or malformed (file:line)
  size_t files_listed = 0;
  uint64_t bytes_checked = 0;
  std::vector<std::string> changed;  // "path (size 123, MANIFEST says 456)" / "(SHA-256 differs)"
  std::vector<std::string> missing;  // listed, not on the stick
  std::vector<std::string> extra;    // on the stick, not listed
  bool verified() const {
    return signature_valid && manifest_problem.empty() && changed.empty() && missing.empty() &&
           extra.empty();
  }
};

// Verifies the stick at `root`: first MANIFEST.minisig over MANIFEST against
// `trusted` (nothing else is looked at if it fails: an unsigned list proves
// nothing), then each listed file's size and SHA-256, then files not listed.
// A failed Result only when `root` is not a folder; everything wrong on the
// stick is in the MediaVerification.
Result<MediaVerification> VerifyMedia(const std::string& root, const std::vector<PublicKey>& trusted);

// What is wrong, one line per problem, each naming the file:
// "MANIFEST.minisig: ...", "changed: bin/x64/otharden.exe (...)", "missing: ...",
// "extra (not in MANIFEST): ...". Empty when verified().
std::vector<std::string> MediaProblems(const MediaVerification& v);

// The stick's own trusted keys: <root>/keys/trusted/*.pub.
std::string MediaTrustedKeysDir(const std::string& root);

}  // namespace otharden
