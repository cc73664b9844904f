#include "toolkit/report/report_parts_xml.h"

namespace otharden {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

void SetOptional(XMLElement* el, const char* name, const std::optional<std::string>& value) {
  if (value) el->SetAttribute(name, value->c_str());
}

}  // namespace

XMLElement* AppendChild(XMLElement* parent, const char* name) { return parent->InsertNewChildElement(name); }

XMLElement* AppendReportRoot(XMLDocument* doc, const char* kind, const ReportContext& context) {
  doc->InsertEndChild(doc->NewDeclaration());
  XMLElement* root = doc->NewElement("otharden-report");
  doc->InsertEndChild(root);
  root->SetAttribute("format", kReportFormatVersion);
  root->SetAttribute("kind", kind);

  XMLElement* tool_el = AppendChild(root, "tool");
  tool_el->SetAttribute("name", "otharden");
  tool_el->SetAttribute("version", context.tool.version.c_str());
  tool_el->SetAttribute("target", context.tool.target.c_str());
  tool_el->SetAttribute("build", context.tool.build.c_str());
  if (!context.tool_sha256.empty()) tool_el->SetAttribute("sha256", context.tool_sha256.c_str());

  XMLElement* run = AppendChild(root, "run");
  run->SetAttribute("command", context.command.c_str());
  run->SetAttribute("utc", context.time.Iso8601().c_str());
  if (!context.operator_name.empty()) run->SetAttribute("operator", context.operator_name.c_str());
  return root;
}

void AppendOsXml(XMLElement* parent, const OsIdentity& os) {
  XMLElement* el = AppendChild(parent, "os");
  el->SetAttribute("version", RtlVersionString(os.rtl).c_str());
  el->SetAttribute("service-pack", os.rtl.service_pack_major);
  el->SetAttribute("product-type", ProductTypeName(os.rtl.product_type));
  el->SetAttribute("architecture", ArchitectureName(os.native_architecture));
  el->SetAttribute("process-architecture", ArchitectureName(os.process_architecture));

  XMLElement* rtl = AppendChild(el, "rtl-get-version");
  rtl->SetAttribute("major", os.rtl.major);
  rtl->SetAttribute("minor", os.rtl.minor);
  rtl->SetAttribute("build", os.rtl.build);
  rtl->SetAttribute("csd", os.rtl.csd.c_str());
  rtl->SetAttribute("service-pack-major", os.rtl.service_pack_major);
  rtl->SetAttribute("service-pack-minor", os.rtl.service_pack_minor);
  rtl->SetAttribute("product-type", ProductTypeName(os.rtl.product_type));

  XMLElement* reg = AppendChild(el, "registry");
  SetOptional(reg, "current-version", os.registry.current_version);
  SetOptional(reg, "current-build-number", os.registry.current_build_number);
  SetOptional(reg, "csd-version", os.registry.csd_version);
  SetOptional(reg, "build-lab", os.registry.build_lab);
  SetOptional(reg, "build-lab-ex", os.registry.build_lab_ex);
  SetOptional(reg, "product-name", os.registry.product_name);

  XMLElement* kernel = AppendChild(el, "kernel");
  kernel->SetAttribute("path", os.kernel_path.c_str());
  if (os.kernel_file_version) {
    kernel->SetAttribute("file-version", os.kernel_file_version->ToString().c_str());
  } else {
    kernel->SetAttribute("error", os.kernel_error.c_str());
  }
}

void AppendUpdatesXml(XMLElement* parent, const std::vector<CbsPackage>& packages) {
  XMLElement* updates = AppendChild(parent, "updates");
  updates->SetAttribute("source", "component-based-servicing");
  updates->SetAttribute("count", static_cast<unsigned>(packages.size()));
  for (const CbsPackage& p : packages) {
    XMLElement* el = AppendChild(updates, "package");
    el->SetAttribute("name", p.name.c_str());
    if (!p.kb.empty()) el->SetAttribute("kb", p.kb.c_str());
    el->SetAttribute("state", CbsStateName(p.current_state).c_str());
    el->SetAttribute("state-code", p.current_state);
  }
}

namespace {

// XML 1.0 allows no C0 control character but tab, LF and CR, even escaped;
// tinyxml2 writes them as they are. Text read from the host (service and rule
// names, registry values, error messages) may hold them, and one would make the
// whole report unreadable by XML tools: each becomes U+FFFD.
std::string XmlCharsOnly(const char* text) {
  std::string out;
  for (const char* p = text; *p; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += "\xEF\xBF\xBD";
    } else {
      out += *p;
    }
  }
  return out;
}

void KeepToXmlChars(tinyxml2::XMLElement* el) {
  for (const tinyxml2::XMLAttribute* a = el->FirstAttribute(); a; a = a->Next()) {
    const std::string clean = XmlCharsOnly(a->Value());
    if (clean != a->Value()) el->SetAttribute(a->Name(), clean.c_str());
  }
  for (tinyxml2::XMLNode* n = el->FirstChild(); n; n = n->NextSibling()) {
    if (tinyxml2::XMLElement* child = n->ToElement()) {
      KeepToXmlChars(child);
    } else if (n->ToText()) {
      const std::string clean = XmlCharsOnly(n->Value());
      if (clean != n->Value()) n->SetValue(clean.c_str());
    }
  }
}

}  // namespace

std::string PrintXml(XMLDocument* doc) {
  if (doc->RootElement()) KeepToXmlChars(doc->RootElement());
  tinyxml2::XMLPrinter printer;
  doc->Print(&printer);
  return printer.CStr();
}

}  // namespace otharden
