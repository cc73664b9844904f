// A HostSnapshot as XML: the <snapshot> element embedded in apply reports
// (role="before" / "after") and written alone by `otharden snapshot`.
#pragma once

#include <string>

#include "toolkit/model/snapshot.h"
#include "toolkit/model/status.h"

namespace tinyxml2 {
class XMLElement;
}

namespace otharden {

// Appends <snapshot role="ROLE" utc="..."> with os, updates, services and
// firewall to `parent`.
void AppendSnapshotXml(tinyxml2::XMLElement* parent, const HostSnapshot& snapshot, const char* role);

// Reads a <snapshot> element back; errors are kInvalidInput "PATH:LINE: problem".
Result<HostSnapshot> ReadSnapshotElement(const std::string& path, const tinyxml2::XMLElement* element);

// Appends <differences count="N"><difference area item before after/>...</differences>.
void AppendDifferencesXml(tinyxml2::XMLElement* parent, const std::vector<SnapshotDifference>& differences);

// The snapshot(s) a file holds, for `diff`: a snapshot file (one), an apply
// report (before and after), a check report (none: an error saying so).
struct SnapshotFile {
  std::string path;
  std::string kind;  // "snapshot", "apply"
  std::vector<std::pair<std::string, HostSnapshot>> snapshots;  // (role, snapshot) in file order
};
Result<SnapshotFile> ReadSnapshotFile(const std::string& path);

}  // namespace otharden
