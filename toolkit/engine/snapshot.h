// Taking a snapshot of a host through the Host contract.
#pragma once

#include "toolkit/model/snapshot.h"
#include "toolkit/model/status.h"
#include "toolkit/platform/host.h"

namespace otharden {

// Reads OS identity, CBS packages, every service and the firewall. A firewall
// that cannot be read is recorded (firewall_error), not an error; an OS that
// cannot be read is.
Result<HostSnapshot> TakeSnapshot(Host& host);

}  // namespace otharden
