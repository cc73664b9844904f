// Site parameters: value checking, --param and site files, and their use in
// profiles ({name} in rule lists, if/unless on entries) and policies.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "toolkit/engine/check.h"
#include "toolkit/platform/memory_host.h"
#include "toolkit/spec/parameters.h"
#include "toolkit/spec/profile.h"
#include "toolkit/spec/site.h"

namespace otharden {
using namespace testing;
namespace {

using Type = ProfileParameter::Type;

// A profile with parameters; line 5 is the first <parameter>, line 15 the DICOM rule.
const char* kProfile = R"(<?xml version="1.0"?>
<profile format="1" name="imaging" policy="esu-6003">
  <title>T</title>
  <parameters>
    <parameter name="pacs-addresses" type="address-list" description="the PACS"/>
    <parameter name="dicom-port" type="port" default="104" description="DICOM port"/>
    <parameter name="film-printer" type="boolean" default="false" description="printer attached"/>
  </parameters>
  <services>
    <disable service="Spooler" unless="film-printer" reason="r1" source="s"/>
    <must-run service="Spooler" if="film-printer" reason="r2"/>
    <disable service="fax" reason="r3"/>
  </services>
  <firewall>
    <allow name="DICOM" protocol="tcp" local-ports="{dicom-port},11112" remote-addresses="{pacs-addresses}, 10.9.9.9" reason="r4"/>
    <allow name="Print" protocol="tcp" local-ports="9100" remote-addresses="{pacs-addresses}" if="film-printer" reason="r5"/>
  </firewall>
</profile>
)";

ParameterArgument Param(const std::string& name, const std::string& value) {
  Result<ParameterArgument> a = ParseParamOption(name + "=" + value);
  REQUIRE(a.ok());
  return *a;
}

Result<Profile> Parse(const std::string& text, const std::vector<ParameterArgument>& given) {
  return ParseProfile("p.xml", text, ShippedProtectedServices(), given);
}

std::string ParametersErrorOf(const std::string& text, const std::vector<ParameterArgument>& given) {
  Result<Profile> p = Parse(text, given);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Status::Code::kInvalidInput);
  return p.status().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("parameter values are checked strictly against their type") {
  CHECK(*ValidateParameterValue(Type::kPort, "104") == "104");
  CHECK(*ValidateParameterValue(Type::kPort, "65535") == "65535");
  for (const char* bad : {"0", "65536", "-1", "+5", "0104", "1-2", "104,105", "", " 104", "1e3"}) {
    INFO(bad);
    CHECK_FALSE(ValidateParameterValue(Type::kPort, bad).ok());
  }
  CHECK(*ValidateParameterValue(Type::kAddressList, "10.20.0.0/16, 10.20.5.10") == "10.20.0.0/16,10.20.5.10");
  CHECK(ValidateParameterValue(Type::kAddressList, "10.0.0.1-10.0.0.9").ok());
  CHECK(ValidateParameterValue(Type::kAddressList, "10.1.2.0/255.255.255.0").ok());
  for (const char* bad : {"", "10.0.0.256", "10.0.0.0/33", "10.0.0.9-10.0.0.1", "pacs.example", "10.0.0.1,,10.0.0.2",
                          "{x}"}) {
    INFO(bad);
    CHECK_FALSE(ValidateParameterValue(Type::kAddressList, bad).ok());
  }
  CHECK(ValidateParameterValue(Type::kBoolean, "true").ok());
  CHECK(ValidateParameterValue(Type::kBoolean, "false").ok());
  for (const char* bad : {"yes", "1", "True", "on", ""}) CHECK_FALSE(ValidateParameterValue(Type::kBoolean, bad).ok());
  CHECK(ValidateParameterValue(Type::kMonth, "2023-01").ok());
  for (const char* bad : {"2023-13", "2023-1", "23-01", "2023/01"}) CHECK_FALSE(ValidateParameterValue(Type::kMonth, bad).ok());
}

TEST_CASE("--param NAME=VALUE is parsed and names are checked") {
  Result<ParameterArgument> a = ParseParamOption("pacs-addresses=10.0.0.0/8");
  REQUIRE(a.ok());
  CHECK(a->name == "pacs-addresses");
  CHECK(a->value == "10.0.0.0/8");
  CHECK(a->source == "--param");
  CHECK(ParseParamOption("x=").ok());  // an empty value is the type's problem, named later
  for (const char* bad : {"novalue", "=1", "Pacs=1", "pacs_addresses=1", "1st=1", "a-=1"}) {
    INFO(bad);
    CHECK_FALSE(ParseParamOption(bad).ok());
  }
}

TEST_CASE("--param wins over the site file and says which entry it overrides") {
  std::vector<ParameterArgument> site = {{"a", "1", "s.xml:3", "site file s.xml:3"},
                                         {"b", "2", "s.xml:4", "site file s.xml:4"}};
  Result<std::vector<ParameterArgument>> merged = MergeParameterArguments(site, {Param("b", "9"), Param("c", "3")});
  REQUIRE(merged.ok());
  REQUIRE(merged->size() == 3);
  CHECK((*merged)[0].value == "1");
  CHECK((*merged)[1].value == "9");
  CHECK((*merged)[1].source == "--param (overrides site file s.xml:4)");
  CHECK((*merged)[2].source == "--param");
  Result<std::vector<ParameterArgument>> twice = MergeParameterArguments({}, {Param("a", "1"), Param("a", "2")});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().message().find("--param a is given twice") != std::string::npos);
}

TEST_CASE("did you mean: the closest declared name within two edits or as a prefix") {
  const std::vector<std::string> names = {"pacs-addresses", "ris-addresses", "dicom-port"};
  CHECK(ClosestName("pacs-adresses", names) == "pacs-addresses");
  CHECK(ClosestName("dicom-prot", names) == "dicom-port");
  CHECK(ClosestName("dicom", names) == "dicom-port");
  CHECK(ClosestName("vendor-jump-host", names).empty());
}

TEST_CASE("a profile's parameters are substituted into rules and decide conditional entries") {
  Result<Profile> p = Parse(kProfile, {Param("pacs-addresses", "10.20.0.0/16")});
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  REQUIRE(p->parameter_values.size() == 3);
  CHECK(p->parameter_values[0].value == "10.20.0.0/16");
  CHECK(p->parameter_values[0].source == "--param");
  CHECK(p->parameter_values[1].value == "104");
  CHECK(p->parameter_values[1].source == "default");
  // film-printer false: Spooler disabled, the must-run and the Print rule left out.
  REQUIRE(p->services.size() == 2);
  CHECK(p->services[0].name == "Spooler");
  CHECK(p->services[0].directive == ServiceDirective::kDisable);
  REQUIRE(p->firewall.rules.size() == 1);
  const FirewallRule& dicom = p->firewall.rules[0].rule;
  REQUIRE(dicom.local_ports.size() == 2);
  CHECK(dicom.local_ports[0].first == 104);
  CHECK(dicom.local_ports[1].first == 11112);
  REQUIRE(dicom.remote_v4.size() == 2);
  CHECK(FormatAddress(dicom.remote_v4[0]) == "10.20.0.0/16");
  CHECK(FormatAddress(dicom.remote_v4[1]) == "10.9.9.9");
  REQUIRE(p->excluded.size() == 2);
  CHECK(p->excluded[0] == "must-run Spooler (if film-printer)");
  CHECK(p->excluded[1] == "firewall rule 'Print' (if film-printer)");

  Result<Profile> printing =
      Parse(kProfile, {Param("pacs-addresses", "10.20.0.0/16"), Param("film-printer", "true"), Param("dicom-port", "4242")});
  REQUIRE(printing.ok());
  CHECK(printing->services[0].directive == ServiceDirective::kMustRun);
  CHECK(printing->firewall.rules.size() == 2);
  CHECK(printing->firewall.rules[0].rule.local_ports[0].first == 4242);
  CHECK(printing->excluded == std::vector<std::string>{"disable Spooler (unless film-printer)"});
}

TEST_CASE("a missing, malformed or undeclared parameter is refused, naming it and where") {
  CHECK(ParametersErrorOf(kProfile, {}).rfind("p.xml:5: parameter 'pacs-addresses' (address-list: the PACS) is required", 0) == 0);
  CHECK(ParametersErrorOf(kProfile, {Param("pacs-addresses", "10.20.0.0/33")})
            .rfind("--param pacs-addresses=10.20.0.0/33: parameter 'pacs-addresses' (address-list, declared at p.xml:5)", 0) == 0);
  CHECK(ParametersErrorOf(kProfile, {Param("pacs-addresses", "10.0.0.1"), Param("dicom-port", "70000")}).find("'70000' is not a port") !=
        std::string::npos);
  CHECK(ParametersErrorOf(kProfile, {Param("pacs-addresses", "10.0.0.1"), Param("film-printer", "yes")}).find("'yes' is not a boolean") !=
        std::string::npos);
  const std::string typo = ParametersErrorOf(kProfile, {Param("pacs-addresses", "10.0.0.1"), Param("dicom-prot", "1")});
  CHECK(typo.find("--param dicom-prot=1: profile imaging (p.xml) declares no parameter 'dicom-prot'; did you mean "
                  "'dicom-port'?") == 0);
  // A site file value that is malformed names the site file's line.
  ParameterArgument from_site{"pacs-addresses", "nowhere", "site.xml:7", "site file site.xml:7"};
  CHECK(ParametersErrorOf(kProfile, {from_site}).rfind("site.xml:7: parameter 'pacs-addresses'", 0) == 0);
}

TEST_CASE("parameter declarations and references are validated with file and line") {
  const std::vector<ParameterArgument> ok = {Param("pacs-addresses", "10.0.0.1")};
  CHECK(ParametersErrorOf(Replace(kProfile, "{dicom-port},11112", "{dicom-prot}"), ok)
            .find("p.xml:15: local-ports: {dicom-prot} names no declared parameter; did you mean 'dicom-port'?") == 0);
  CHECK(ParametersErrorOf(Replace(kProfile, "{dicom-port},11112", "{pacs-addresses}"), ok)
            .find("p.xml:15: local-ports: {pacs-addresses} is address-list, this list needs port") == 0);
  CHECK(ParametersErrorOf(Replace(kProfile, "{dicom-port},11112", "x{dicom-port}"), ok).find("is not a parameter reference") !=
        std::string::npos);
  CHECK(ParametersErrorOf(Replace(kProfile, "name=\"DICOM\"", "name=\"{DICOM}\""), ok)
            .find("parameters ({name}) can only be used in remote-addresses, local-ports and remote-ports") != std::string::npos);
  CHECK(ParametersErrorOf(Replace(kProfile, "unless=\"film-printer\"", "unless=\"dicom-port\""), ok)
            .find("p.xml:10: unless=\"dicom-port\" needs a boolean parameter") == 0);
  CHECK(ParametersErrorOf(Replace(kProfile, "unless=\"film-printer\"", "if=\"film-printer\""), ok)
            .find("p.xml:11: service 'Spooler' is both <disable> (line 10) and <must-run>") == 0);
  CHECK(ParametersErrorOf(Replace(kProfile, "type=\"port\"", "type=\"number\""), ok)
            .find("p.xml:6: parameter 'dicom-port': type 'number' must be one of") == 0);
  CHECK(ParametersErrorOf(Replace(kProfile, "default=\"104\"", "default=\"0\""), ok).find("p.xml:6: parameter 'dicom-port': default") ==
        0);
  CHECK(ParametersErrorOf(Replace(kProfile, "name=\"film-printer\"", "name=\"dicom-port\""), ok)
            .find("p.xml:7: parameter 'dicom-port' is declared twice (first on line 6)") == 0);
  CHECK(ParametersErrorOf(Replace(kProfile, " description=\"the PACS\"", ""), ok).find("needs a non-empty 'description'") !=
        std::string::npos);
  CHECK(ParametersErrorOf(Replace(kProfile, "<parameter name=\"dicom-port\"", "<parameter required=\"true\" name=\"dicom-port\""), ok)
            .find("unknown attribute 'required'") != std::string::npos);
}

TEST_CASE("the protected list wins even for an entry a parameter leaves out") {
  const std::string text = Replace(kProfile, "<disable service=\"fax\" reason=\"r3\"/>",
                                   "<disable service=\"MpsSvc\" if=\"film-printer\" reason=\"r3\"/>");
  CHECK(ParametersErrorOf(text, {Param("pacs-addresses", "10.0.0.1")}).find("service 'MpsSvc' is protected") != std::string::npos);
}

TEST_CASE("site files are read strictly, with file and line") {
  Result<SiteFile> site = ParseSiteFile("s.xml", R"(<?xml version="1.0"?>
<site format="1" profile="imaging">
  <description>St Mary's CT 2</description>
  <param name="pacs-addresses" value="10.20.0.0/16"/>
  <param name="film-printer" value="true"/>
</site>
)");
  REQUIRE(site.ok());
  CHECK(site->profile == "imaging");
  REQUIRE(site->values.size() == 2);
  CHECK(site->values[0].origin == "s.xml:4");
  CHECK(site->values[1].source == "site file s.xml:5");
  Result<Profile> p = Parse(kProfile, site->values);
  REQUIRE(p.ok());
  CHECK(p->parameter_values[0].source == "site file s.xml:4");

  const auto error = [](const std::string& body) {
    Result<SiteFile> s = ParseSiteFile("s.xml", "<site format=\"1\" profile=\"imaging\">\n" + body + "</site>\n");
    REQUIRE_FALSE(s.ok());
    return s.status().message();
  };
  CHECK(error("  <parm name=\"a\" value=\"1\"/>\n").find("s.xml:2: unknown element <parm> inside <site>") == 0);
  CHECK(error("  <param name=\"a\" value=\"1\"/>\n  <param name=\"a\" value=\"2\"/>\n")
            .find("s.xml:3: parameter 'a' is given twice (first at s.xml:2)") == 0);
  CHECK(error("  <param name=\"A b\" value=\"1\"/>\n").find("s.xml:2: 'A b' is not a parameter name") == 0);
  CHECK(error("  <param name=\"a\"/>\n").find("s.xml:2: <param name=\"a\"> needs a value attribute") == 0);
  CHECK(error("  <param name=\"a\" value=\"1\" note=\"x\"/>\n").find("unknown attribute 'note'") != std::string::npos);
  CHECK(error("  <param name=\"a\" value=\"1\">\n").find("s.xml:") == 0);  // not well-formed
  Result<SiteFile> wrong_root = ParseSiteFile("s.xml", "<profile format=\"1\"/>");
  CHECK(wrong_root.status().message().find("expected <site>") != std::string::npos);
  Result<SiteFile> no_format = ParseSiteFile("s.xml", "<site profile=\"x\"/>");
  CHECK(no_format.status().message().find("format") != std::string::npos);
}

TEST_CASE("esu-6003-strict fails a host whose newest rollup is older than min-rollup") {
  const std::string path = OTHARDEN_SOURCE_DIR "/policies/esu-6003-strict.xml";
  Result<Policy> missing = LoadPolicyFile(path);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("parameter 'min-rollup' (month") != std::string::npos);
  Result<Policy> beyond = LoadPolicyFile(path, {Param("min-rollup", "2026-02")});
  REQUIRE_FALSE(beyond.ok());
  CHECK(beyond.status().message().find("no host could pass") != std::string::npos);

  MemoryHost host;  // 6003 at the May 2022 rollup with every prerequisite
  host.os.rtl = KernelVersionInfo{6, 0, 6003, "Service Pack 2", 2, 0, ProductType::kServer};
  host.os.registry.current_version = "6.0";
  host.os.registry.current_build_number = "6003";
  host.os.registry.csd_version = "Service Pack 2";
  host.os.registry.product_name = "Windows Server (R) 2008 Standard";
  host.os.kernel_path = "C:\\Windows\\System32\\ntoskrnl.exe";
  host.os.host_name = "SCANNER-01";
  host.os.kernel_file_version = FileVersion::Parse("6.0.6003.21481");
  host.os.native_architecture = host.os.process_architecture = Architecture::kX64;
  for (const char* kb : {"KB4474419", "KB4493730", "KB4538484", "KB5014010"}) host.AddPackage(kb, 0x70);

  for (const auto& [min, pass] : std::vector<std::pair<std::string, bool>>{{"2022-05", true}, {"2019-04", true},
                                                                           {"2022-06", false}, {"2025-01", false}}) {
    INFO(min);
    Result<Policy> policy = LoadPolicyFile(path, {Param("min-rollup", min)});
    REQUIRE(policy.ok());
    REQUIRE(policy->min_rollup);
    Result<CheckResult> r = RunCheck(host, *policy);
    REQUIRE(r.ok());
    const Finding* floor = nullptr;
    for (const Finding& f : r->findings) {
      if (f.id == "rollup-minimum") floor = &f;
    }
    REQUIRE(floor);
    CHECK((floor->outcome == Outcome::kPass) == pass);
    CHECK(r->compliant() == pass);
    CHECK(floor->evidence.find("KB5014010 (2022-05); the policy requires " + min + " or later (parameter min-rollup, --param)") !=
          std::string::npos);
  }
  // The plain esu-6003 has no floor: the same host is compliant.
  Result<Policy> plain = LoadPolicyFile(OTHARDEN_SOURCE_DIR "/policies/esu-6003.xml");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->min_rollup);
}

}  // namespace otharden
