// Helpers the unit tests share (one definition each, also so that the tests
// build as one unity translation unit).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "toolkit/engine/journal.h"
#include "toolkit/model/firewall_rule.h"
#include "toolkit/spec/profile.h"

namespace otharden {
namespace testing {

// A durable append file that appends to a string: a journal kept in memory.
// With fail_at >= 0, every append from the (fail_at+1)th on fails, as when the
// stick is pulled.
class StringAppendFile : public DurableAppendFile {
 public:
  explicit StringAppendFile(std::string* sink, int fail_at = -1) : sink_(sink), fail_at_(fail_at) {}
  Status Append(const std::string& data) override {
    if (fail_at_ >= 0 && appends_++ >= fail_at_) return Status::IoError("journal: device removed");
    *sink_ += data;
    return Status::Ok();
  }

 private:
  std::string* sink_;
  int fail_at_;
  int appends_ = 0;
};

// A journal writing to `sink`, as `file` with `header` (fail_at: StringAppendFile).
inline std::unique_ptr<JournalWriter> StringJournal(std::string* sink, const std::string& file,
                                                    const JournalHeader& header, int fail_at = -1) {
  Result<std::unique_ptr<JournalWriter>> j =
      JournalWriter::Create(std::make_unique<StringAppendFile>(sink, fail_at), file, header);
  REQUIRE(j.ok());
  return std::move(*j);
}

// The shipped policies/protected-services.xml, loaded once.
inline const ProtectedServices& ShippedProtectedServices() {
  static const ProtectedServices list = [] {
    Result<ProtectedServices> p = LoadProtectedServicesFile(OTHARDEN_SOURCE_DIR "/policies/protected-services.xml");
    REQUIRE(p.ok());
    return *p;
  }();
  return list;
}

// A firewall rule from its v2.0 rule string (which must parse).
inline FirewallRule ParsedRule(const std::string& text) {
  Result<FirewallRule> r = ParseFirewallRule(text);
  REQUIRE(r.ok());
  return *r;
}

// A new empty folder under the system's temporary folder, removed with everything
// in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("otharden-unit-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `data` to `path`, creating its folders.
inline void WriteFile(const std::filesystem::path& path, const std::string& data) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << data;
}

// The whole file, or "" when it cannot be read.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A progress callback that prints nothing.
inline void Quiet(const std::string&) {}

}  // namespace testing
}  // namespace otharden
