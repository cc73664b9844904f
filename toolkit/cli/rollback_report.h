// `otharden rollback --report R.xml`: restore the before state a signed apply
// report recorded, on a later visit.
#pragma once

#include <string>

namespace otharden {

struct RollbackFromReportArgs {
  std::string report_path;
  std::string trusted_dir, pub_path;  // keys to verify the report with
  bool force = false;                 // also restore settings changed since the report
};

// Verifies the report's signature first; refuses a report from another host;
// shows and skips settings changed since the report unless `force`. The
// restore is journalled like an apply (recover can undo it). Returns the exit code.
int RollbackFromReport(const RollbackFromReportArgs& args);

}  // namespace otharden
