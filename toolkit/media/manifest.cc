#include "toolkit/media/manifest.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "toolkit/sign/digest.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace fs = std::filesystem;

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool IsLowerHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "123" -> 123; no sign, no leading zeros (except "0"), no overflow.
bool ParseSize(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

Status LineError(const std::string& source, size_t line, const std::string& problem) {
  return Status::InvalidInput(source + ":" + std::to_string(line) + ": " + problem);
}

std::string Rel(const fs::path& p, const fs::path& root) {
  return p.lexically_relative(root).generic_u8string();
}

}  // namespace

Status CheckManifestPath(const std::string& path) {
  if (path.empty()) return Status::InvalidInput("empty path");
  if (path[0] == '/') return Status::InvalidInput("'" + path + "': absolute path (must be relative to the stick)");
  if (path.find('\\') != std::string::npos) {
    return Status::InvalidInput("'" + path + "': backslash in the path (use forward slashes)");
  }
  if (path.find(':') != std::string::npos) {
    return Status::InvalidInput("'" + path + "': ':' in the path (a drive letter or stream name)");
  }
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidInput("'" + path + "': control character in the path");
  }
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty()) return Status::InvalidInput("'" + path + "': empty path component ('//' or a trailing '/')");
    if (part == "." || part == "..") {
      return Status::InvalidInput("'" + path + "': '" + part + "' in the path (must name a file inside the stick)");
    }
    // Windows drops trailing dots and spaces from names: "a.xml." would open "a.xml".
    if (part.front() == ' ' || part.back() == ' ' || part.back() == '.') {
      return Status::InvalidInput("'" + path + "': a name starts or ends with a space, or ends with '.'");
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return Status::Ok();
}

bool IsOutsideManifest(const std::string& path) {
  const std::string lower = AsciiLower(path);
  return lower == "manifest" || lower == "manifest.minisig" || lower.rfind("reports/", 0) == 0 ||
         lower.rfind("journals/", 0) == 0;
}

Result<std::vector<ManifestEntry>> ParseManifest(const std::string& text, const std::string& source) {
  if (text.empty()) {
    return LineError(source, 1, std::string("empty file; expected '") + kManifestFormatLine + "'");
  }
  if (text.back() != '\n') {
    size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    return LineError(source, lines, "the last line has no line end (LF): the file is cut short");
  }
  std::vector<ManifestEntry> entries;
  std::map<std::string, size_t> line_of_lower;  // ASCII-lowered path -> line
  size_t line_no = 0, start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find('\r') != std::string::npos) {
      return LineError(source, line_no,
                       "carriage return (CR) in the line: MANIFEST has LF line ends only (was it "
                       "opened and saved by an editor?)");
    }
    if (line_no == 1) {
      if (line != kManifestFormatLine) {
        if (line.rfind("otharden-manifest ", 0) == 0) {
          return LineError(source, 1, "format '" + line + "' is not one this otharden reads ('" +
                                          kManifestFormatLine + "'); use the otharden that came with the stick");
        }
        return LineError(source, 1, std::string("not an otharden MANIFEST: the first line must be '") +
                                        kManifestFormatLine + "'");
      }
      continue;
    }
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string::npos ? std::string::npos : line.find(' ', sp1 + 1);
    if (sp2 == std::string::npos) {
      return LineError(source, line_no, "expected '<sha256> <size> <path>' (fields separated by one space)");
    }
    ManifestEntry e;
    e.sha256 = line.substr(0, sp1);
    const std::string size = line.substr(sp1 + 1, sp2 - sp1 - 1);
    e.path = line.substr(sp2 + 1);
    if (e.sha256.size() != 64 || !IsLowerHex(e.sha256)) {
      return LineError(source, line_no, "the SHA-256 must be 64 lower-case hex digits, not '" + e.sha256 + "'");
    }
    if (!ParseSize(size, &e.size)) {
      return LineError(source, line_no, "the size must be a decimal number of bytes, not '" + size + "'");
    }
    if (Status s = CheckManifestPath(e.path); !s.ok()) return LineError(source, line_no, s.message());
    if (IsOutsideManifest(e.path)) {
      return LineError(source, line_no, "'" + e.path + "' is not covered by a manifest (MANIFEST, "
                                        "MANIFEST.minisig, reports/ and journals/ never are)");
    }
    if (!entries.empty() && e.path <= entries.back().path) {
      if (e.path == entries.back().path) {
        return LineError(source, line_no, "'" + e.path + "' is listed twice");
      }
      return LineError(source, line_no, "'" + e.path + "' is out of order (paths are sorted byte by byte)");
    }
    auto [it, inserted] = line_of_lower.emplace(AsciiLower(e.path), line_no);
    if (!inserted) {
      return LineError(source, line_no, "'" + e.path + "' is the same file as line " + std::to_string(it->second) +
                                            " on Windows and FAT32 (the names differ only in case)");
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<std::string> ManifestText(std::vector<ManifestEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
  std::string text = std::string(kManifestFormatLine) + "\n";
  std::set<std::string> lower_paths;
  for (const ManifestEntry& e : entries) {
    if (Status s = CheckManifestPath(e.path); !s.ok()) return Status::InvalidInput("cannot list a file: " + s.message());
    if (IsOutsideManifest(e.path)) {
      return Status::InvalidInput("'" + e.path + "' cannot be listed in a MANIFEST (it is never covered)");
    }
    if (e.sha256.size() != 64 || !IsLowerHex(e.sha256)) {
      return Status::InvalidInput("'" + e.path + "': not a lower-case hex SHA-256: '" + e.sha256 + "'");
    }
    if (!lower_paths.insert(AsciiLower(e.path)).second) {
      return Status::InvalidInput("'" + e.path + "' and another file differ only in case: a FAT32 stick "
                                  "cannot hold both; rename one");
    }
    text += e.sha256 + " " + std::to_string(e.size) + " " + e.path + "\n";
  }
  return text;
}

Result<std::vector<MediaFile>> ListMediaFiles(const std::string& root) {
  const fs::path base = fs::u8path(root);
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return Status::NotFound(root + ": no such folder");
  std::vector<MediaFile> files;
  fs::recursive_directory_iterator it(base, fs::directory_options::none, ec), end;
  if (ec) return Status::IoError(root + ": cannot list the folder: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string rel = Rel(it->path(), base);
    std::error_code type_ec;
    const fs::file_status st = it->symlink_status(type_ec);
    if (type_ec) return Status::IoError(it->path().u8string() + ": cannot read its type: " + type_ec.message());
    if (fs::is_directory(st)) {
      if (IsOutsideManifest(rel + "/")) it.disable_recursion_pending();
      continue;
    }
    if (IsOutsideManifest(rel)) continue;
    files.push_back(MediaFile{rel, fs::is_regular_file(st)});
  }
  if (ec) return Status::IoError(root + ": cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end(), [](const MediaFile& a, const MediaFile& b) { return a.path < b.path; });
  return files;
}

Result<std::vector<ManifestEntry>> ScanMedia(const std::string& root) {
  Result<std::vector<MediaFile>> files = ListMediaFiles(root);
  if (!files.ok()) return files.status();
  std::vector<ManifestEntry> entries;
  for (const MediaFile& f : *files) {
    const fs::path p = fs::u8path(root) / fs::u8path(f.path);
    if (!f.regular) {
      return Status::InvalidInput(p.u8string() + ": not a plain file (a link or special file); a stick holds "
                                  "plain files only");
    }
    std::error_code ec;
    const uint64_t size = fs::file_size(p, ec);
    if (ec) return Status::IoError(p.u8string() + ": cannot read its size: " + ec.message());
    Result<std::string> hash = Sha256HexOfFile(p.u8string());
    if (!hash.ok()) return hash.status();
    entries.push_back(ManifestEntry{*hash, size, f.path});
  }
  return entries;
}

std::vector<std::string> MediaProblems(const MediaVerification& v) {
  std::vector<std::string> lines;
  if (!v.signature_valid) lines.push_back(v.signature_problem);
  if (!v.manifest_problem.empty()) lines.push_back(v.manifest_problem);
  for (const std::string& f : v.changed) lines.push_back("changed: " + f);
  for (const std::string& f : v.missing) lines.push_back("missing: " + f);
  for (const std::string& f : v.extra) lines.push_back("extra (not in MANIFEST): " + f);
  return lines;
}

std::string MediaTrustedKeysDir(const std::string& root) {
  return (fs::u8path(root) / "keys" / "trusted").u8string();
}

Result<MediaVerification> VerifyMedia(const std::string& root, const std::vector<PublicKey>& trusted) {
  const fs::path base = fs::u8path(root);
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return Status::NotFound(root + ": no such folder");
  MediaVerification v;
  const std::string manifest_path = (base / kManifestFile).u8string();
  const std::string sig_path = (base / kManifestSignatureFile).u8string();

  // 1. The signature: nothing else means anything without it.
  if (!fs::is_regular_file(fs::u8path(manifest_path), ec)) {
    v.signature_problem = manifest_path + " is missing: this folder is not a built otharden stick, or it lost its "
                                          "MANIFEST";
    return v;
  }
  if (!fs::is_regular_file(fs::u8path(sig_path), ec)) {
    v.signature_problem = sig_path + " is missing: the MANIFEST is not signed, so nothing on the stick can be trusted";
    return v;
  }
  Result<std::string> manifest_text = ReadInputFile(manifest_path, kMaxManifestBytes);
  if (!manifest_text.ok()) {
    v.signature_problem = manifest_text.status().message();
    return v;
  }
  Result<std::string> sig_text = ReadInputFile(sig_path, kMaxMinisignFileBytes);
  if (!sig_text.ok()) {
    v.signature_problem = sig_text.status().message();
    return v;
  }
  if (trusted.empty()) {
    v.signature_problem = "no trusted public key to check " + sig_path + " with";
    return v;
  }
  Result<SignatureCheck> check = VerifyData(*manifest_text, *sig_text, trusted, sig_path);
  if (!check.ok()) {
    v.signature_problem = check.status().message();
    return v;
  }
  v.key_id = check->key_id;
  if (!check->valid) {
    v.signature_problem = sig_path + ": " + check->problem;
    return v;
  }
  v.signature_valid = true;
  v.signer = check->signer;

  // 2. Every listed file, as listed.
  Result<std::vector<ManifestEntry>> entries = ParseManifest(*manifest_text, manifest_path);
  if (!entries.ok()) {
    v.manifest_problem = entries.status().message();
    return v;
  }
  v.files_listed = entries->size();
  std::map<std::string, const ManifestEntry*> listed;  // ASCII-lowered path
  for (const ManifestEntry& e : *entries) {
    listed.emplace(AsciiLower(e.path), &e);
    const fs::path p = base / fs::u8path(e.path);
    const fs::file_status st = fs::symlink_status(p, ec);
    if (!fs::exists(st)) {
      v.missing.push_back(e.path);
      continue;
    }
    if (!fs::is_regular_file(st)) {
      v.changed.push_back(e.path + " (not a plain file)");
      continue;
    }
    const uint64_t size = fs::file_size(p, ec);
    if (ec) {
      v.changed.push_back(e.path + " (cannot read its size: " + ec.message() + ")");
      continue;
    }
    if (size != e.size) {
      v.changed.push_back(e.path + " (" + std::to_string(size) + " bytes, MANIFEST says " +
                          std::to_string(e.size) + ")");
      continue;
    }
    Result<std::string> hash = Sha256HexOfFile(p.u8string());
    if (!hash.ok()) {
      v.changed.push_back(e.path + " (" + hash.status().message() + ")");
      continue;
    }
    v.bytes_checked += size;
    if (*hash != e.sha256) v.changed.push_back(e.path + " (content differs: SHA-256 " + *hash + ")");
  }

  // 3. Anything on the stick the manifest does not list. Matching ignores
  // case (FAT32 and Windows do), but a second file differing only in case
  // (possible on Linux) is extra.
  Result<std::vector<MediaFile>> found = ListMediaFiles(root);
  if (!found.ok()) {
    v.manifest_problem = found.status().message();
    return v;
  }
  std::set<std::string> seen;  // lowered paths matched so far; exact matches first
  for (const MediaFile& f : *found) {
    auto it = listed.find(AsciiLower(f.path));
    if (it != listed.end() && it->second->path == f.path) seen.insert(it->first);
  }
  for (const MediaFile& f : *found) {
    auto it = listed.find(AsciiLower(f.path));
    if (it != listed.end() && it->second->path == f.path) continue;
    if (it == listed.end() || !seen.insert(it->first).second) {
      v.extra.push_back(f.path + (f.regular ? "" : " (not a plain file)"));
    }
  }
  return v;
}

}  // namespace otharden
