// The parts every otharden report shares, written one way for all kinds
// (check, snapshot, apply): the root with <tool> and <run>, the OS identity
// (<os>) and the installed updates (<updates>).
#pragma once

#include <string>
#include <vector>

#include <tinyxml2.h>

#include "toolkit/model/os_identity.h"
#include "toolkit/model/update.h"
#include "toolkit/report/report_xml.h"

namespace otharden {

// A new last child element `name` of `parent`.
tinyxml2::XMLElement* AppendChild(tinyxml2::XMLElement* parent, const char* name);

// Adds the XML declaration and <otharden-report format kind> with <tool> and
// <run> to the empty `doc`; returns the root for the kind's own content.
tinyxml2::XMLElement* AppendReportRoot(tinyxml2::XMLDocument* doc, const char* kind,
                                       const ReportContext& context);

// <os version service-pack ...> with rtl-get-version, registry and kernel.
void AppendOsXml(tinyxml2::XMLElement* parent, const OsIdentity& os);

// <updates source="component-based-servicing" count="N"> with one <package> each.
void AppendUpdatesXml(tinyxml2::XMLElement* parent, const std::vector<CbsPackage>& packages);

// The document as UTF-8 text, as every report is written. C0 control
// characters other than tab, LF and CR (not allowed in XML 1.0, even escaped)
// in host text become U+FFFD first.
std::string PrintXml(tinyxml2::XMLDocument* doc);

}  // namespace otharden
