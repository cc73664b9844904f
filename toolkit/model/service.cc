#include "toolkit/model/service.h"

#include <cctype>

namespace otharden {

const char* StartTypeName(ServiceStartType type) {
  switch (type) {
    case ServiceStartType::kBoot: return "boot";
    case ServiceStartType::kSystem: return "system";
    case ServiceStartType::kAuto: return "auto";
    case ServiceStartType::kDemand: return "manual";
    case ServiceStartType::kDisabled: return "disabled";
  }
  return "?";
}

std::optional<ServiceStartType> ParseStartType(const std::string& text) {
  for (ServiceStartType t : {ServiceStartType::kBoot, ServiceStartType::kSystem, ServiceStartType::kAuto,
                             ServiceStartType::kDemand, ServiceStartType::kDisabled}) {
    if (text == StartTypeName(t)) return t;
  }
  return std::nullopt;
}

std::string StartDescription(ServiceStartType type, std::optional<bool> delayed) {
  std::string text = StartTypeName(type);
  if (type == ServiceStartType::kAuto && delayed.value_or(false)) text += " (delayed)";
  return text;
}

bool SameServiceName(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace otharden
