#include "toolkit/report/apply_report.h"

#include <tinyxml2.h>

#include "toolkit/report/report_parts_xml.h"
#include "toolkit/report/snapshot_xml.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

void TextChild(XMLElement* parent, const char* name, const std::string& text) {
  if (!text.empty()) AppendChild(parent, name)->SetText(text.c_str());
}

const char* Bool(bool value) { return value ? "true" : "false"; }

}  // namespace

std::string ApplyReportXml(const ApplyReportData& r) {
  XMLDocument doc;
  XMLElement* root = AppendReportRoot(&doc, "apply", r.context);

  XMLElement* profile = AppendChild(root, "profile");
  profile->SetAttribute("name", r.profile_name.c_str());
  profile->SetAttribute("title", r.profile_title.c_str());
  profile->SetAttribute("file", r.profile_file.file.c_str());
  profile->SetAttribute("sha256", r.profile_file.sha256.c_str());
  profile->SetAttribute("signed", Bool(r.profile_signed));
  TextChild(profile, "signature", r.profile_signature_detail);

  XMLElement* policy = AppendChild(root, "required-policy");
  policy->SetAttribute("name", r.policy_name.c_str());
  policy->SetAttribute("title", r.policy_title.c_str());
  policy->SetAttribute("file", r.policy_file.file.c_str());
  policy->SetAttribute("sha256", r.policy_file.sha256.c_str());
  policy->SetAttribute("result", r.policy_result.c_str());
  TextChild(policy, "failures", r.policy_failures);

  XMLElement* parameters = AppendChild(root, "parameters");
  for (const ParameterValue& p : r.parameters) {
    XMLElement* el = AppendChild(parameters, "parameter");
    el->SetAttribute("name", p.name.c_str());
    el->SetAttribute("value", p.value.c_str());
    el->SetAttribute("source", p.source.c_str());
  }

  XMLElement* media = AppendChild(root, "media");
  if (!r.media_root.empty()) media->SetAttribute("root", r.media_root.c_str());
  media->SetAttribute("verified", Bool(r.media_verified));
  TextChild(media, "detail", r.media_detail);

  XMLElement* overrides = AppendChild(root, "overrides");
  for (const auto& [option, what] : r.overrides) {
    XMLElement* el = AppendChild(overrides, "override");
    el->SetAttribute("option", option.c_str());
    el->SetText(what.c_str());
  }

  AppendSnapshotXml(root, r.before, "before");

  XMLElement* plan = AppendChild(root, "plan");
  plan->SetAttribute("count", static_cast<unsigned>(r.actions.size()));
  for (const PlannedAction& a : r.actions) {
    XMLElement* el = AppendChild(plan, "action");
    el->SetAttribute("area", a.area.c_str());
    el->SetAttribute("item", a.item.c_str());
    el->SetAttribute("action", a.action.c_str());
    el->SetAttribute("result", a.result.c_str());
    if (!a.rule.empty()) el->SetAttribute("rule", a.rule.c_str());
    TextChild(el, "description", a.description);
    TextChild(el, "reason", a.reason);
    AppendChild(el, "before")->SetText(a.before.c_str());
    AppendChild(el, "wanted")->SetText(a.wanted.c_str());
    AppendChild(el, "after")->SetText(a.after.c_str());
  }

  if (r.after) AppendSnapshotXml(root, *r.after, "after");
  AppendDifferencesXml(root, r.differences);
  XMLElement* unplanned = AppendChild(root, "unplanned");
  AppendDifferencesXml(unplanned, r.unplanned);

  XMLElement* outcome = AppendChild(root, "outcome");
  outcome->SetAttribute("result", r.verdict.c_str());
  if (!r.journal.empty()) outcome->SetAttribute("journal", r.journal.c_str());
  TextChild(outcome, "message", r.message);

  return PrintXml(&doc);
}

namespace {

class ApplyReportParser {
 public:
  explicit ApplyReportParser(XmlInput& xml) : xml_(xml) {}

  Result<ApplyReportData> Run() {
    XMLElement* root = xml_.root();
    Status s = xml_.CheckShape(root, {"format", "kind"},
                               {"tool", "run", "profile", "required-policy", "parameters", "media", "overrides",
                                "snapshot", "plan", "differences", "unplanned", "outcome"});
    if (!s.ok()) return s;
    XMLElement* el = nullptr;
    if (!(s = Need(root, "tool", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"name", "version", "target", "build", "sha256"}, {})).ok()) return s;
    r_.context.tool.version = xml_.Attribute(el, "version").value_or("");
    r_.context.tool.target = xml_.Attribute(el, "target").value_or("");
    r_.context.tool.build = xml_.Attribute(el, "build").value_or("");
    r_.context.tool_sha256 = xml_.Attribute(el, "sha256").value_or("");

    if (!(s = Need(root, "run", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"command", "utc", "operator"}, {})).ok()) return s;
    r_.context.command = xml_.Attribute(el, "command").value_or("");
    r_.context.operator_name = xml_.Attribute(el, "operator").value_or("");
    {
      const std::string utc = xml_.Attribute(el, "utc").value_or("");
      std::optional<UtcTime> time = UtcTime::ParseIso8601(utc);
      if (!time) return xml_.ErrorAt(el, "<run utc='" + utc + "'> is not a UTC time");
      r_.context.time = *time;
    }

    if (!(s = Need(root, "profile", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"name", "title", "file", "sha256", "signed"}, {"signature"})).ok()) return s;
    r_.profile_name = xml_.Attribute(el, "name").value_or("");
    r_.profile_title = xml_.Attribute(el, "title").value_or("");
    r_.profile_file = {xml_.Attribute(el, "file").value_or(""), xml_.Attribute(el, "sha256").value_or("")};
    r_.profile_signed = xml_.Attribute(el, "signed") == std::optional<std::string>("true");
    if (!(s = xml_.ChildText(el, "signature", &r_.profile_signature_detail, false)).ok()) return s;

    if (!(s = Need(root, "required-policy", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"name", "title", "file", "sha256", "result"}, {"failures"})).ok()) return s;
    r_.policy_name = xml_.Attribute(el, "name").value_or("");
    r_.policy_title = xml_.Attribute(el, "title").value_or("");
    r_.policy_file = {xml_.Attribute(el, "file").value_or(""), xml_.Attribute(el, "sha256").value_or("")};
    r_.policy_result = xml_.Attribute(el, "result").value_or("");
    if (!(s = xml_.ChildText(el, "failures", &r_.policy_failures, false)).ok()) return s;

    if (!(s = Need(root, "parameters", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {}, {"parameter"})).ok()) return s;
    for (XMLElement* p = el->FirstChildElement("parameter"); p; p = p->NextSiblingElement("parameter")) {
      if (!(s = xml_.CheckShape(p, {"name", "value", "source"}, {})).ok()) return s;
      r_.parameters.push_back({xml_.Attribute(p, "name").value_or(""), xml_.Attribute(p, "value").value_or(""),
                               xml_.Attribute(p, "source").value_or("")});
    }

    if (!(s = Need(root, "media", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"root", "verified"}, {"detail"})).ok()) return s;
    r_.media_root = xml_.Attribute(el, "root").value_or("");
    r_.media_verified = xml_.Attribute(el, "verified") == std::optional<std::string>("true");
    if (!(s = xml_.ChildText(el, "detail", &r_.media_detail, false)).ok()) return s;

    if (!(s = Need(root, "overrides", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {}, {"override"})).ok()) return s;
    for (XMLElement* o = el->FirstChildElement("override"); o; o = o->NextSiblingElement("override")) {
      if (!(s = xml_.CheckShape(o, {"option"}, {}, true)).ok()) return s;
      r_.overrides.emplace_back(xml_.Attribute(o, "option").value_or(""), XmlInput::Text(o));
    }

    for (XMLElement* snap = root->FirstChildElement("snapshot"); snap; snap = snap->NextSiblingElement("snapshot")) {
      const std::string role = xml_.Attribute(snap, "role").value_or("");
      Result<HostSnapshot> snapshot = ReadSnapshotElement(xml_.path(), snap);
      if (!snapshot.ok()) return snapshot.status();
      if (role == "before" && !have_before_) {
        r_.before = *snapshot;
        have_before_ = true;
      } else if (role == "after" && !r_.after) {
        r_.after = *snapshot;
      } else {
        return xml_.ErrorAt(snap, "unexpected <snapshot role='" + role + "'> (an apply report has one before and "
                                  "at most one after)");
      }
    }
    if (!have_before_) return xml_.ErrorAt(root, "the apply report has no <snapshot role='before'>");

    if (!(s = Need(root, "plan", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"count"}, {"action"})).ok()) return s;
    for (XMLElement* a = el->FirstChildElement("action"); a; a = a->NextSiblingElement("action")) {
      if (!(s = xml_.CheckShape(a, {"area", "item", "action", "result", "rule"},
                                {"description", "reason", "before", "wanted", "after"})).ok())
        return s;
      PlannedAction action;
      action.area = xml_.Attribute(a, "area").value_or("");
      action.item = xml_.Attribute(a, "item").value_or("");
      action.action = xml_.Attribute(a, "action").value_or("");
      action.result = xml_.Attribute(a, "result").value_or("");
      action.rule = xml_.Attribute(a, "rule").value_or("");
      if (action.area != "service" && action.area != "firewall-profile" && action.area != "firewall-rule") {
        return xml_.ErrorAt(a, "unknown action area '" + action.area + "'");
      }
      if (action.area == "firewall-rule" && action.rule.empty()) {
        return xml_.ErrorAt(a, "a firewall-rule action has no rule string");
      }
      for (auto [name, out] : {std::pair<const char*, std::string*>{"description", &action.description},
                               {"reason", &action.reason}, {"before", &action.before},
                               {"wanted", &action.wanted}, {"after", &action.after}}) {
        if (!(s = xml_.ChildText(a, name, out, false)).ok()) return s;
      }
      r_.actions.push_back(action);
    }

    if (!(s = Need(root, "outcome", &el)).ok()) return s;
    if (!(s = xml_.CheckShape(el, {"result", "journal"}, {"message"})).ok()) return s;
    r_.verdict = xml_.Attribute(el, "result").value_or("");
    r_.journal = xml_.Attribute(el, "journal").value_or("");
    if (!(s = xml_.ChildText(el, "message", &r_.message, false)).ok()) return s;
    return std::move(r_);
  }

 private:
  Status Need(XMLElement* parent, const char* name, XMLElement** out) {
    *out = parent->FirstChildElement(name);
    if (!*out) return xml_.ErrorAt(parent, std::string("<") + parent->Name() + "> has no <" + name + ">");
    return Status::Ok();
  }

  XmlInput& xml_;
  ApplyReportData r_;
  bool have_before_ = false;
};

}  // namespace

Result<std::string> ReportKind(const std::string& path, const std::string& text) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  XMLElement* root = xml.root();
  if (std::string(root->Name()) != "otharden-report") {
    return xml.ErrorAt(root, std::string("root element is <") + root->Name() +
                                 ">, expected <otharden-report>: this is not an otharden report");
  }
  const std::string format = xml.Attribute(root, "format").value_or("");
  if (format != std::to_string(kReportFormatVersion)) {
    return xml.ErrorAt(root, "report format '" + format + "' is not one this otharden reads (format " +
                                 std::to_string(kReportFormatVersion) + ")");
  }
  return xml.Attribute(root, "kind").value_or("");
}

Result<ApplyReportData> ParseApplyReport(const std::string& path, const std::string& text) {
  Result<std::string> kind = ReportKind(path, text);
  if (!kind.ok()) return kind.status();
  if (*kind != "apply") {
    return Status::InvalidInput(path + ": this is a '" + *kind + "' report, not an apply report");
  }
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  return ApplyReportParser(xml).Run();
}

}  // namespace otharden
