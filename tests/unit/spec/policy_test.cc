#include <catch2/catch.hpp>

#include "toolkit/spec/policy.h"

namespace otharden {
namespace {

// A minimal valid policy; tests splice faults into it.
std::string PolicyText(const std::string& rollups_extra = "", const std::string& root_extra = "") {
  return R"(<?xml version="1.0"?>
<policy format="1" name="test-policy">
  <title>Test</title>
  <os version="6.0" service-pack="2" product-types="server" architectures="x86 x64"/>
  <build number="6003" confidence="H" source="test"><remedy>install a rollup</remedy></build>
  <update id="sha2" title="SHA-2">
    <remedy>install KB4474419</remedy>
    <kb id="KB4474419" confidence="H" source="test"/>
  </update>
  <rollups>
    <rollup month="2019-04" kb="KB4493471" min-kernel="6.0.6003.20489" confidence="H" source="t"/>
)" + rollups_extra + R"(  </rollups>
)" + root_extra + "</policy>\n";
}

std::string PolicyErrorOf(const std::string& text) {
  Result<Policy> p = ParsePolicy("bad.xml", text);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Status::Code::kInvalidInput);
  return p.status().message();
}

}  // namespace

TEST_CASE("the repository's esu-6003 policy loads") {
  Result<Policy> p = LoadPolicyFile(OTHARDEN_SOURCE_DIR "/policies/esu-6003.xml");
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  CHECK(p->name == "esu-6003");
  CHECK(p->required_build == 6003);
  CHECK(p->os_major == 6);
  CHECK(p->os_minor == 0);
  CHECK(p->service_pack == 2);
  REQUIRE(p->updates.size() == 3);
  CHECK(p->updates[0].kbs[0].kb == "KB4474419");
  CHECK(p->updates[1].kbs[0].kb == "KB4493730");
  CHECK(p->updates[2].kbs[0].kb == "KB4538484");
  REQUIRE(p->rollups.size() > 40);
  CHECK(p->rollups.front().kb == "KB4493471");
  CHECK(p->rollups.front().month.ToString() == "2019-04");
  // The catalogue runs to the final update of January 2026 (FACTS.md).
  CHECK(p->rollups.back().month.ToString() == "2026-01");
  for (const RollupEntry& r : p->rollups) {
    CHECK_FALSE(r.provenance.source.empty());
  }
}

TEST_CASE("a minimal policy parses") {
  Result<Policy> p = ParsePolicy("t.xml", PolicyText());
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  CHECK(p->title == "Test");
  CHECK(p->build_remedy == "install a rollup");
  REQUIRE(p->rollups.size() == 1);
  CHECK(p->rollups[0].min_kernel->revision == 20489);
  CHECK_FALSE(p->max_months_behind);
}

TEST_CASE("policy errors name the file and the line") {
  CHECK(PolicyErrorOf("<policy format='1' name='x'>\n<title>t</title>\n<os>\n</policy>") ==
        "bad.xml:3: not well-formed XML: an element is not closed, or is closed by the wrong end tag "
        "(XMLElement name=os)");
  CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-13\" kb=\"KB4499149\" confidence=\"H\" source=\"t\"/>\n")) ==
        "bad.xml:12: month '2019-13' must look like 2019-04");
  CHECK(PolicyErrorOf(PolicyText("", "  <surprise/>\n")) == "bad.xml:13: unknown element <surprise> inside <policy>");
}

TEST_CASE("policy validation refuses what would mislead a check") {
  SECTION("a rollup listed twice") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" kb=\"KB4493471\" confidence=\"H\" source=\"t\"/>\n"))
              .find("KB4493471 is listed twice") != std::string::npos);
  }
  SECTION("rollups out of order") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-03\" kb=\"KB4489887\" confidence=\"H\" source=\"t\"/>\n"))
              .find("must come after KB4493471") != std::string::npos);
  }
  SECTION("a later rollup with an older kernel") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" kb=\"KB4499149\" min-kernel=\"6.0.6003.20400\" "
                             "confidence=\"H\" source=\"t\"/>\n"))
              .find("is lower than 6.0.6003.20489") != std::string::npos);
  }
  SECTION("a rollup nothing could recognise") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" confidence=\"H\" source=\"t\"/>\n"))
              .find("rollup 2019-05 needs a 'kb', a 'min-kernel' or both") != std::string::npos);
  }
  SECTION("a confidence grade that is not H, M or L") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" kb=\"KB4499149\" confidence=\"sure\" source=\"t\"/>\n"))
              .find("confidence 'sure'") != std::string::npos);
  }
  SECTION("a rollup without a source") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" kb=\"KB4499149\" confidence=\"H\"/>\n"))
              .find("needs a non-empty 'source'") != std::string::npos);
  }
  SECTION("a KB that is not a KB number") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" kb=\"4499149\" confidence=\"H\" source=\"t\"/>\n"))
              .find("is not a KB number") != std::string::npos);
  }
  SECTION("an unknown attribute") {
    CHECK(PolicyErrorOf(PolicyText("    <rollup month=\"2019-05\" kb=\"KB4499149\" confidence=\"H\" source=\"t\" "
                             "kernel=\"1\"/>\n"))
              .find("unknown attribute 'kernel' on <rollup>") != std::string::npos);
  }
  SECTION("a format this version does not read") {
    std::string text = PolicyText();
    text.replace(text.find("format=\"1\""), 10, "format=\"2\"");
    CHECK(PolicyErrorOf(text).find("policy format '2' is not supported") != std::string::npos);
  }
  SECTION("a profile handed in as a policy") {
    CHECK(PolicyErrorOf("<profile name='x'/>") ==
          "bad.xml:1: root element is <profile>, expected <policy>: is this a policy file?");
  }
}

TEST_CASE("YearMonth") {
  CHECK(YearMonth::Parse("2026-01")->Index() - YearMonth::Parse("2022-05")->Index() == 44);
  CHECK_FALSE(YearMonth::Parse("2026-1"));
  CHECK_FALSE(YearMonth::Parse("2026-00"));
  CHECK_FALSE(YearMonth::Parse("20x6-01"));
}

TEST_CASE("a missing or oversized policy file is refused before parsing") {
  Result<Policy> missing = LoadPolicyFile("/nonexistent/policy.xml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kIoError);
  CHECK(missing.status().message().find("/nonexistent/policy.xml") != std::string::npos);
}

}  // namespace otharden
