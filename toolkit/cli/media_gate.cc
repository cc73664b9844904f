// PLACEHOLDER until issue 7's manifest check lands: finds the stick root only.
#include "toolkit/cli/media_gate.h"

#include <filesystem>
#include <system_error>

#include "toolkit/platform/process.h"

namespace otharden {

std::optional<std::string> FindMediaRoot() {
  namespace fs = std::filesystem;
  Result<std::string> exe = ExecutablePath();
  if (!exe.ok()) return std::nullopt;
  fs::path root = fs::u8path(*exe).parent_path().parent_path().parent_path();
  std::error_code ec;
  if (fs::is_regular_file(root / "run.cmd", ec) || fs::is_regular_file(root / "MANIFEST", ec)) {
    return root.u8string();
  }
  return std::nullopt;
}

Result<MediaTrust> CheckMediaAndProfile(const std::string&, bool, bool) {
  MediaTrust trust;
  if (std::optional<std::string> root = FindMediaRoot()) trust.media_root = *root;
  trust.media_detail = "media not checked (manifest verification not built yet)";
  trust.profile_detail = "profile signature not checked (not built yet)";
  return trust;
}

}  // namespace otharden
