#include <catch2/catch.hpp>
#include <tinyxml2.h>

#include "toolkit/engine/check.h"
#include "toolkit/report/html_report.h"
#include "toolkit/report/report_files.h"
#include "toolkit/report/report_reader.h"
#include "toolkit/report/report_xml.h"

namespace otharden {
namespace {

struct Fixture {
  Policy policy;
  CheckResult result;
  ReportContext context;
  DocumentRef policy_file{"policies/esu-6003.xml", std::string(64, 'a')};

  Fixture() {
    Result<Policy> p = LoadPolicyFile(OTHARDEN_SOURCE_DIR "/policies/esu-6003.xml");
    REQUIRE(p.ok());
    policy = *p;
    OsIdentity os;
    os.rtl = KernelVersionInfo{6, 0, 6003, "Service Pack 2", 2, 0, ProductType::kServer};
    os.registry.current_version = "6.0";
    os.registry.current_build_number = "6003";
    os.registry.product_name = "Server <&> \"2008\"";
    os.kernel_file_version = FileVersion::Parse("6.0.6003.21481");
    os.native_architecture = Architecture::kX64;
    os.host_name = "PACS-<01>";
    os.domain_or_workgroup = "WORKGROUP";
    std::vector<CbsPackage> packages = {
        {"Package_for_KB5014010~31bf3856ad364e35~amd64~~6.0.1.5", "KB5014010", 0x70}};
    Result<CheckResult> r = EvaluatePolicy(os, packages, policy);
    REQUIRE(r.ok());
    result = *r;
    context.tool = ToolIdentity{"9.9.9", "x64", "test build"};
    context.tool_sha256 = std::string(64, 'b');
    context.operator_name = "J. Tech";
    context.time = UtcTime::FromUnixSeconds(1795307112);  // 2026-11-22T00:25:12Z
    context.command = "check";
  }
  std::string Xml() const { return CheckReportXml(result, policy, policy_file, context); }
};

}  // namespace

TEST_CASE("check reports are well-formed and escape host text") {
  Fixture f;
  const std::string xml = f.Xml();
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(xml.c_str()) == tinyxml2::XML_SUCCESS);
  tinyxml2::XMLElement* root = doc.RootElement();
  CHECK(std::string(root->Name()) == "otharden-report");
  CHECK(root->IntAttribute("format") == kReportFormatVersion);
  CHECK(std::string(root->FirstChildElement("host")->Attribute("name")) == "PACS-<01>");
  CHECK(std::string(root->FirstChildElement("run")->Attribute("utc")) == "2026-11-22T00:25:12Z");
  CHECK(std::string(root->FirstChildElement("run")->Attribute("operator")) == "J. Tech");
  CHECK(std::string(root->FirstChildElement("policy")->Attribute("sha256")) == std::string(64, 'a'));
  CHECK(std::string(root->FirstChildElement("verdict")->Attribute("result")) == "not-compliant");
}

TEST_CASE("a report reads back as it was written") {
  Fixture f;
  Result<CheckReport> r = ParseCheckReport("r.xml", f.Xml());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->host_name == "PACS-<01>");
  CHECK(r->membership == "workgroup WORKGROUP");
  CHECK(r->product_name == "Server <&> \"2008\"");
  CHECK(r->operator_name == "J. Tech");
  CHECK(r->verdict == "not-compliant");
  CHECK(r->fail == f.result.Count(Outcome::kFail));
  CHECK(r->findings.size() == f.result.findings.size());
  CHECK(r->latest_rollup == "KB5014010 (2022-05)");
  CHECK(r->final_rollup == "2026-01 (ntoskrnl 6.0.6003.23717)");
  REQUIRE(r->packages.size() == 1);
  CHECK(r->packages[0].kb == "KB5014010");
}

TEST_CASE("reports that are not what they claim are refused with file and line") {
  Fixture f;
  const std::string xml = f.Xml();
  auto error_of = [](const std::string& text) {
    Result<CheckReport> r = ParseCheckReport("r.xml", text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
    return r.status().message();
  };
  std::string text = xml;
  text.replace(text.find("format=\"1\""), 10, "format=\"7\"");
  CHECK(error_of(text).find("r.xml:2: report format '7' is not one this otharden reads") == 0);

  // A verdict edited to "compliant" no longer matches its failed findings.
  text = xml;
  text.replace(text.find("result=\"not-compliant\""), 22, "result=\"compliant\"");
  CHECK(error_of(text).find("the verdict does not match the findings") != std::string::npos);

  text = xml;
  text.replace(text.find("<findings>"), 10, "<findings><extra/>");
  CHECK(error_of(text).find("unknown element <extra> inside <findings>") != std::string::npos);

  CHECK(error_of(xml.substr(0, xml.size() / 2)).find("r.xml:") == 0);
  CHECK(error_of("<policy format=\"1\"/>").find("this is not an otharden report") != std::string::npos);
}

TEST_CASE("the HTML page puts the verdict first and escapes everything") {
  Fixture f;
  Result<CheckReport> r = ParseCheckReport("r.xml", f.Xml());
  REQUIRE(r.ok());
  SignatureStatus sig;
  sig.state = SignatureStatus::State::kInvalid;
  sig.detail = "signature <does not> match";
  const std::string html = RenderCheckReportHtml(*r, sig, "r.xml");
  CHECK(html.find("NOT COMPLIANT") < html.find("SIGNATURE NOT VALID"));
  CHECK(html.find("SIGNATURE NOT VALID") < html.find("Requirements"));
  CHECK(html.find("PACS-&lt;01&gt;") != std::string::npos);
  CHECK(html.find("PACS-<01>") == std::string::npos);
  CHECK(html.find("signature &lt;does not&gt; match") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);  // self-contained: nothing fetched
}

TEST_CASE("report file names are safe whatever the host name contains") {
  const UtcTime t = UtcTime::FromUnixSeconds(1795307112);
  CHECK(ReportFileName("SCANNER-01", t, "check") == "SCANNER-01-20261122T002512Z-check.xml");
  CHECK(ReportFileName("../../evil\\name", t, "check") == "______evil_name-20261122T002512Z-check.xml");
  CHECK(ReportFileName("CON", t, "check").find("CON-2026") == 0);  // never a bare device name
  CHECK(ReportFileName("", t, "check") == "unnamed-20261122T002512Z-check.xml");
  CHECK(ReportFileName("\xC3\xA9\xC3\xA9", t, "check") == "____-20261122T002512Z-check.xml");
  CHECK(SafeFileComponent(std::string(500, 'x')).size() == 63);
}

TEST_CASE("trusted comments stay on one line") {
  const UtcTime t = UtcTime::FromUnixSeconds(0);
  CHECK(ReportTrustedComment("check", "evil\nverdict=compliant", t, "not-compliant", "f.xml") ==
        "otharden check host=evil?verdict=compliant utc=1970-01-01T00:00:00Z verdict=not-compliant "
        "file=f.xml");
}

TEST_CASE("UTC times are rendered without the C library's time zone") {
  CHECK(UtcTime::FromUnixSeconds(0).Iso8601() == "1970-01-01T00:00:00Z");
  CHECK(UtcTime::FromUnixSeconds(951782400).Iso8601() == "2000-02-29T00:00:00Z");
  CHECK(UtcTime::FromUnixSeconds(1795307112).Compact() == "20261122T002512Z");
  CHECK(UtcTime::FromUnixSeconds(4102444799).Iso8601() == "2099-12-31T23:59:59Z");
}

}  // namespace otharden
