// otharden's one report format: an XML document, root
// <otharden-report format="1" kind="...">, described by
// toolkit/report/otharden-report.xsd. `check` writes its part now; plans,
// actions and snapshots extend it.
#pragma once

#include <string>

#include "toolkit/engine/check.h"
#include "toolkit/model/tool_identity.h"
#include "toolkit/model/utc_time.h"
#include "toolkit/spec/policy.h"

namespace otharden {

// Current report format version, carried by the root element.
constexpr int kReportFormatVersion = 1;

// Who wrote a report, with what, when and how.
struct ReportContext {
  ToolIdentity tool;
  std::string tool_sha256;    // SHA-256 of the running executable; empty if unreadable
  std::string operator_name;  // --operator; empty when not given
  UtcTime time;
  std::string command;        // "check"
};

// A file the report relies on (a policy, a profile), by path and content hash.
struct DocumentRef {
  std::string file;    // the path it was read from
  std::string sha256;  // of the file's bytes
};

// The whole check result as a report (UTF-8 XML with declaration). All host
// text is escaped by the XML writer.
std::string CheckReportXml(const CheckResult& result, const Policy& policy,
                           const DocumentRef& policy_file, const ReportContext& context);

}  // namespace otharden
