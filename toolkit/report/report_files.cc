#include "toolkit/report/report_files.h"

namespace otharden {

std::string SafeFileComponent(const std::string& text, size_t max_length) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= max_length) break;
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    out += safe ? static_cast<char>(c) : '_';
  }
  return out.empty() ? "unnamed" : out;
}

std::string ReportFileName(const std::string& host, const UtcTime& time, const std::string& kind) {
  return SafeFileComponent(host) + "-" + time.Compact() + "-" + SafeFileComponent(kind) + ".xml";
}

std::string ReportTrustedComment(const std::string& command, const std::string& host,
                                 const UtcTime& time, const std::string& verdict,
                                 const std::string& file_name) {
  std::string printable_host;
  for (unsigned char c : host) printable_host += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
  return "otharden " + command + " host=" + printable_host + " utc=" + time.Iso8601() +
         " verdict=" + verdict + " file=" + file_name;
}

}  // namespace otharden
