#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "toolkit/engine/service_lockdown.h"
#include "toolkit/platform/memory_host.h"

namespace otharden {
using namespace testing;
namespace {

ServiceEntry Entry(const std::string& name, ServiceDirective d) {
  return ServiceEntry{name, d, "because", "", 0};
}

Profile MakeProfile(std::vector<ServiceEntry> entries) {
  Profile p;
  p.name = "test";
  p.path = "test.xml";
  p.services = std::move(entries);
  return p;
}

MemoryHost ApplianceHost() {
  MemoryHost host;
  host.AddService("RemoteRegistry", ServiceStartType::kAuto, true);
  host.AddService("SSDPSRV", ServiceStartType::kDemand, true);
  host.AddService("upnphost", ServiceStartType::kDemand, true);
  host.depends_on["upnphost"] = {"SSDPSRV"};
  host.AddService("Spooler", ServiceStartType::kAuto, true);
  host.AddService("PacsStore", ServiceStartType::kDemand, false);
  host.AddService("TlntSvr", ServiceStartType::kDisabled, false);
  return host;
}

}  // namespace

TEST_CASE("plan lists each change as a technician reads it") {
  MemoryHost host = ApplianceHost();
  Profile profile = MakeProfile({Entry("RemoteRegistry", ServiceDirective::kDisable),
                                 Entry("Spooler", ServiceDirective::kManual),
                                 Entry("PacsStore", ServiceDirective::kMustRun),
                                 Entry("TlntSvr", ServiceDirective::kDisable),
                                 Entry("Fax", ServiceDirective::kDisable)});
  Result<ServicePlan> plan = PlanServiceLockdown(host, profile);
  REQUIRE(plan.ok());
  REQUIRE(plan->changes.size() == 3);
  CHECK(plan->changes[0].Describe() == "service RemoteRegistry: start auto -> disabled, running -> stopped");
  CHECK(plan->changes[1].Describe() == "service Spooler: start auto -> manual");
  CHECK(plan->changes[2].Describe() == "service PacsStore: start manual -> auto, stopped -> running");
  CHECK(plan->already_set == std::vector<std::string>{"TlntSvr"});
  CHECK(plan->absent == std::vector<std::string>{"Fax"});
  CHECK(host.calls.empty());  // planning changes nothing
}

TEST_CASE("dependents being disabled too are stopped first") {
  MemoryHost host = ApplianceHost();
  Profile profile = MakeProfile({Entry("SSDPSRV", ServiceDirective::kDisable), Entry("upnphost", ServiceDirective::kDisable)});
  Result<ServicePlan> plan = PlanServiceLockdown(host, profile);
  REQUIRE(plan.ok());
  REQUIRE(plan->changes.size() == 2);
  CHECK(plan->changes[0].name == "upnphost");
  CHECK(plan->changes[1].name == "SSDPSRV");
  std::string sink;
  auto journal = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"});
  REQUIRE(ApplyServicePlan(host, *plan, *journal, Quiet).ok());
  CHECK(host.calls == std::vector<std::string>{"start upnphost disabled", "stop upnphost", "start SSDPSRV disabled",
                                               "stop SSDPSRV"});
}

TEST_CASE("a running dependent that must run, or that the profile does not name, blocks the plan") {
  MemoryHost host = ApplianceHost();
  Result<ServicePlan> plan = PlanServiceLockdown(
      host, MakeProfile({Entry("SSDPSRV", ServiceDirective::kDisable), Entry("upnphost", ServiceDirective::kMustRun)}));
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().message().find("disabling SSDPSRV would stop upnphost, which the profile says must run") !=
        std::string::npos);
  plan = PlanServiceLockdown(host, MakeProfile({Entry("SSDPSRV", ServiceDirective::kDisable)}));
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().message().find("would also stop upnphost, which runs and depends on it but is not in the "
                                     "profile") != std::string::npos);
  CHECK(host.calls.empty());
}

TEST_CASE("apply journals each service before changing it, and a second plan finds nothing to do") {
  MemoryHost host = ApplianceHost();
  Profile profile = MakeProfile({Entry("RemoteRegistry", ServiceDirective::kDisable),
                                 Entry("PacsStore", ServiceDirective::kMustRun)});
  Result<ServicePlan> plan = PlanServiceLockdown(host, profile);
  REQUIRE(plan.ok());
  std::string sink;
  auto journal = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"});
  REQUIRE(ApplyServicePlan(host, *plan, *journal, Quiet).ok());
  Result<Journal> read = ParseJournal("mem.journal", sink);
  REQUIRE(read.ok());
  REQUIRE(read->services.size() == 2);
  CHECK(read->services[0].name == "RemoteRegistry");
  CHECK(read->services[0].start == ServiceStartType::kAuto);
  CHECK(read->services[0].running);
  CHECK(read->completed.size() == 2);
  CHECK_FALSE(read->end);  // the caller ends the journal once the firewall is applied too

  Result<ServicePlan> again = PlanServiceLockdown(host, profile);
  REQUIRE(again.ok());
  CHECK(again->changes.empty());
  CHECK(again->already_set.size() == 2);
}

TEST_CASE("a failure midway rolls back what was already changed") {
  MemoryHost host = ApplianceHost();
  host.Find("Spooler")->accepts_stop = false;  // refuses to stop
  Profile profile = MakeProfile({Entry("RemoteRegistry", ServiceDirective::kDisable),
                                 Entry("Spooler", ServiceDirective::kDisable)});
  Result<ServicePlan> plan = PlanServiceLockdown(host, profile);
  REQUIRE(plan.ok());
  std::string sink;
  auto journal = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"});
  std::vector<std::string> lines;
  Status s = ApplyServicePlan(host, *plan, *journal, [&](const std::string& l) { lines.push_back(l); });
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("service 'Spooler': ControlService failed") == 0);
  CHECK(s.message().find("rolled back 2 services") != std::string::npos);
  // Both are as they were: RemoteRegistry auto and running, Spooler auto.
  CHECK(host.Find("RemoteRegistry")->start == ServiceStartType::kAuto);
  CHECK(host.Find("RemoteRegistry")->running);
  CHECK(host.Find("Spooler")->start == ServiceStartType::kAuto);
  CHECK(ParseJournal("mem.journal", sink)->end == std::optional<std::string>("rolled-back"));
}

TEST_CASE("when the journal cannot be written, nothing is changed") {
  MemoryHost host = ApplianceHost();
  Result<ServicePlan> plan = PlanServiceLockdown(host, MakeProfile({Entry("RemoteRegistry", ServiceDirective::kDisable)}));
  REQUIRE(plan.ok());
  std::string sink;
  auto journal = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"}, /*fail_at=*/1);  // the header goes through; every later append fails
  Status s = ApplyServicePlan(host, *plan, *journal, Quiet);
  REQUIRE_FALSE(s.ok());
  CHECK(host.calls.empty());
}

TEST_CASE("rollback restores start types and running states, and a second rollback changes nothing") {
  MemoryHost host = ApplianceHost();
  Profile profile = MakeProfile({Entry("RemoteRegistry", ServiceDirective::kDisable),
                                 Entry("Spooler", ServiceDirective::kManual),
                                 Entry("PacsStore", ServiceDirective::kMustRun)});
  Result<ServicePlan> plan = PlanServiceLockdown(host, profile);
  REQUIRE(plan.ok());
  std::string sink;
  auto journal = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"});
  REQUIRE(ApplyServicePlan(host, *plan, *journal, Quiet).ok());
  Result<Journal> read = ParseJournal("mem.journal", sink);
  REQUIRE(read.ok());

  RollbackResult first = RollbackServices(host, *read, Quiet);
  CHECK(first.restored == 3);
  CHECK(first.failures.empty());
  CHECK(host.Find("RemoteRegistry")->start == ServiceStartType::kAuto);
  CHECK(host.Find("RemoteRegistry")->running);
  CHECK(host.Find("Spooler")->start == ServiceStartType::kAuto);
  CHECK(host.Find("PacsStore")->start == ServiceStartType::kDemand);
  CHECK_FALSE(host.Find("PacsStore")->running);

  const size_t calls = host.calls.size();
  RollbackResult second = RollbackServices(host, *read, Quiet);
  CHECK(second.restored == 0);
  CHECK(second.already_as_before == 3);
  CHECK(host.calls.size() == calls);
}

TEST_CASE("delayed auto-start is journalled and restored where the SCM supports it") {
  MemoryHost host = ApplianceHost();
  host.Find("RemoteRegistry")->delayed_auto_start = true;
  Result<ServicePlan> plan = PlanServiceLockdown(host, MakeProfile({Entry("RemoteRegistry", ServiceDirective::kDisable)}));
  REQUIRE(plan.ok());
  CHECK(plan->changes[0].Describe() == "service RemoteRegistry: start auto (delayed) -> disabled, running -> stopped");
  std::string sink;
  auto journal = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"});
  REQUIRE(ApplyServicePlan(host, *plan, *journal, Quiet).ok());
  host.Find("RemoteRegistry")->delayed_auto_start = false;  // something else cleared it meanwhile
  Result<Journal> read = ParseJournal("mem.journal", sink);
  REQUIRE(read.ok());
  CHECK(read->services[0].delayed_auto_start == std::optional<bool>(true));
  RollbackServices(host, *read, Quiet);
  CHECK(host.Find("RemoteRegistry")->start == ServiceStartType::kAuto);
  CHECK(host.Find("RemoteRegistry")->delayed_auto_start == std::optional<bool>(true));

  // Where the SCM cannot tell (Wine: ERROR_INVALID_LEVEL) it is journalled as unknown and left alone.
  MemoryHost wine_like;
  wine_like.delayed_supported = false;
  wine_like.AddService("SNMP", ServiceStartType::kAuto, true);
  plan = PlanServiceLockdown(wine_like, MakeProfile({Entry("SNMP", ServiceDirective::kDisable)}));
  REQUIRE(plan.ok());
  sink.clear();
  auto journal2 = StringJournal(&sink, "mem.journal", {"test", "HOST", "2026-11-22T00:00:00Z"});
  REQUIRE(ApplyServicePlan(wine_like, *plan, *journal2, Quiet).ok());
  read = ParseJournal("mem.journal", sink);
  CHECK_FALSE(read->services[0].delayed_auto_start.has_value());
  CHECK(RollbackServices(wine_like, *read, Quiet).failures.empty());
  CHECK(wine_like.Find("SNMP")->start == ServiceStartType::kAuto);
}

TEST_CASE("a torn journal tail is reported and everything before it is used") {
  std::string text = JournalLine("otharden-journal", {{"format", "1"}}) +
                     JournalLine("begin", {{"profile", "p"}, {"host", "H"}, {"utc", "t"}}) +
                     JournalLine("service", {{"name", "Remote Registry%"}, {"start", "auto"}, {"delayed", "unknown"},
                                             {"running", "1"}});
  const std::string second = JournalLine("service", {{"name", "Spooler"}, {"start", "auto"}, {"delayed", "0"},
                                                     {"running", "1"}});
  for (size_t cut = 0; cut < second.size(); ++cut) {
    Result<Journal> j = ParseJournal("j", text + second.substr(0, cut));
    REQUIRE(j.ok());
    REQUIRE(j->services.size() == 1);
    CHECK(j->services[0].name == "Remote Registry%");  // values round-trip through the encoding
    CHECK(j->unreadable_bytes == cut);
    CHECK_FALSE(j->damaged);  // a torn last line: the change it describes was never made
  }
  std::string flipped = text + second;
  flipped[flipped.size() - 20] ^= 1;
  Result<Journal> j = ParseJournal("j", flipped);
  REQUIRE(j.ok());
  CHECK(j->services.size() == 1);
  CHECK(j->unreadable_reason == "a record is damaged (checksum mismatch)");
  CHECK(j->damaged);
  CHECK_FALSE(ParseJournal("j", "hello\n").ok());
}

}  // namespace otharden
