#include "toolkit/platform/event_log.h"

namespace otharden {

Status WriteApplicationEvent(EventKind, unsigned, const std::string&) {
  return Status::NotSupported("no Windows event log on this build");
}

}  // namespace otharden
