#include "toolkit/platform/file_io.h"

#include <filesystem>

namespace otharden {

Status EnsureDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::u8path(dir), ec);
  if (ec) return Status::IoError(dir + ": cannot create folder: " + ec.message());
  return Status::Ok();
}

Status MirroredAppendFile::Append(const std::string& data) {
  Status primary = primary_->Append(data);
  if (!primary.ok()) return primary;
  if (mirror_) {
    Status mirror = mirror_->Append(data);
    if (!mirror.ok()) {
      // The copy on the stick is a convenience; the host's journal is the one
      // that must hold every record. A half-written copy is left as it is: its
      // torn tail fails its checksum and is ignored by recover.
      mirror_problem_ = mirror.message();
      mirror_.reset();
    }
  }
  return Status::Ok();
}

}  // namespace otharden
