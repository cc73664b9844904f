// Writing signed reports, shared by the commands that produce them.
#pragma once

#include <string>

#include "toolkit/report/report_xml.h"
#include "toolkit/sign/minisign.h"

namespace otharden {

// The context of a report written now by this executable: tool identity and
// SHA-256 of the running executable, UTC time, command, operator.
ReportContext CurrentReportContext(const std::string& command, const std::string& operator_name);

// Writes DIR/<host>-<time>-<command>.xml and its .minisig (both atomically),
// signed by `key` with a trusted comment naming host, time, command and
// verdict. Returns the report's path.
Result<std::string> WriteSignedReport(const std::string& dir, const std::string& host,
                                      const ReportContext& context, const std::string& verdict,
                                      const std::string& xml, const SecretKey& key);

}  // namespace otharden
