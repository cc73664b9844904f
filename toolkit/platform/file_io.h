// Writing files so that a crash or a pulled USB stick leaves either the old
// file or the new one, never a torn one.
#pragma once

#include <memory>
#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// Who may read a file otharden writes, where the file system has owners.
enum class FileAccess { kShared, kOwnerOnly };

// Writes `data` to a temporary file beside `path`, flushes it to the device,
// then renames it over `path`. On failure `path` is unchanged and the
// temporary file is removed; the message names the path and the operation.
// kOwnerOnly creates the file readable by its owner only from the start (secret
// keys); on Windows the file inherits its folder's ACL either way.
Status WriteFileAtomically(const std::string& path, const std::string& data,
                           FileAccess access = FileAccess::kShared);

// A file that only grows, each Append on the device before it returns: the
// journal is written this way, one record ahead of each change.
class DurableAppendFile {
 public:
  virtual ~DurableAppendFile() = default;
  // Appends `data` and flushes it to the device.
  virtual Status Append(const std::string& data) = 0;
};

// Creates a new file at `path` for appending; fails if it already exists.
Result<std::unique_ptr<DurableAppendFile>> CreateDurableAppendFile(const std::string& path);

// Appends to `primary` and, best effort, to `mirror` (the journal's copy on the
// stick). A failed primary append is the error; a failed mirror append drops
// the mirror and is remembered in mirror_problem() for the console.
class MirroredAppendFile : public DurableAppendFile {
 public:
  MirroredAppendFile(std::unique_ptr<DurableAppendFile> primary, std::unique_ptr<DurableAppendFile> mirror)
      : primary_(std::move(primary)), mirror_(std::move(mirror)) {}
  Status Append(const std::string& data) override;
  const std::string& mirror_problem() const { return mirror_problem_; }

 private:
  std::unique_ptr<DurableAppendFile> primary_;
  std::unique_ptr<DurableAppendFile> mirror_;
  std::string mirror_problem_;
};

// Creates `dir` and its parents if they do not exist.
Status EnsureDirectory(const std::string& dir);

}  // namespace otharden
