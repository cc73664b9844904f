// An apply report as one HTML page, for the officer: the outcome first, then
// the signature, the overrides, what each planned change became, and what else
// changed.
#pragma once

#include <string>

#include "toolkit/report/apply_report.h"
#include "toolkit/report/html_report.h"

namespace otharden {

std::string RenderApplyReportHtml(const ApplyReportData& report, const SignatureStatus& signature,
                                  const std::string& report_name);

}  // namespace otharden
