// Reading a report back (for rendering, and later for comparing visits and
// rolling back): strict, so a report that is not what it claims to be is
// refused with the file, line and problem.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/status.h"

namespace otharden {

struct ReportFinding {
  std::string id, outcome, title, evidence, remedy;  // outcome: pass / warn / fail
};

struct ReportPackage {
  std::string name, kb, state;
};

// A check report as written by CheckReportXml.
struct CheckReport {
  std::string tool_version, tool_target, tool_build, tool_sha256;
  std::string command, utc, operator_name;
  std::string host_name, membership;  // membership: "workgroup X" or "domain X"
  std::string os_version, service_pack, product_type, architecture, product_name;
  std::string kernel_version, kernel_error;
  std::vector<ReportPackage> packages;
  std::string policy_name, policy_title, policy_file, policy_sha256;
  std::vector<ReportFinding> findings;
  std::optional<int> months_behind;
  std::string latest_rollup, final_rollup;  // "KB5014010 (2022-05)"
  std::string verdict;                      // compliant / not-compliant
  int pass = 0, warn = 0, fail = 0;
};

// Parses and checks a report's structure. Errors are kInvalidInput
// "PATH:LINE: problem", including a format version this build cannot read.
Result<CheckReport> ParseCheckReport(const std::string& path, const std::string& text);

}  // namespace otharden
