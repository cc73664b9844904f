#include "toolkit/cli/report_output.h"

#include <filesystem>

#include "toolkit/cli/tool_info.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/process.h"
#include "toolkit/report/report_files.h"
#include "toolkit/sign/digest.h"

namespace otharden {

ReportContext CurrentReportContext(const std::string& command, const std::string& operator_name) {
  ReportContext context;
  context.tool = ThisTool();
  if (Result<std::string> exe = ExecutablePath(); exe.ok()) {
    if (Result<std::string> hash = Sha256HexOfFile(*exe); hash.ok()) context.tool_sha256 = *hash;
  }
  context.operator_name = operator_name;
  context.time = UtcTime::Now();
  context.command = command;
  return context;
}

Result<std::string> WriteSignedReport(const std::string& dir, const std::string& host,
                                      const ReportContext& context, const std::string& verdict,
                                      const std::string& xml, const SecretKey& key) {
  Status s = EnsureDirectory(dir);
  if (!s.ok()) return s;
  const std::string name = ReportFileName(host, context.time, context.command);
  const std::string path = (std::filesystem::u8path(dir) / name).u8string();
  Result<std::string> signature =
      SignData(key, xml, ReportTrustedComment(context.command, host, context.time, verdict, name));
  if (!signature.ok()) return signature.status();
  // The report first, then its signature: a report without a .minisig is
  // visibly unsigned; a .minisig without its report cannot mislead anyone.
  if (!(s = WriteFileAtomically(path, xml)).ok()) return s;
  if (!(s = WriteFileAtomically(path + ".minisig", *signature)).ok()) return s;
  return path;
}

}  // namespace otharden
