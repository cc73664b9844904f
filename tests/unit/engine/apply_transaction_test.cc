// The apply transaction against the in-memory host (a test double): outcome,
// judging each action from the after snapshot, and the apply report's round trip.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "toolkit/engine/apply_transaction.h"
#include "toolkit/engine/snapshot.h"
#include "toolkit/platform/memory_host.h"
#include "toolkit/report/apply_html.h"
#include "toolkit/report/apply_report.h"

namespace otharden {
using namespace testing;
namespace {

MemoryHost Host2008() {
  MemoryHost host;
  host.os.host_name = "PACS-WS01";
  host.os.rtl.major = 6;
  host.os.rtl.build = 6003;
  host.AddService("RemoteRegistry", ServiceStartType::kAuto, true);
  host.AddService("Spooler", ServiceStartType::kAuto, true);
  host.AddService("PacsStore", ServiceStartType::kAuto, true);
  host.firewall->profiles = {{FirewallProfile::kDomain, true, FirewallAction::kAllow, FirewallAction::kAllow},
                             {FirewallProfile::kPrivate, true, FirewallAction::kBlock, FirewallAction::kAllow},
                             {FirewallProfile::kPublic, true, FirewallAction::kBlock, FirewallAction::kAllow}};
  host.firewall->rules = {
      ParsedRule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=445|App=System|Name=SMB-In|")};
  return host;
}

// A plan made by hand: one service disabled, one rule added, the domain
// profile's inbound default blocked.
LockdownPlan MakePlan(const MemoryHost& host) {
  LockdownPlan plan;
  ServiceChange service;
  service.name = "RemoteRegistry";
  service.reason = "remote registry access is not needed";
  service.before = host.services[0];
  service.start_after = ServiceStartType::kDisabled;
  service.stop = true;
  plan.services.changes.push_back(service);
  FirewallChange add;
  add.kind = FirewallChange::Kind::kAddRule;
  add.rule = ParsedRule("v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|RA4=10.1.2.0/255.255.255.0|"
                  "Name=DICOM|EmbedCtxt=otharden:pacs|");
  add.reason = "DICOM from the PACS";
  plan.firewall.changes.push_back(add);
  FirewallChange profile;
  profile.kind = FirewallChange::Kind::kProfile;
  profile.before = host.firewall->profiles[0];
  profile.after = profile.before;
  profile.after.default_inbound = FirewallAction::kBlock;
  profile.reason = "inbound blocked by default";
  plan.firewall.changes.push_back(profile);
  plan.firewall_before = *host.firewall;
  return plan;
}

}  // namespace

TEST_CASE("a successful apply is judged as planned from the after snapshot") {
  MemoryHost host = Host2008();
  const LockdownPlan plan = MakePlan(host);
  Result<HostSnapshot> before = TakeSnapshot(host);
  REQUIRE(before.ok());
  std::string sink;
  auto journal = StringJournal(&sink, "apply.journal", {"pacs", "PACS-WS01", "t"});
  ApplyOutcome outcome = ApplyLockdown(host, plan, *journal, Quiet);
  CHECK(outcome.verdict == "applied");
  CHECK(ParseJournal("apply.journal", sink)->end == std::optional<std::string>("applied"));

  Result<HostSnapshot> after = TakeSnapshot(host);
  REQUIRE(after.ok());
  std::vector<PlannedAction> actions = DescribePlan(plan);
  REQUIRE(actions.size() == 3);
  JudgeActions(*after, &actions);
  CHECK(actions[0].area == "service");
  CHECK(actions[0].before == "auto, running");
  CHECK(actions[0].after == "disabled, stopped");
  CHECK(actions[1].area == "firewall-rule");
  CHECK(actions[1].after == "present, enabled");
  CHECK(actions[2].item == "domain");
  for (const PlannedAction& a : actions) CHECK(a.result == "as-planned");
  CHECK(FinalVerdict(outcome, actions) == "applied");

  const std::vector<SnapshotDifference> differences = DiffSnapshots(*before, *after);
  CHECK(differences.size() >= 3);
  CHECK(UnplannedDifferences(differences, actions).empty());
}

TEST_CASE("a failed apply is rolled back and every action is judged as before") {
  MemoryHost host = Host2008();
  host.failing_rules = {"DICOM"};
  const LockdownPlan plan = MakePlan(host);
  std::string sink;
  auto journal = StringJournal(&sink, "apply.journal", {"pacs", "PACS-WS01", "t"});
  ApplyOutcome outcome = ApplyLockdown(host, plan, *journal, Quiet);
  CHECK(outcome.verdict == "rolled-back");
  CHECK(outcome.message.find("DICOM") != std::string::npos);
  Result<HostSnapshot> after = TakeSnapshot(host);
  REQUIRE(after.ok());
  std::vector<PlannedAction> actions = DescribePlan(plan);
  JudgeActions(*after, &actions);
  for (const PlannedAction& a : actions) CHECK(a.result == "as-before");
  CHECK(FinalVerdict(outcome, actions) == "rolled-back");
}

TEST_CASE("an empty plan means the host already matched; a change nobody planned is reported") {
  MemoryHost host = Host2008();
  Result<HostSnapshot> before = TakeSnapshot(host);
  REQUIRE(before.ok());
  CHECK(FinalVerdict({"applied", ""}, {}) == "already-matched");

  host.services[1].running = false;  // Spooler stopped by someone else meanwhile
  Result<HostSnapshot> after = TakeSnapshot(host);
  std::vector<PlannedAction> actions = DescribePlan(MakePlan(Host2008()));
  std::vector<SnapshotDifference> unplanned = UnplannedDifferences(DiffSnapshots(*before, *after), actions);
  REQUIRE(unplanned.size() == 1);
  CHECK(unplanned[0].item == "Spooler");
}

TEST_CASE("an action whose item is not as planned afterwards turns the verdict into deviated") {
  MemoryHost host = Host2008();
  std::vector<PlannedAction> actions = DescribePlan(MakePlan(host));
  Result<HostSnapshot> unchanged = TakeSnapshot(host);
  JudgeActions(*unchanged, &actions);
  CHECK(FinalVerdict({"applied", ""}, actions) == "deviated");
}

TEST_CASE("the apply report reads back as written, and is strict") {
  MemoryHost host = Host2008();
  const LockdownPlan plan = MakePlan(host);
  ApplyReportData r;
  r.context.tool = {"0.1.0", "x64", "test"};
  r.context.command = "apply";
  r.context.operator_name = "J. Tech <on site>";
  r.context.time = UtcTime::FromUnixSeconds(1795000000);
  r.profile_name = "pacs";
  r.profile_title = "PACS workstation";
  r.profile_file = {"profiles/pacs.xml", std::string(64, 'a')};
  r.policy_name = "esu-6003";
  r.policy_title = "ESU";
  r.policy_file = {"policies/esu-6003.xml", std::string(64, 'b')};
  r.policy_result = "not-compliant";
  r.policy_failures = "Build: 6002";
  r.parameters = {{"pacs_addresses", "10.1.2.0/24", "--param"}};
  r.overrides = {{"--force", "host fails policy esu-6003: Build: 6002"}};
  r.media_detail = "not run from a stick";
  r.before = *TakeSnapshot(host);
  std::string sink;
  auto journal = StringJournal(&sink, "apply.journal", {"pacs", "PACS-WS01", "t"});
  ApplyOutcome outcome = ApplyLockdown(host, plan, *journal, Quiet);
  r.after = *TakeSnapshot(host);
  r.actions = DescribePlan(plan);
  JudgeActions(*r.after, &r.actions);
  r.differences = DiffSnapshots(r.before, *r.after);
  r.verdict = FinalVerdict(outcome, r.actions);
  r.journal = "C:\\ProgramData\\otharden\\journals\\x.journal";

  const std::string xml = ApplyReportXml(r);
  Result<ApplyReportData> back = ParseApplyReport("r.xml", xml);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(back->context.operator_name == "J. Tech <on site>");
  CHECK(back->context.time.Iso8601() == r.context.time.Iso8601());
  CHECK(back->profile_name == "pacs");
  CHECK(back->policy_failures == "Build: 6002");
  REQUIRE(back->parameters.size() == 1);
  CHECK(back->parameters[0].value == "10.1.2.0/24");
  REQUIRE(back->overrides.size() == 1);
  CHECK(back->overrides[0].first == "--force");
  REQUIRE(back->actions.size() == 3);
  CHECK(back->actions[1].rule == r.actions[1].rule);
  CHECK(back->actions[0].result == "as-planned");
  REQUIRE(back->after.has_value());
  CHECK(DiffSnapshots(back->before, r.before).empty());
  CHECK(DiffSnapshots(*back->after, *r.after).empty());
  CHECK(back->verdict == "applied");
  CHECK(back->journal == r.journal);

  const std::string page = RenderApplyReportHtml(*back, SignatureStatus{}, "r.xml");
  CHECK(page.find("APPLIED: every change made and verified") != std::string::npos);
  CHECK(page.find("J. Tech &lt;on site&gt;") != std::string::npos);  // host and operator text is escaped
  CHECK(page.find("J. Tech <on site>") == std::string::npos);

  std::string extra = xml;
  extra.replace(extra.find("<parameters>"), 12, "<parameters><surprise/>");
  Result<ApplyReportData> strict = ParseApplyReport("r.xml", extra);
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.status().message().find("r.xml:") == 0);
  CHECK(strict.status().message().find("surprise") != std::string::npos);

  std::string snapshot_kind = xml;
  snapshot_kind.replace(snapshot_kind.find("kind=\"apply\""), 12, "kind=\"check\"");
  Result<ApplyReportData> wrong = ParseApplyReport("c.xml", snapshot_kind);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().message().find("not an apply report") != std::string::npos);
}

}  // namespace otharden
