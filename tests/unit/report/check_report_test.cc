#include <catch2/catch.hpp>
#include <tinyxml2.h>

#include "toolkit/engine/check.h"
#include "toolkit/report/check_report.h"

namespace otharden {

TEST_CASE("check results become a well-formed report that escapes host text") {
  Result<Policy> policy = LoadPolicyFile(OTHARDEN_SOURCE_DIR "/policies/esu-6003.xml");
  REQUIRE(policy.ok());
  OsIdentity os;
  os.rtl = KernelVersionInfo{6, 0, 6003, "Service Pack 2", 2, 0, ProductType::kServer};
  os.registry.current_version = "6.0";
  os.registry.current_build_number = "6003";
  os.registry.product_name = "Server <&> \"2008\"";
  os.kernel_file_version = FileVersion::Parse("6.0.6003.21481");
  os.native_architecture = Architecture::kX64;
  os.host_name = "PACS-<01>";
  std::vector<CbsPackage> packages = {
      {"Package_for_KB5014010~31bf3856ad364e35~amd64~~6.0.1.5", "KB5014010", 0x70}};
  Result<CheckResult> result = EvaluatePolicy(os, packages, *policy);
  REQUIRE(result.ok());

  const std::string xml = CheckResultToXml(*result, *policy, ToolIdentity{"9.9", "x64", "test"});
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(xml.c_str()) == tinyxml2::XML_SUCCESS);
  tinyxml2::XMLElement* root = doc.RootElement();
  CHECK(std::string(root->Name()) == "otharden-report");
  CHECK(root->IntAttribute("format") == kReportFormatVersion);
  CHECK(std::string(root->FirstChildElement("host")->Attribute("name")) == "PACS-<01>");
  CHECK(std::string(root->FirstChildElement("host")->FirstChildElement("os")
                        ->FirstChildElement("registry")->Attribute("product-name")) ==
        "Server <&> \"2008\"");
  CHECK(std::string(root->FirstChildElement("verdict")->Attribute("result")) == "not-compliant");
  CHECK(root->FirstChildElement("verdict")->IntAttribute("fail") == result->Count(Outcome::kFail));
  CHECK(std::string(root->FirstChildElement("rollup")->FirstChildElement("latest")->Attribute("kb")) ==
        "KB5014010");
}

}  // namespace otharden
