// libFuzzer target: an apply journal as rollback reads it (possibly torn or
// tampered with on the stick). Each line carries a CRC-32 the fuzzer cannot
// guess, so each input is parsed twice: as it is, and with every line's
// checksum recomputed, so mutations reach the record parsing behind the check.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "toolkit/engine/journal.h"
#include "toolkit/model/firewall_rule.h"

namespace {

// The journal's checksum (CRC-32, as zlib's crc32).
uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// Every complete line's " *xxxxxxxx" replaced by the right checksum (added
// when missing); a last line without a newline stays torn.
std::string WithChecksumsFixed(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t newline = text.find('\n', pos);
    if (newline == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    std::string body = text.substr(pos, newline - pos);
    const size_t star = body.rfind(" *");
    if (star != std::string::npos) body.resize(star);
    char crc[16];
    std::snprintf(crc, sizeof crc, " *%08x\n", Crc32(body));
    out += body + crc;
    pos = newline + 1;
  }
  return out;
}

void Parse(const std::string& text) {
  otharden::Result<otharden::Journal> journal = otharden::ParseJournal("fuzz.journal", text);
  if (!journal.ok()) {
    if (journal.status().message().empty()) __builtin_trap();
    return;
  }
  // Never claims more unreadable bytes than there are, nor a reason-less damage.
  if (journal->unreadable_bytes > text.size()) __builtin_trap();
  if (journal->unreadable_bytes > 0 && journal->unreadable_reason.empty()) __builtin_trap();
  // Rollback turns recorded rule strings back into rules.
  for (const auto& entry : journal->firewall) (void)otharden::ParseFirewallRule(entry.rule);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Parse(text);
  Parse(WithChecksumsFixed(text));
  return 0;
}
