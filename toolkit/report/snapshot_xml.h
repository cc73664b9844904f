// A HostSnapshot as XML: the <snapshot> element embedded in apply reports
// (role="before" / "after") and written alone by `otharden snapshot`.
#pragma once

#include <string>

#include "toolkit/model/snapshot.h"
#include "toolkit/model/status.h"
#include "toolkit/report/report_xml.h"

namespace tinyxml2 {
class XMLElement;
}

namespace otharden {

// Appends <snapshot role="ROLE" utc="..."> with os, updates, services and
// firewall to `parent`.
void AppendSnapshotXml(tinyxml2::XMLElement* parent, const HostSnapshot& snapshot, const char* role);

// Reads a <snapshot> element back; errors are kInvalidInput "PATH:LINE: problem".
Result<HostSnapshot> ReadSnapshotElement(const std::string& path, const tinyxml2::XMLElement* element);

// The whole report `otharden snapshot` writes: <otharden-report kind="snapshot">
// with <tool>, <run> and one <snapshot role="current">.
std::string SnapshotReportXml(const HostSnapshot& snapshot, const ReportContext& context);

// Appends <differences count="N"><difference area item before after/>...</differences>.
void AppendDifferencesXml(tinyxml2::XMLElement* parent, const std::vector<SnapshotDifference>& differences);

// The snapshot(s) a file holds, for `diff`: a snapshot file (one), an apply
// report (its <snapshot> children: before and after), a check report (none:
// an error saying so). Errors are kInvalidInput "PATH:LINE: problem" (kIoError
// for a file that cannot be read).
struct SnapshotFile {
  std::string path;
  std::string kind;  // "snapshot", "apply"
  std::vector<std::pair<std::string, HostSnapshot>> snapshots;  // (role, snapshot) in file order
};
Result<SnapshotFile> ReadSnapshotFile(const std::string& path);
// The same for a file already read (so that the bytes whose signature was
// verified are the bytes that are parsed).
Result<SnapshotFile> ParseSnapshotFile(const std::string& path, const std::string& text);

// Reports can carry thousands of services, rules and packages; still far below this.
constexpr size_t kMaxSnapshotFileBytes = 64 * 1024 * 1024;

}  // namespace otharden
