// A report as one self-contained HTML page for people: verdict first, then
// whether the signature verified, then the evidence. No scripts, no external
// resources; every text from the report is escaped.
#pragma once

#include <string>

#include "toolkit/model/snapshot.h"
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

// One <tr><th>name</th><td>value</td></tr> row of a page's tables, both escaped;
// `mono` sets the value in a fixed-width font (hashes, keys, paths).
std::string HtmlRow(const std::string& name, const std::string& value, bool mono = false);

// The signature banner every page shows under its verdict.
std::string HtmlSignatureBanner(const SignatureStatus& signature);
// The pages' shared CSS.
const char* HtmlReportStyle();

std::string RenderCheckReportHtml(const CheckReport& report, const SignatureStatus& signature,
                                  const std::string& report_name);

// One side of a comparison, as the diff page names it.
struct DiffSide {
  std::string file;   // the file's name
  std::string label;  // "snapshot", "before", "after"
  std::string host;
  std::string utc;
  SignatureStatus signature;
};

// The differences between two snapshots as a page: the verdict (how many
// differences, or none) first, then both sides and their signatures, then the
// differences grouped by area.
std::string RenderDiffHtml(const std::vector<SnapshotDifference>& differences, const DiffSide& before,
                           const DiffSide& after);

// "service", "firewall rule", ...: how text and pages name a difference's area.
std::string DifferenceAreaLabel(const std::string& area);

// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string HtmlEscape(const std::string& text);

}  // namespace otharden
