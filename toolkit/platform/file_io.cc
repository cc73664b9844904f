#include "toolkit/platform/file_io.h"

#include <filesystem>

namespace otharden {

Status EnsureDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::u8path(dir), ec);
  if (ec) return Status::IoError(dir + ": cannot create folder: " + ec.message());
  return Status::Ok();
}

}  // namespace otharden
