// A report as one self-contained HTML page for people: verdict first, then
// whether the signature verified, then the evidence. No scripts, no external
// resources; every text from the report is escaped.
#pragma once

#include <string>

#include "toolkit/report/report_reader.h"

namespace otharden {

// What checking the report's signature showed.
struct SignatureStatus {
  enum class State { kVerified, kInvalid, kMissing, kNotChecked };
  State state = State::kNotChecked;
  std::string key_id;           // kVerified / kInvalid: the signature's key id
  std::string trusted_comment;  // kVerified
  std::string detail;           // why it is invalid, missing or not checked
};

std::string RenderCheckReportHtml(const CheckReport& report, const SignatureStatus& signature,
                                  const std::string& report_name);

// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string HtmlEscape(const std::string& text);

}  // namespace otharden
