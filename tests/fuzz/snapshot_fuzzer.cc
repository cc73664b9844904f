// libFuzzer target: a snapshot or apply report as `diff` reads its snapshots.
// An accepted snapshot compares equal to itself (DiffSnapshots finds nothing).
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/report/snapshot_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::SnapshotFile> file = otharden::ParseSnapshotFile("fuzz.xml", text);
  if (!file.ok()) {
    if (file.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (const auto& [role, snapshot] : file->snapshots) {
    if (!otharden::DiffSnapshots(snapshot, snapshot).empty()) __builtin_trap();
  }
  return 0;
}
