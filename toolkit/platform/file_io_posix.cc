#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "toolkit/platform/file_io.h"

namespace otharden {
namespace {

Status Errno(const std::string& path, const char* operation) {
  return Status::IoError(path + ": " + operation + " failed: " + std::strerror(errno));
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& data, FileAccess access) {
  const std::string temp = path + ".tmp-" + std::to_string(getpid());
  unlink(temp.c_str());  // a leftover from a crash would keep its old mode
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      access == FileAccess::kOwnerOnly ? 0600 : 0644);
  if (fd < 0) return Errno(temp, "create");
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = Errno(temp, "write");
      close(fd);
      unlink(temp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    Status s = Errno(temp, "fsync");
    close(fd);
    unlink(temp.c_str());
    return s;
  }
  close(fd);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    Status s = Errno(path, "rename");
    unlink(temp.c_str());
    return s;
  }
  // Make the rename itself durable.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return Status::Ok();
}

namespace {

class PosixAppendFile : public DurableAppendFile {
 public:
  PosixAppendFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixAppendFile() override { close(fd_); }
  Status Append(const std::string& data) override {
    size_t written = 0;
    while (written < data.size()) {
      const ssize_t n = write(fd_, data.data() + written, data.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Errno(path_, "write");
      written += static_cast<size_t>(n);
    }
    if (fsync(fd_) != 0) return Errno(path_, "fsync");
    return Status::Ok();
  }

 private:
  int fd_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<DurableAppendFile>> CreateDurableAppendFile(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Errno(path, "create");
  return std::unique_ptr<DurableAppendFile>(new PosixAppendFile(fd, path));
}

}  // namespace otharden
