#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "toolkit/spec/profile.h"

namespace otharden {
using namespace testing;
namespace {

std::string ProfileText(const std::string& entries) {
  return "<?xml version=\"1.0\"?>\n"
         "<profile format=\"1\" name=\"test\" policy=\"esu-6003\">\n"
         "  <title>Test</title>\n"
         "  <services>\n" +
         entries +
         "  </services>\n"
         "</profile>\n";
}

std::string ServicesSectionErrorOf(const std::string& entries) {
  Result<Profile> p = ParseProfile("p.xml", ProfileText(entries), ShippedProtectedServices());
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Status::Code::kInvalidInput);
  return p.status().message();
}

}  // namespace

TEST_CASE("the protected list holds every service FACTS.md says never to disable") {
  for (const char* name : {"RpcSs", "DcomLaunch", "EventLog", "BFE", "MpsSvc", "PlugPlay", "SamSs", "Winmgmt",
                           "CryptSvc", "gpsvc", "ProfSvc", "LSM", "TrustedInstaller"}) {
    INFO(name);
    CHECK(ShippedProtectedServices().Find(name));
  }
  CHECK(ShippedProtectedServices().Find("rpcss"));  // service names are case-insensitive
  CHECK_FALSE(ShippedProtectedServices().Find("RemoteRegistry"));
}

TEST_CASE("a services profile parses") {
  Result<Profile> p = ParseProfile("p.xml", ProfileText(
      "    <disable service=\"RemoteRegistry\" reason=\"no remote registry editing\" source=\"CIS 2008\"/>\n"
      "    <manual service=\"SSDPSRV\" reason=\"UPnP discovery is not used\"/>\n"
      "    <must-run service=\"PacsStore\" reason=\"the appliance's own service\"/>\n"), ShippedProtectedServices());
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  CHECK(p->name == "test");
  CHECK(p->policy == "esu-6003");
  REQUIRE(p->services.size() == 3);
  CHECK(p->services[0].directive == ServiceDirective::kDisable);
  CHECK(p->services[0].source == "CIS 2008");
  CHECK(p->services[0].line == 5);
  CHECK(p->services[2].directive == ServiceDirective::kMustRun);
}

TEST_CASE("a profile touching a protected service is refused, naming the service and why") {
  CHECK(ServicesSectionErrorOf("    <disable service=\"MpsSvc\" reason=\"x\"/>\n") ==
        "p.xml:5: service 'MpsSvc' is protected and no profile may disable it: Windows Firewall: the "
        "firewall half of every profile needs it running");
  CHECK(ServicesSectionErrorOf("    <manual service=\"bfe\" reason=\"x\"/>\n").find("service 'bfe' is protected and no profile "
                                                                  "may set it to manual") != std::string::npos);
  // Keeping a protected service running is fine.
  CHECK(ParseProfile("p.xml", ProfileText("    <must-run service=\"EventLog\" reason=\"audit\"/>\n"), ShippedProtectedServices())
            .ok());
}

TEST_CASE("malformed profiles are refused with file, line and problem") {
  CHECK(ServicesSectionErrorOf("    <disable service=\"Telnet\" reason=\"a\"/>\n    <disable service=\"telnet\" reason=\"b\"/>\n") ==
        "p.xml:6: service 'telnet' is listed twice in <disable> (first on line 5)");
  CHECK(ServicesSectionErrorOf("    <disable service=\"Fax\" reason=\"a\"/>\n    <must-run service=\"Fax\" reason=\"b\"/>\n") ==
        "p.xml:6: service 'Fax' is both <disable> (line 5) and <must-run>: a profile must say one thing per "
        "service");
  CHECK(ServicesSectionErrorOf("    <disable service=\"Remote Registry\" reason=\"a\"/>\n")
            .find("'Remote Registry' is not a valid service name") != std::string::npos);
  CHECK(ServicesSectionErrorOf("    <disable service=\"a\\b\" reason=\"a\"/>\n").find("is not a valid service name") !=
        std::string::npos);
  CHECK(ServicesSectionErrorOf("    <disable service=\"Fax\"/>\n") == "p.xml:5: <disable> needs a non-empty 'reason' attribute");
  CHECK(ServicesSectionErrorOf("    <stop service=\"Fax\" reason=\"a\"/>\n") == "p.xml:5: unknown element <stop> inside <services>");
  CHECK(ServicesSectionErrorOf("    <disable service=\"Fax\" reason=\"a\" when=\"now\"/>\n") ==
        "p.xml:5: unknown attribute 'when' on <disable>");
  CHECK(ServicesSectionErrorOf("").find("the profile changes nothing") != std::string::npos);
  Result<Profile> not_profile = ParseProfile("p.xml", "<policy format=\"1\"/>", ShippedProtectedServices());
  CHECK(not_profile.status().message() ==
        "p.xml:1: root element is <policy>, expected <profile>: is this a profile file?");
}

}  // namespace otharden
