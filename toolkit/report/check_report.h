// The XML form of a check result: the first part of otharden's one report format
// (root <otharden-report format="1">), extended by later commands.
#pragma once

#include <string>

#include "toolkit/engine/check.h"
#include "toolkit/model/tool_identity.h"
#include "toolkit/spec/policy.h"

namespace otharden {

// Current report format version, carried by the root element.
constexpr int kReportFormatVersion = 1;

// The whole result as an XML document (UTF-8, with declaration), for
// `check --format xml`.
std::string CheckResultToXml(const CheckResult& result, const Policy& policy,
                             const ToolIdentity& tool);

}  // namespace otharden
