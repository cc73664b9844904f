#include "toolkit/report/report_parts_xml.h"

namespace otharden {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

XMLElement* Child(XMLElement* parent, const char* name) { return parent->InsertNewChildElement(name); }

void SetOptional(XMLElement* el, const char* name, const std::optional<std::string>& value) {
  if (value) el->SetAttribute(name, value->c_str());
}

}  // namespace

XMLElement* AppendReportRoot(XMLDocument* doc, const char* kind, const ReportContext& context) {
  doc->InsertEndChild(doc->NewDeclaration());
  XMLElement* root = doc->NewElement("otharden-report");
  doc->InsertEndChild(root);
  root->SetAttribute("format", kReportFormatVersion);
  root->SetAttribute("kind", kind);

  XMLElement* tool_el = Child(root, "tool");
  tool_el->SetAttribute("name", "otharden");
  tool_el->SetAttribute("version", context.tool.version.c_str());
  tool_el->SetAttribute("target", context.tool.target.c_str());
  tool_el->SetAttribute("build", context.tool.build.c_str());
  if (!context.tool_sha256.empty()) tool_el->SetAttribute("sha256", context.tool_sha256.c_str());

  XMLElement* run = Child(root, "run");
  run->SetAttribute("command", context.command.c_str());
  run->SetAttribute("utc", context.time.Iso8601().c_str());
  if (!context.operator_name.empty()) run->SetAttribute("operator", context.operator_name.c_str());
  return root;
}

void AppendOsXml(XMLElement* parent, const OsIdentity& os) {
  XMLElement* el = Child(parent, "os");
  el->SetAttribute("version", RtlVersionString(os.rtl).c_str());
  el->SetAttribute("service-pack", os.rtl.service_pack_major);
  el->SetAttribute("product-type", ProductTypeName(os.rtl.product_type));
  el->SetAttribute("architecture", ArchitectureName(os.native_architecture));
  el->SetAttribute("process-architecture", ArchitectureName(os.process_architecture));

  XMLElement* rtl = Child(el, "rtl-get-version");
  rtl->SetAttribute("major", os.rtl.major);
  rtl->SetAttribute("minor", os.rtl.minor);
  rtl->SetAttribute("build", os.rtl.build);
  rtl->SetAttribute("csd", os.rtl.csd.c_str());
  rtl->SetAttribute("service-pack-major", os.rtl.service_pack_major);
  rtl->SetAttribute("service-pack-minor", os.rtl.service_pack_minor);
  rtl->SetAttribute("product-type", ProductTypeName(os.rtl.product_type));

  XMLElement* reg = Child(el, "registry");
  SetOptional(reg, "current-version", os.registry.current_version);
  SetOptional(reg, "current-build-number", os.registry.current_build_number);
  SetOptional(reg, "csd-version", os.registry.csd_version);
  SetOptional(reg, "build-lab", os.registry.build_lab);
  SetOptional(reg, "build-lab-ex", os.registry.build_lab_ex);
  SetOptional(reg, "product-name", os.registry.product_name);

  XMLElement* kernel = Child(el, "kernel");
  kernel->SetAttribute("path", os.kernel_path.c_str());
  if (os.kernel_file_version) {
    kernel->SetAttribute("file-version", os.kernel_file_version->ToString().c_str());
  } else {
    kernel->SetAttribute("error", os.kernel_error.c_str());
  }
}

void AppendUpdatesXml(XMLElement* parent, const std::vector<CbsPackage>& packages) {
  XMLElement* updates = Child(parent, "updates");
  updates->SetAttribute("source", "component-based-servicing");
  updates->SetAttribute("count", static_cast<unsigned>(packages.size()));
  for (const CbsPackage& p : packages) {
    XMLElement* el = Child(updates, "package");
    el->SetAttribute("name", p.name.c_str());
    if (!p.kb.empty()) el->SetAttribute("kb", p.kb.c_str());
    el->SetAttribute("state", CbsStateName(p.current_state).c_str());
    el->SetAttribute("state-code", p.current_state);
  }
}

std::string PrintXml(const XMLDocument& doc) {
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return printer.CStr();
}

}  // namespace otharden
