// A moment in UTC, as reports and file names spell it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace otharden {

struct UtcTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;

  static UtcTime Now();
  static UtcTime FromUnixSeconds(int64_t seconds);
  // "2026-11-22T00:45:12Z"
  std::string Iso8601() const;
  // Reads what Iso8601 writes (exactly that shape, fields in range); nullopt otherwise.
  static std::optional<UtcTime> ParseIso8601(const std::string& text);
  // "20261122T004512Z": safe in file names on every file system.
  std::string Compact() const;
};

}  // namespace otharden
