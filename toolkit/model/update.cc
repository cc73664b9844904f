#include "toolkit/model/update.h"

#include <cctype>
#include <cstdio>

namespace otharden {

std::string CbsStateName(uint32_t state) {
  switch (state) {
    case 0x00: return "absent";
    case 0x05: return "uninstall pending";
    case 0x10: return "resolving";
    case 0x20: return "resolved";
    case 0x30: return "staging";
    case 0x40: return "staged";
    case 0x50: return "superseded";
    case 0x60: return "install pending";
    case 0x65: return "partially installed";
    case 0x70: return "installed";
    case 0x80: return "permanent";
    default: break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "unknown (0x%X)", static_cast<unsigned>(state));
  return buf;
}

bool CbsStateMeansPresent(uint32_t state) {
  return state == 0x50 || state == 0x70 || state == 0x80;
}

bool CbsStateMeansPending(uint32_t state) {
  return state == 0x05 || state == 0x30 || state == 0x40 || state == 0x60 || state == 0x65;
}

std::string KbFromPackageName(const std::string& name) {
  // The identity part ends at the first '~'; the KB number sits in it after "_for_".
  const std::string head = name.substr(0, name.find('~'));
  for (size_t i = 0; i + 2 < head.size(); ++i) {
    bool at_token = (i == 0 || head[i - 1] == '_' || head[i - 1] == '-');
    if (!at_token) continue;
    if (std::toupper(static_cast<unsigned char>(head[i])) != 'K' ||
        std::toupper(static_cast<unsigned char>(head[i + 1])) != 'B')
      continue;
    size_t end = i + 2;
    while (end < head.size() && std::isdigit(static_cast<unsigned char>(head[end]))) ++end;
    if (end - (i + 2) >= 6 && end - (i + 2) <= 8) {
      return "KB" + head.substr(i + 2, end - (i + 2));
    }
  }
  return "";
}

}  // namespace otharden
