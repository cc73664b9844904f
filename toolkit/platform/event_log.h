// The Windows Application event log, so a site's log collection sees what
// otharden did (source "otharden").
#pragma once

#include <string>

#include "toolkit/model/status.h"

namespace otharden {

enum class EventKind { kSuccess, kWarning, kError };

// Event IDs otharden writes.
constexpr unsigned kEventApplied = 1000;       // apply made every change as planned
constexpr unsigned kEventAlreadyMatched = 1001;
constexpr unsigned kEventRolledBack = 1002;    // apply failed and was rolled back
constexpr unsigned kEventFailed = 1003;        // apply failed and was not fully rolled back
constexpr unsigned kEventRecovered = 1004;     // recover undid an interrupted apply
constexpr unsigned kEventRolledBackFromReport = 1005;

// Writes one entry (RegisterEventSourceW + ReportEventW). otharden registers
// no message file, so Event Viewer shows the text under "the following
// information was included with the event". kNotSupported off Windows.
Status WriteApplicationEvent(EventKind kind, unsigned event_id, const std::string& text);

}  // namespace otharden
