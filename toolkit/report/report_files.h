// Names and signed comments of the report files otharden writes.
#pragma once

#include <string>

#include "toolkit/model/utc_time.h"

namespace otharden {

// `text` reduced to characters safe in a file name on FAT32, NTFS and ext4:
// ASCII letters, digits, '-' and '_'; every other byte (dots, slashes, spaces,
// non-ASCII) becomes '_'; at most `max_length` characters; "unnamed" if empty.
std::string SafeFileComponent(const std::string& text, size_t max_length = 63);

// "<host>-<20261122T004512Z>-<kind>.xml" with the host made safe.
std::string ReportFileName(const std::string& host, const UtcTime& time, const std::string& kind);

// A minisign trusted comment (one line, printable) for a report:
// "otharden check host=H utc=T verdict=V file=F". Control characters in
// `host` become '?', so the comment cannot be split or spoofed by a host name.
std::string ReportTrustedComment(const std::string& command, const std::string& host,
                                 const UtcTime& time, const std::string& verdict,
                                 const std::string& file_name);

}  // namespace otharden
