#include "toolkit/engine/journal.h"

#include <cstdio>
#include <sstream>

#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

// Journals of real applies are a few KiB; refuse anything absurd before parsing.
constexpr size_t kMaxJournalBytes = 16 * 1024 * 1024;

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Encode(const std::string& value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-' || c == ':' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::optional<std::string> Decode(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size()) return std::nullopt;
    unsigned int byte = 0;
    if (std::sscanf(value.substr(i + 1, 2).c_str(), "%2X", &byte) != 1) return std::nullopt;
    out += static_cast<char>(byte);
    i += 2;
  }
  return out;
}

struct Record {
  std::string kind;
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<std::string> Get(const std::string& key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return v;
    }
    return std::nullopt;
  }
};

// Parses one line (without its newline); nullopt if damaged.
std::optional<Record> ParseLine(const std::string& line) {
  const size_t star = line.rfind(" *");
  if (star == std::string::npos || line.size() != star + 2 + 8) return std::nullopt;
  const std::string body = line.substr(0, star);
  unsigned int crc = 0;
  if (std::sscanf(line.c_str() + star + 2, "%8x", &crc) != 1 || crc != Crc32(body)) return std::nullopt;
  std::istringstream words(body);
  Record record;
  if (!(words >> record.kind)) return std::nullopt;
  for (std::string word; words >> word;) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos) return std::nullopt;
    std::optional<std::string> value = Decode(word.substr(eq + 1));
    if (!value) return std::nullopt;
    record.fields.emplace_back(word.substr(0, eq), *value);
  }
  return record;
}

std::string DelayedText(std::optional<bool> delayed) {
  return delayed ? (*delayed ? "1" : "0") : "unknown";
}

}  // namespace

std::string JournalLine(const std::string& kind,
                        const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body = kind;
  for (const auto& [key, value] : fields) body += " " + key + "=" + Encode(value);
  char crc[16];
  std::snprintf(crc, sizeof crc, " *%08x\n", Crc32(body));
  return body + crc;
}

Status JournalWriter::Write(const std::string& lines) {
  Status s = file_->Append(lines);
  if (s.ok()) text_ += lines;
  return s;
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::Create(std::unique_ptr<DurableAppendFile> file,
                                                             const std::string& path,
                                                             const JournalHeader& header) {
  std::unique_ptr<JournalWriter> writer(new JournalWriter(std::move(file), path));
  Status s = writer->Write(JournalLine("otharden-journal", {{"format", "1"}}) +
                                   JournalLine("begin", {{"profile", header.profile},
                                                         {"host", header.host},
                                                         {"utc", header.utc}}));
  if (!s.ok()) return s;
  return writer;
}

Status JournalWriter::RecordServiceBefore(const ServiceConfig& before) {
  return Write(JournalLine("service", {{"name", before.name},
                                               {"start", StartTypeName(before.start)},
                                               {"delayed", DelayedText(before.delayed_auto_start)},
                                               {"running", before.running ? "1" : "0"}}));
}

Status JournalWriter::RecordCompleted(const std::string& service) {
  return Write(JournalLine("completed", {{"name", service}}));
}

Status JournalWriter::RecordFirewall(const JournalFirewallEntry& entry) {
  switch (entry.kind) {
    case JournalFirewallEntry::Kind::kProfile: {
      const FirewallProfileState& p = entry.profile_before;
      auto action = [](FirewallAction a) { return a == FirewallAction::kAllow ? "allow" : "block"; };
      return Write(JournalLine("fw-profile", {{"profile", FirewallProfileName(p.profile)},
                                              {"enabled", p.enabled ? "1" : "0"},
                                              {"inbound", action(p.default_inbound)},
                                              {"outbound", action(p.default_outbound)}}));
    }
    case JournalFirewallEntry::Kind::kAdded: return Write(JournalLine("fw-added", {{"rule", entry.rule}}));
    case JournalFirewallEntry::Kind::kRemoved: return Write(JournalLine("fw-removed", {{"rule", entry.rule}}));
    case JournalFirewallEntry::Kind::kDisabled: return Write(JournalLine("fw-disabled", {{"rule", entry.rule}}));
    case JournalFirewallEntry::Kind::kEnabled: return Write(JournalLine("fw-enabled", {{"rule", entry.rule}}));
  }
  return Status::Internal("unknown firewall journal entry");
}

Status JournalWriter::RecordEnd(const std::string& result) {
  return Write(JournalLine("end", {{"result", result}}));
}

Result<Journal> ParseJournal(const std::string& path, const std::string& text) {
  Journal journal;
  size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    const size_t newline = text.find('\n', pos);
    std::optional<Record> record;
    if (newline != std::string::npos) record = ParseLine(text.substr(pos, newline - pos));
    if (first) {
      if (!record || record->kind != "otharden-journal" || record->Get("format") != std::string("1")) {
        return Status::InvalidInput(path + ":1: not an otharden journal (format 1)");
      }
      first = false;
      pos = newline + 1;
      continue;
    }
    std::string problem;
    if (!record) {
      problem = newline == std::string::npos ? "the last record is incomplete (torn write)"
                                             : "a record is damaged (checksum mismatch)";
    } else if (record->kind == "begin") {
      journal.header = {record->Get("profile").value_or(""), record->Get("host").value_or(""),
                        record->Get("utc").value_or("")};
    } else if (record->kind == "service") {
      JournalServiceBefore before;
      before.name = record->Get("name").value_or("");
      std::optional<ServiceStartType> start = ParseStartType(record->Get("start").value_or(""));
      const std::string delayed = record->Get("delayed").value_or("");
      const std::string running = record->Get("running").value_or("");
      if (before.name.empty() || !start || (running != "0" && running != "1") ||
          (delayed != "0" && delayed != "1" && delayed != "unknown")) {
        problem = "a service record is incomplete";
      } else {
        before.start = *start;
        if (delayed != "unknown") before.delayed_auto_start = delayed == "1";
        before.running = running == "1";
        journal.services.push_back(before);
      }
    } else if (record->kind == "fw-profile") {
      JournalFirewallEntry entry;
      std::optional<FirewallProfile> profile = ParseFirewallProfileName(record->Get("profile").value_or(""));
      const std::string enabled = record->Get("enabled").value_or("");
      const std::string inbound = record->Get("inbound").value_or("");
      const std::string outbound = record->Get("outbound").value_or("");
      auto is_action = [](const std::string& a) { return a == "allow" || a == "block"; };
      if (!profile || (enabled != "0" && enabled != "1") || !is_action(inbound) || !is_action(outbound)) {
        problem = "a firewall profile record is incomplete";
      } else {
        entry.profile_before = {*profile, enabled == "1",
                                inbound == "allow" ? FirewallAction::kAllow : FirewallAction::kBlock,
                                outbound == "allow" ? FirewallAction::kAllow : FirewallAction::kBlock};
        journal.firewall.push_back(entry);
      }
    } else if (record->kind == "fw-added" || record->kind == "fw-removed" || record->kind == "fw-disabled" ||
               record->kind == "fw-enabled") {
      JournalFirewallEntry entry;
      entry.kind = record->kind == "fw-added"     ? JournalFirewallEntry::Kind::kAdded
                   : record->kind == "fw-removed" ? JournalFirewallEntry::Kind::kRemoved
                   : record->kind == "fw-enabled" ? JournalFirewallEntry::Kind::kEnabled
                                                  : JournalFirewallEntry::Kind::kDisabled;
      entry.rule = record->Get("rule").value_or("");
      if (entry.rule.empty()) {
        problem = "a firewall rule record is incomplete";
      } else {
        journal.firewall.push_back(entry);
      }
    } else if (record->kind == "completed") {
      journal.completed.push_back(record->Get("name").value_or(""));
    } else if (record->kind == "end") {
      journal.end = record->Get("result").value_or("");
    } else {
      problem = "unknown record '" + record->kind + "'";
    }
    if (!problem.empty()) {
      journal.unreadable_bytes = text.size() - pos;
      journal.unreadable_reason = problem;
      // A torn last line is the one change that was never made; anything else
      // hides records that may stand for real changes.
      journal.damaged = newline != std::string::npos;
      break;
    }
    pos = newline + 1;
  }
  if (first) return Status::InvalidInput(path + ": empty file, not an otharden journal");
  return journal;
}

Result<Journal> ReadJournalFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path, kMaxJournalBytes);
  if (!text.ok()) return text.status();
  return ParseJournal(path, *text);
}

}  // namespace otharden
