#include "toolkit/report/snapshot_xml.h"

#include <cstdio>
#include <cstring>
#include <limits>

#include <tinyxml2.h>

#include "toolkit/report/report_parts_xml.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

using tinyxml2::XMLElement;

const char* TrueFalse(bool value) { return value ? "true" : "false"; }

const char* DefaultActionName(FirewallAction action) {
  // Profiles default to allow or block only; INetFwPolicy2 has no "bypass" default.
  return action == FirewallAction::kAllow ? "allow" : "block";
}

// ---------------------------------------------------------------- writing

void WriteServices(XMLElement* parent, const std::vector<ServiceConfig>& services) {
  XMLElement* list = AppendChild(parent, "services");
  list->SetAttribute("count", static_cast<unsigned>(services.size()));
  for (const ServiceConfig& s : services) {
    XMLElement* el = AppendChild(list, "service");
    el->SetAttribute("name", s.name.c_str());
    el->SetAttribute("display-name", s.display_name.c_str());
    el->SetAttribute("start", StartTypeName(s.start));
    el->SetAttribute("delayed-auto-start", s.delayed_auto_start ? TrueFalse(*s.delayed_auto_start) : "unknown");
    el->SetAttribute("running", TrueFalse(s.running));
    el->SetAttribute("accepts-stop", TrueFalse(s.accepts_stop));
  }
}

void WriteFirewall(XMLElement* parent, const HostSnapshot& snapshot) {
  if (!snapshot.firewall) {
    AppendChild(parent, "firewall-unreadable")->SetAttribute("error", snapshot.firewall_error.c_str());
    return;
  }
  const FirewallSnapshot& fw = *snapshot.firewall;
  XMLElement* el = AppendChild(parent, "firewall");
  std::string current;
  for (FirewallProfile p : kAllFirewallProfiles) {
    if (fw.current_profiles & static_cast<uint32_t>(p)) {
      current += (current.empty() ? "" : " ") + std::string(FirewallProfileName(p));
    }
  }
  el->SetAttribute("current-profiles", current.c_str());
  el->SetAttribute("rule-count", static_cast<unsigned>(fw.rules.size()));
  for (const FirewallProfileState& p : fw.profiles) {
    XMLElement* profile = AppendChild(el, "profile");
    profile->SetAttribute("name", FirewallProfileName(p.profile));
    profile->SetAttribute("enabled", TrueFalse(p.enabled));
    profile->SetAttribute("default-inbound", DefaultActionName(p.default_inbound));
    profile->SetAttribute("default-outbound", DefaultActionName(p.default_outbound));
  }
  // An attribute, not element text: readers collapse whitespace in text, and
  // the rule string must come back byte for byte.
  for (const FirewallRule& r : fw.rules) AppendChild(el, "rule")->SetAttribute("text", FormatFirewallRule(r).c_str());
}

// ---------------------------------------------------------------- reading

class SnapshotReader {
 public:
  explicit SnapshotReader(const std::string& path) : xml_(path) {}

  Result<HostSnapshot> Read(const XMLElement* el) {
    Status s = xml_.CheckShape(el, {"role", "utc", "host", "workgroup", "domain"},
                               {"os", "updates", "services", "firewall", "firewall-unreadable"});
    if (!s.ok()) return s;
    if (!(s = Required(el, "role", nullptr)).ok()) return s;
    std::string utc;
    if (!(s = Required(el, "utc", &utc)).ok()) return s;
    if (!ParseUtc(utc, &r_.time)) return xml_.ErrorAt(el, "utc '" + utc + "' is not a time like 2026-11-22T00:45:12Z");
    if (!(s = Required(el, "host", &r_.os.host_name)).ok()) return s;
    const std::optional<std::string> domain = xml_.Attribute(el, "domain");
    const std::optional<std::string> workgroup = xml_.Attribute(el, "workgroup");
    if (domain && workgroup) return xml_.ErrorAt(el, "<snapshot> has both a domain and a workgroup");
    r_.os.domain_joined = domain.has_value();
    r_.os.domain_or_workgroup = domain ? *domain : workgroup.value_or("");

    const XMLElement* child = nullptr;
    if (!(s = Single(el, "os", &child)).ok() || !(s = ReadOs(child)).ok()) return s;
    if (!(s = Single(el, "updates", &child)).ok() || !(s = ReadUpdates(child)).ok()) return s;
    if (!(s = Single(el, "services", &child)).ok() || !(s = ReadServices(child)).ok()) return s;
    const XMLElement* firewall = el->FirstChildElement("firewall");
    const XMLElement* unreadable = el->FirstChildElement("firewall-unreadable");
    if ((firewall != nullptr) == (unreadable != nullptr)) {
      return xml_.ErrorAt(el, "<snapshot> needs either <firewall> or <firewall-unreadable>");
    }
    if (firewall) {
      if (!(s = Single(el, "firewall", &child)).ok() || !(s = ReadFirewall(child)).ok()) return s;
    } else {
      if (!(s = Single(el, "firewall-unreadable", &child)).ok()) return s;
      if (!(s = xml_.CheckShape(child, {"error"}, {})).ok()) return s;
      if (!(s = Required(child, "error", &r_.firewall_error, /*allow_empty=*/true)).ok()) return s;
    }
    return std::move(r_);
  }

 private:
  Status Single(const XMLElement* parent, const char* name, const XMLElement** out) {
    *out = parent->FirstChildElement(name);
    if (!*out) return xml_.ErrorAt(parent, std::string("<") + parent->Name() + "> has no <" + name + ">");
    if ((*out)->NextSiblingElement(name)) {
      return xml_.ErrorAt((*out)->NextSiblingElement(name),
                          std::string("more than one <") + name + "> in <" + parent->Name() + ">");
    }
    return Status::Ok();
  }

  Status Required(const XMLElement* el, const char* name, std::string* out, bool allow_empty = false) {
    const char* value = el->Attribute(name);
    if (!value || (!*value && !allow_empty)) {
      return xml_.ErrorAt(el, std::string("<") + el->Name() + "> needs a" + (allow_empty ? "" : " non-empty") +
                                  " '" + name + "' attribute");
    }
    if (out) *out = value;
    return Status::Ok();
  }

  // Digits only, no sign, no spaces, at most `max`.
  Status Unsigned(const XMLElement* el, const char* name, uint64_t max, uint64_t* out) {
    std::string text;
    Status s = Required(el, name, &text);
    if (!s.ok()) return s;
    uint64_t value = 0;
    bool valid = text.size() <= 20;
    for (char c : text) {
      if (c < '0' || c > '9' || value > (std::numeric_limits<uint64_t>::max() - 9) / 10) {
        valid = false;
        break;
      }
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!valid || value > max) {
      return xml_.ErrorAt(el, std::string("'") + name + "' on <" + el->Name() + "> is '" + text +
                                  "', not a number from 0 to " + std::to_string(max));
    }
    *out = value;
    return Status::Ok();
  }

  Status Bool(const XMLElement* el, const char* name, bool* out) {
    std::string text;
    Status s = Required(el, name, &text);
    if (!s.ok()) return s;
    if (text != "true" && text != "false") {
      return xml_.ErrorAt(el, std::string("'") + name + "' on <" + el->Name() + "> is '" + text +
                                  "', not true or false");
    }
    *out = text == "true";
    return Status::Ok();
  }

  static bool ParseUtc(const std::string& text, UtcTime* out) {
    UtcTime t;
    char z = 0, extra = 0;
    if (text.size() != 20 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &t.year, &t.month, &t.day,
                                         &t.hour, &t.minute, &t.second, &z, &extra) != 7 ||
        z != 'Z') {
      return false;
    }
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 || t.second > 60 ||
        t.Iso8601() != text) {
      return false;
    }
    *out = t;
    return true;
  }

  Status ReadOs(const XMLElement* os) {
    Status s = xml_.CheckShape(os, {"version", "service-pack", "product-type", "architecture", "process-architecture"},
                               {"rtl-get-version", "registry", "kernel"});
    if (!s.ok()) return s;
    // version, service-pack and product-type repeat rtl-get-version for readers;
    // they are checked for presence and taken from rtl-get-version.
    for (const char* name : {"version", "service-pack", "product-type"}) {
      if (!(s = Required(os, name, nullptr)).ok()) return s;
    }
    for (auto [name, out] : {std::pair<const char*, Architecture*>{"architecture", &r_.os.native_architecture},
                             {"process-architecture", &r_.os.process_architecture}}) {
      std::string text;
      if (!(s = Required(os, name, &text)).ok()) return s;
      std::optional<Architecture> arch =
          text == ArchitectureName(Architecture::kUnknown) ? Architecture::kUnknown : ParseArchitecture(text);
      if (!arch) return xml_.ErrorAt(os, std::string(name) + " '" + text + "' is not x86, x64, ia64, arm, arm64 or unknown");
      *out = *arch;
    }

    const XMLElement* el = nullptr;
    if (!(s = Single(os, "rtl-get-version", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"major", "minor", "build", "csd", "service-pack-major", "service-pack-minor",
                                   "product-type"},
                              {})).ok())
      return s;
    KernelVersionInfo& rtl = r_.os.rtl;
    uint64_t n = 0;
    for (auto [name, out] : {std::pair<const char*, uint32_t*>{"major", &rtl.major}, {"minor", &rtl.minor},
                             {"build", &rtl.build}}) {
      if (!(s = Unsigned(el, name, 0xFFFFFFFFu, &n)).ok()) return s;
      *out = static_cast<uint32_t>(n);
    }
    for (auto [name, out] : {std::pair<const char*, uint16_t*>{"service-pack-major", &rtl.service_pack_major},
                             {"service-pack-minor", &rtl.service_pack_minor}}) {
      if (!(s = Unsigned(el, name, 0xFFFFu, &n)).ok()) return s;
      *out = static_cast<uint16_t>(n);
    }
    if (!(s = Required(el, "csd", &rtl.csd, /*allow_empty=*/true)).ok()) return s;
    std::string product;
    if (!(s = Required(el, "product-type", &product)).ok()) return s;
    std::optional<ProductType> type =
        product == ProductTypeName(ProductType::kUnknown) ? ProductType::kUnknown : ParseProductType(product);
    if (!type) return xml_.ErrorAt(el, "product-type '" + product + "' is not workstation, server, domain-controller or unknown");
    rtl.product_type = *type;

    if (!(s = Single(os, "registry", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"current-version", "current-build-number", "csd-version", "build-lab",
                                   "build-lab-ex", "product-name"},
                              {})).ok())
      return s;
    RegistryVersionInfo& reg = r_.os.registry;
    reg.current_version = xml_.Attribute(el, "current-version");
    reg.current_build_number = xml_.Attribute(el, "current-build-number");
    reg.csd_version = xml_.Attribute(el, "csd-version");
    reg.build_lab = xml_.Attribute(el, "build-lab");
    reg.build_lab_ex = xml_.Attribute(el, "build-lab-ex");
    reg.product_name = xml_.Attribute(el, "product-name");

    if (!(s = Single(os, "kernel", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"path", "file-version", "error"}, {})).ok()) return s;
    if (!(s = Required(el, "path", &r_.os.kernel_path, /*allow_empty=*/true)).ok()) return s;
    if (std::optional<std::string> version = xml_.Attribute(el, "file-version")) {
      r_.os.kernel_file_version = FileVersion::Parse(*version);
      if (!r_.os.kernel_file_version) return xml_.ErrorAt(el, "file-version '" + *version + "' is not like 6.0.6003.21481");
    }
    r_.os.kernel_error = xml_.Attribute(el, "error").value_or("");
    return Status::Ok();
  }

  // `count` on a list element must match its children: a cut or spliced list is refused.
  Status Count(const XMLElement* list, const char* attribute, size_t actual) {
    uint64_t count = 0;
    Status s = Unsigned(list, attribute, 0xFFFFFFFFu, &count);
    if (!s.ok()) return s;
    if (count != actual) {
      return xml_.ErrorAt(list, std::string("<") + list->Name() + "> says " + attribute + "=" +
                                    std::to_string(count) + " but holds " + std::to_string(actual));
    }
    return Status::Ok();
  }

  Status ReadUpdates(const XMLElement* updates) {
    Status s = xml_.CheckShape(updates, {"source", "count"}, {"package"});
    if (!s.ok()) return s;
    for (const XMLElement* p = updates->FirstChildElement("package"); p; p = p->NextSiblingElement("package")) {
      if (!(s = xml_.CheckShape(p, {"name", "kb", "state", "state-code"}, {})).ok()) return s;
      CbsPackage package;
      if (!(s = Required(p, "name", &package.name)).ok()) return s;
      package.kb = xml_.Attribute(p, "kb").value_or("");
      if (!(s = Required(p, "state", nullptr)).ok()) return s;  // CbsStateName(state-code), for readers
      uint64_t code = 0;
      if (!(s = Unsigned(p, "state-code", 0xFFFFFFFFu, &code)).ok()) return s;
      package.current_state = static_cast<uint32_t>(code);
      r_.packages.push_back(std::move(package));
    }
    return Count(updates, "count", r_.packages.size());
  }

  Status ReadServices(const XMLElement* services) {
    Status s = xml_.CheckShape(services, {"count"}, {"service"});
    if (!s.ok()) return s;
    for (const XMLElement* el = services->FirstChildElement("service"); el; el = el->NextSiblingElement("service")) {
      if (!(s = xml_.CheckShape(el, {"name", "display-name", "start", "delayed-auto-start", "running", "accepts-stop"},
                                {})).ok())
        return s;
      ServiceConfig service;
      if (!(s = Required(el, "name", &service.name)).ok()) return s;
      if (!(s = Required(el, "display-name", &service.display_name, /*allow_empty=*/true)).ok()) return s;
      std::string text;
      if (!(s = Required(el, "start", &text)).ok()) return s;
      std::optional<ServiceStartType> start = ParseStartType(text);
      if (!start) return xml_.ErrorAt(el, "start '" + text + "' is not boot, system, auto, manual or disabled");
      service.start = *start;
      if (!(s = Required(el, "delayed-auto-start", &text)).ok()) return s;
      if (text == "true" || text == "false") {
        service.delayed_auto_start = text == "true";
      } else if (text != "unknown") {
        return xml_.ErrorAt(el, "delayed-auto-start '" + text + "' is not true, false or unknown");
      }
      if (!(s = Bool(el, "running", &service.running)).ok()) return s;
      if (!(s = Bool(el, "accepts-stop", &service.accepts_stop)).ok()) return s;
      r_.services.push_back(std::move(service));
    }
    return Count(services, "count", r_.services.size());
  }

  Status ReadFirewall(const XMLElement* el) {
    Status s = xml_.CheckShape(el, {"current-profiles", "rule-count"}, {"profile", "rule"});
    if (!s.ok()) return s;
    FirewallSnapshot fw;
    std::string current;
    if (!(s = Required(el, "current-profiles", &current, /*allow_empty=*/true)).ok()) return s;
    size_t start = 0;
    while (start < current.size()) {
      size_t end = current.find(' ', start);
      if (end == std::string::npos) end = current.size();
      const std::string name = current.substr(start, end - start);
      std::optional<FirewallProfile> profile = ParseFirewallProfileName(name);
      if (!profile) return xml_.ErrorAt(el, "current-profiles names '" + name + "', not domain, private or public");
      fw.current_profiles |= static_cast<uint32_t>(*profile);
      start = end + 1;
    }
    for (const XMLElement* p = el->FirstChildElement("profile"); p; p = p->NextSiblingElement("profile")) {
      if (!(s = xml_.CheckShape(p, {"name", "enabled", "default-inbound", "default-outbound"}, {})).ok()) return s;
      FirewallProfileState state;
      std::string text;
      if (!(s = Required(p, "name", &text)).ok()) return s;
      std::optional<FirewallProfile> profile = ParseFirewallProfileName(text);
      if (!profile) return xml_.ErrorAt(p, "profile '" + text + "' is not domain, private or public");
      for (const FirewallProfileState& seen : fw.profiles) {
        if (seen.profile == *profile) return xml_.ErrorAt(p, "profile '" + text + "' is listed twice");
      }
      state.profile = *profile;
      if (!(s = Bool(p, "enabled", &state.enabled)).ok()) return s;
      for (auto [name, out] : {std::pair<const char*, FirewallAction*>{"default-inbound", &state.default_inbound},
                               {"default-outbound", &state.default_outbound}}) {
        if (!(s = Required(p, name, &text)).ok()) return s;
        if (text != "allow" && text != "block") {
          return xml_.ErrorAt(p, std::string(name) + " '" + text + "' is not allow or block");
        }
        *out = text == "allow" ? FirewallAction::kAllow : FirewallAction::kBlock;
      }
      fw.profiles.push_back(state);
    }
    for (const XMLElement* r = el->FirstChildElement("rule"); r; r = r->NextSiblingElement("rule")) {
      if (!(s = xml_.CheckShape(r, {"text"}, {})).ok()) return s;
      std::string text;
      if (!(s = Required(r, "text", &text)).ok()) return s;
      Result<FirewallRule> rule = ParseFirewallRule(text);
      if (!rule.ok()) return xml_.ErrorAt(r, "firewall rule: " + rule.status().message());
      fw.rules.push_back(std::move(*rule));
    }
    if (!(s = Count(el, "rule-count", fw.rules.size())).ok()) return s;
    r_.firewall = std::move(fw);
    return Status::Ok();
  }

  XmlInput xml_;
  HostSnapshot r_;
};

}  // namespace

void AppendSnapshotXml(XMLElement* parent, const HostSnapshot& snapshot, const char* role) {
  XMLElement* el = AppendChild(parent, "snapshot");
  el->SetAttribute("role", role);
  el->SetAttribute("utc", snapshot.time.Iso8601().c_str());
  el->SetAttribute("host", snapshot.os.host_name.c_str());
  el->SetAttribute(snapshot.os.domain_joined ? "domain" : "workgroup", snapshot.os.domain_or_workgroup.c_str());
  AppendOsXml(el, snapshot.os);
  AppendUpdatesXml(el, snapshot.packages);
  WriteServices(el, snapshot.services);
  WriteFirewall(el, snapshot);
}

Result<HostSnapshot> ReadSnapshotElement(const std::string& path, const XMLElement* element) {
  return SnapshotReader(path).Read(element);
}

std::string SnapshotReportXml(const HostSnapshot& snapshot, const ReportContext& context) {
  tinyxml2::XMLDocument doc;
  XMLElement* root = AppendReportRoot(&doc, "snapshot", context);
  AppendSnapshotXml(root, snapshot, "current");
  return PrintXml(&doc);
}

void AppendDifferencesXml(XMLElement* parent, const std::vector<SnapshotDifference>& differences) {
  XMLElement* list = AppendChild(parent, "differences");
  list->SetAttribute("count", static_cast<unsigned>(differences.size()));
  for (const SnapshotDifference& d : differences) {
    XMLElement* el = AppendChild(list, "difference");
    el->SetAttribute("area", d.area.c_str());
    el->SetAttribute("item", d.item.c_str());
    el->SetAttribute("before", d.before.c_str());
    el->SetAttribute("after", d.after.c_str());
  }
}

Result<SnapshotFile> ParseSnapshotFile(const std::string& path, const std::string& text) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  XMLElement* root = xml.root();
  if (std::strcmp(root->Name(), "otharden-report") != 0) {
    return xml.ErrorAt(root, std::string("root element is <") + root->Name() +
                                 ">, expected <otharden-report>: this is not an otharden report");
  }
  const std::string format = xml.Attribute(root, "format").value_or("");
  if (format != std::to_string(kReportFormatVersion)) {
    return xml.ErrorAt(root, "report format '" + format + "' is not one this otharden reads (format " +
                                 std::to_string(kReportFormatVersion) + ")");
  }
  SnapshotFile file;
  file.path = path;
  file.kind = xml.Attribute(root, "kind").value_or("");
  if (file.kind == "check") {
    return xml.ErrorAt(root, "this is a check report: it records compliance, not a snapshot of services and "
                             "firewall. Compare snapshot files (otharden snapshot --out FILE) or apply reports");
  }
  if (file.kind == "snapshot") {
    // Exactly <tool>, <run>, <snapshot role="current">.
    if (!(s = xml.CheckShape(root, {"format", "kind"}, {"tool", "run", "snapshot"})).ok()) return s;
    for (const char* name : {"tool", "run", "snapshot"}) {
      const XMLElement* el = root->FirstChildElement(name);
      if (!el) return xml.ErrorAt(root, std::string("<otharden-report> has no <") + name + ">");
      if (el->NextSiblingElement(name)) {
        return xml.ErrorAt(el->NextSiblingElement(name), std::string("more than one <") + name + "> in a snapshot report");
      }
    }
    if (!(s = xml.CheckShape(root->FirstChildElement("tool"), {"name", "version", "target", "build", "sha256"},
                             {})).ok() ||
        !(s = xml.CheckShape(root->FirstChildElement("run"), {"command", "utc", "operator"}, {})).ok()) {
      return s;
    }
    const XMLElement* el = root->FirstChildElement("snapshot");
    const std::string role = xml.Attribute(el, "role").value_or("");
    if (role != "current") return xml.ErrorAt(el, "a snapshot report's <snapshot> has role 'current', not '" + role + "'");
  } else if (file.kind != "apply") {
    return xml.ErrorAt(root, "report kind '" + file.kind + "' is not one diff reads (snapshot or apply)");
  }
  // An apply report's structure is checked by its own reader; here only its
  // snapshots (before, after) are read, each as strictly as in a snapshot file.
  for (const XMLElement* el = root->FirstChildElement("snapshot"); el; el = el->NextSiblingElement("snapshot")) {
    const std::string role = xml.Attribute(el, "role").value_or("");
    if (file.kind == "apply" && role != "before" && role != "after") {
      return xml.ErrorAt(el, "an apply report's <snapshot> has role 'before' or 'after', not '" + role + "'");
    }
    Result<HostSnapshot> snapshot = ReadSnapshotElement(path, el);
    if (!snapshot.ok()) return snapshot.status();
    file.snapshots.emplace_back(role, std::move(*snapshot));
  }
  if (file.snapshots.empty()) return xml.ErrorAt(root, "this " + file.kind + " report holds no <snapshot>");
  return file;
}

Result<SnapshotFile> ReadSnapshotFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path, kMaxSnapshotFileBytes);
  if (!text.ok()) return text.status();
  return ParseSnapshotFile(path, *text);
}

}  // namespace otharden
