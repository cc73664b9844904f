// Every profile, site file and policy shipped in the repository loads with the
// real loaders, and the profiles keep the rules the project sets for them:
// every entry has a reason and a source, no protected service is disabled or
// set to manual (checked on the raw XML, independently of the profile parser),
// and each profile has an example site file that satisfies it.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include <filesystem>
#include <map>
#include <set>
#include <tinyxml2.h>

#include "toolkit/spec/policy.h"
#include "toolkit/spec/profile.h"
#include "toolkit/spec/site.h"

namespace otharden {
using namespace testing;
namespace {

namespace fs = std::filesystem;
const std::string kRepo = OTHARDEN_SOURCE_DIR;

std::vector<std::string> XmlFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(kRepo + "/" + dir)) {
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The profile's example site file, as the README documents it.
SiteFile ExampleSite(const std::string& profile_path) {
  const std::string name = fs::path(profile_path).stem().string();
  Result<SiteFile> site = LoadSiteFile(kRepo + "/profiles/sites/example-" + name + ".xml");
  INFO(profile_path << ": " << site.status().ToString());
  REQUIRE(site.ok());
  CHECK(site->profile == name);
  return *site;
}

}  // namespace

TEST_CASE("the repository ships the four profiles and both ESU policies") {
  std::set<std::string> profiles, policies;
  for (const std::string& f : XmlFiles("profiles")) profiles.insert(fs::path(f).filename().string());
  for (const std::string& f : XmlFiles("policies")) policies.insert(fs::path(f).filename().string());
  CHECK(profiles == std::set<std::string>{"baseline-2008.xml", "baggage-handling.xml", "industrial-hmi.xml",
                                          "medical-imaging.xml"});
  CHECK(policies.count("esu-6003.xml"));
  CHECK(policies.count("esu-6003-strict.xml"));
}

TEST_CASE("every policy in the repository validates") {
  for (const std::string& path : XmlFiles("policies")) {
    if (fs::path(path).filename() == "protected-services.xml") continue;
    INFO(path);
    Result<Policy> policy = LoadPolicyFile(path, {{"min-rollup", "2023-01", "test", "test"}}, false);
    INFO(policy.status().ToString());
    CHECK(policy.ok());
  }
}

TEST_CASE("esu-6003-strict carries the same catalogue as esu-6003") {
  Result<Policy> plain = LoadPolicyFile(kRepo + "/policies/esu-6003.xml");
  Result<Policy> strict = LoadPolicyFile(kRepo + "/policies/esu-6003-strict.xml", {{"min-rollup", "2023-01", "t", "t"}});
  REQUIRE(plain.ok());
  REQUIRE(strict.ok());
  CHECK(strict->required_build == plain->required_build);
  CHECK(strict->product_types == plain->product_types);
  CHECK(strict->architectures == plain->architectures);
  REQUIRE(strict->updates.size() == plain->updates.size());
  for (size_t i = 0; i < plain->updates.size(); ++i) {
    CHECK(strict->updates[i].id == plain->updates[i].id);
    REQUIRE(strict->updates[i].kbs.size() == plain->updates[i].kbs.size());
    for (size_t k = 0; k < plain->updates[i].kbs.size(); ++k) {
      CHECK(strict->updates[i].kbs[k].kb == plain->updates[i].kbs[k].kb);
      CHECK(strict->updates[i].kbs[k].provenance.source == plain->updates[i].kbs[k].provenance.source);
    }
  }
  REQUIRE(strict->rollups.size() == plain->rollups.size());
  for (size_t i = 0; i < plain->rollups.size(); ++i) {
    INFO(RollupLabel(plain->rollups[i]));
    CHECK(RollupLabel(strict->rollups[i]) == RollupLabel(plain->rollups[i]));
    CHECK(strict->rollups[i].min_kernel == plain->rollups[i].min_kernel);
    CHECK(strict->rollups[i].provenance.source == plain->rollups[i].provenance.source);
    CHECK(strict->rollups[i].provenance.confidence == plain->rollups[i].provenance.confidence);
  }
  CHECK(strict->min_rollup == YearMonth::Parse("2023-01"));
}

TEST_CASE("every profile loads with its example site file, and with each boolean parameter flipped") {
  for (const std::string& path : XmlFiles("profiles")) {
    INFO(path);
    const SiteFile site = ExampleSite(path);
    Result<Profile> profile = LoadProfileFile(path, ShippedProtectedServices(), site.values);
    INFO(profile.status().ToString());
    REQUIRE(profile.ok());
    CHECK(profile->name == fs::path(path).stem().string());
    CHECK(profile->firewall.present);
    CHECK_FALSE(profile->services.empty());
    // The policy it requires exists and loads with the profile's values.
    std::vector<ParameterArgument> values;
    for (const ParameterValue& v : profile->parameter_values) values.push_back({v.name, v.value, v.source, v.source});
    CHECK(LoadPolicyFile(kRepo + "/policies/" + profile->policy + ".xml", values, false).ok());
    for (const ProfileParameter& p : profile->parameters) {
      if (p.type != ProfileParameter::Type::kBoolean) continue;
      const std::string now = FindParameterValue(profile->parameter_values, p.name)->value;
      std::vector<ParameterArgument> flipped = site.values;
      Result<std::vector<ParameterArgument>> merged =
          MergeParameterArguments(flipped, {{p.name, now == "true" ? "false" : "true", "--param", "--param"}});
      REQUIRE(merged.ok());
      Result<Profile> other = LoadProfileFile(path, ShippedProtectedServices(), *merged);
      INFO(p.name << " flipped: " << other.status().ToString());
      CHECK(other.ok());
    }
  }
}

TEST_CASE("every profile entry has a reason and a source") {
  for (const std::string& path : XmlFiles("profiles")) {
    Result<Profile> profile = LoadProfileFile(path, ShippedProtectedServices(), ExampleSite(path).values);
    REQUIRE(profile.ok());
    for (const ServiceEntry& e : profile->services) {
      INFO(path << ":" << e.line << " " << e.name);
      CHECK(e.reason.size() >= 10);
      CHECK_FALSE(e.source.empty());
    }
    for (const FirewallAllowEntry& e : profile->firewall.rules) {
      INFO(path << ":" << e.line << " " << e.rule.name);
      CHECK(e.reason.size() >= 10);
      CHECK_FALSE(e.source.empty());
      CHECK(e.rule.description == e.reason);
    }
  }
}

// Read the raw XML, every entry whatever its condition, so that this holds even
// if the parser's own protected check or its if/unless handling were wrong.
TEST_CASE("no profile disables or sets to manual a protected service, under any parameter") {
  int entries = 0;
  for (const std::string& path : XmlFiles("profiles")) {
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.LoadFile(path.c_str()) == tinyxml2::XML_SUCCESS);
    const tinyxml2::XMLElement* services = doc.RootElement()->FirstChildElement("services");
    REQUIRE(services);
    for (const tinyxml2::XMLElement* el = services->FirstChildElement(); el; el = el->NextSiblingElement()) {
      const std::string kind = el->Name();
      const char* name = el->Attribute("service");
      REQUIRE(name);
      INFO(path << ":" << el->GetLineNum() << " <" << kind << " service=" << name << ">");
      CHECK(el->Attribute("reason"));
      if (kind == "disable" || kind == "manual") CHECK_FALSE(ShippedProtectedServices().Find(name));
      ++entries;
    }
  }
  CHECK(entries >= 4 * 14);
}

TEST_CASE("the appliance profiles disable at least what the baseline disables") {
  Result<Profile> baseline =
      LoadProfileFile(kRepo + "/profiles/baseline-2008.xml", ShippedProtectedServices(), ExampleSite(kRepo + "/profiles/baseline-2008.xml").values);
  REQUIRE(baseline.ok());
  for (const char* name : {"medical-imaging", "baggage-handling", "industrial-hmi"}) {
    const std::string path = kRepo + "/profiles/" + name + ".xml";
    Result<Profile> profile = LoadProfileFile(path, ShippedProtectedServices(), ExampleSite(path).values);
    REQUIRE(profile.ok());
    for (const ServiceEntry& b : baseline->services) {
      if (b.name == "Spooler" || b.name == "SNMP" || b.name == "SNMPTRAP") continue;  // site decisions
      bool found = false;
      for (const ServiceEntry& e : profile->services) found = found || (e.name == b.name && e.directive == b.directive);
      INFO(name << " lacks " << b.name);
      CHECK(found);
    }
  }
}

}  // namespace otharden
