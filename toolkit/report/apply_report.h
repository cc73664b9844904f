// The apply report (kind="apply"): who applied which profile, with which
// parameters and overrides, to which host; the full before snapshot, the plan,
// what became of each change, the after snapshot, the differences and the
// outcome. Written by `apply` (signed), read back by `rollback --report`,
// `diff` and `report render`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "toolkit/engine/apply_transaction.h"
#include "toolkit/model/snapshot.h"
#include "toolkit/report/report_xml.h"
#include "toolkit/spec/profile.h"

namespace otharden {

struct ApplyReportData {
  ReportContext context;
  std::string profile_name, profile_title;
  DocumentRef profile_file;
  std::string policy_name, policy_title;
  DocumentRef policy_file;
  std::string policy_result;    // "compliant" / "not-compliant"
  std::string policy_failures;  // the failed findings, when not compliant
  std::vector<ParameterValue> parameters;
  // The stick and the profile's signature (issue 7's gate).
  std::string media_root;
  bool media_verified = false;
  std::string media_detail;
  bool profile_signed = false;
  std::string profile_signature_detail;
  // Safety checks the technician overrode: (option, what it let through).
  std::vector<std::pair<std::string, std::string>> overrides;
  HostSnapshot before;
  std::vector<PlannedAction> actions;
  std::optional<HostSnapshot> after;
  std::vector<SnapshotDifference> differences;  // before -> after
  std::vector<SnapshotDifference> unplanned;    // of those, the ones no action explains
  std::string journal;                          // the journal's path; empty when nothing was changed
  std::string verdict;  // applied / already-matched / deviated / rolled-back / failed
  std::string message;  // what failed, when it did
};

// UTF-8 XML with declaration, valid against otharden-report.xsd.
std::string ApplyReportXml(const ApplyReportData& report);

// Reads an apply report back; errors are kInvalidInput "PATH:LINE: problem".
Result<ApplyReportData> ParseApplyReport(const std::string& path, const std::string& text);

// The report kind ("check", "apply", "snapshot") of an otharden report, or an
// error saying the file is not one.
Result<std::string> ReportKind(const std::string& path, const std::string& text);

}  // namespace otharden
