// The apply journal: before each change, the state it will change, written and
// flushed to the device first, so that every change made so far can be undone
// after a failure, a crash or a pulled stick.
//
// Format (text, one record a line): "<kind> key=value ... *<crc32>\n", values
// percent-encoded, each line ending with the CRC-32 of what precedes " *".
// The first line is "otharden-journal format=1". A line whose CRC does not match
// or that has no newline (a torn write) ends the readable journal.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/firewall.h"
#include "toolkit/model/service.h"
#include "toolkit/model/status.h"
#include "toolkit/platform/file_io.h"

namespace otharden {

struct JournalHeader {
  std::string profile;  // profile name
  std::string host;
  std::string utc;      // when apply began
};

// The state of one service before otharden changed it.
struct JournalServiceBefore {
  std::string name;
  ServiceStartType start = ServiceStartType::kDemand;
  std::optional<bool> delayed_auto_start;
  bool running = false;
};

// One firewall change, recorded before it is made.
struct JournalFirewallEntry {
  enum class Kind {
    kProfile,   // a profile's settings: `profile_before` holds them
    kAdded,     // a rule about to be added: rollback removes it
    kRemoved,   // a rule about to be removed: rollback adds it back
    kDisabled,  // a rule about to be disabled: rollback enables it
    kEnabled,   // a rule about to be enabled (rollback from a report): rollback disables it
  };
  Kind kind = Kind::kProfile;
  FirewallProfileState profile_before;
  std::string rule;  // the rule string (kAdded, kRemoved, kDisabled)
};

// What a journal file says.
struct Journal {
  JournalHeader header;
  std::vector<JournalServiceBefore> services;  // in the order they were changed
  std::vector<std::string> completed;          // services whose change was verified
  std::vector<JournalFirewallEntry> firewall;  // in the order they were made (after the services)
  std::optional<std::string> end;              // "applied", "rolled-back", ... when finished
  // Bytes at the end that could not be read (a torn or corrupted tail), and why.
  size_t unreadable_bytes = 0;
  std::string unreadable_reason;
  // True when a complete record failed its check (not just a torn last line):
  // changes recorded after it may have been made and cannot be undone from here.
  bool damaged = false;
};

class JournalWriter {
 public:
  // Starts a journal in `file` (a new, empty file at `path`) with its header.
  static Result<std::unique_ptr<JournalWriter>> Create(std::unique_ptr<DurableAppendFile> file,
                                                       const std::string& path,
                                                       const JournalHeader& header);
  // Each call returns only once the record is on the device.
  Status RecordServiceBefore(const ServiceConfig& before);
  Status RecordCompleted(const std::string& service);
  Status RecordFirewall(const JournalFirewallEntry& entry);
  Status RecordEnd(const std::string& result);
  const std::string& path() const { return path_; }
  // Everything written so far (what the file holds when every Append succeeded).
  const std::string& text() const { return text_; }

 private:
  JournalWriter(std::unique_ptr<DurableAppendFile> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}
  Status Write(const std::string& lines);
  std::unique_ptr<DurableAppendFile> file_;
  std::string path_;
  std::string text_;
};

// Parses a journal. Only a file that is not a journal at all (wrong first line)
// is an error; a damaged tail is reported in Journal::unreadable_*.
Result<Journal> ParseJournal(const std::string& path, const std::string& text);
Result<Journal> ReadJournalFile(const std::string& path);

// One record line with its checksum (exposed for tests).
std::string JournalLine(const std::string& kind,
                        const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace otharden
