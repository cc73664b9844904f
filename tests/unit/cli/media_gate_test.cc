#include "toolkit/cli/media_gate.h"

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"
#include <filesystem>
#include <fstream>
#include <random>

#include "toolkit/media/manifest.h"
#include "toolkit/sign/digest.h"

namespace otharden {
using namespace testing;
namespace {

namespace fs = std::filesystem;

const std::string kGateProfile = "<profile format=\"1\" name=\"p\" policy=\"esu-6003\"/>\n";

// A signed stick in a temporary folder (vendor key in keys/trusted/), with a
// signed profile on it and another signed profile outside it.
struct GateFixture {
  fs::path base;
  fs::path stick;
  SecretKey vendor = SecretKey::Generate();

  GateFixture() {
    std::random_device rd;
    base = fs::temp_directory_path() / ("otharden-gate-test-" + std::to_string(rd()));
    stick = base / "stick";
    WriteFile(stick / "bin/x64/otharden.exe", "MZ x64");
    WriteFile(stick / "run.cmd", "@echo off\r\n");
    WriteFile(stick / "keys/trusted/vendor.pub", PublicKeyFileText(vendor.Public()));
    SignProfile(stick / "profiles/p.xml", vendor);
    SignProfile(base / "elsewhere/site.xml", vendor);
    const std::string manifest = *ManifestText(*ScanMedia(stick.string()));
    WriteFile(stick / "MANIFEST", manifest);
    WriteFile(stick / "MANIFEST.minisig", *SignData(vendor, manifest, "t"));
  }
  ~GateFixture() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
  static void SignProfile(const fs::path& path, const SecretKey& key) {
    WriteFile(path, kGateProfile);
    WriteFile(path.string() + ".minisig", *SignData(key, kGateProfile, "profile"));
  }
  Result<MediaTrust> Check(const std::string& profile, bool allow_media = false, bool allow_profile = false) {
    return CheckMediaAndProfileAt(stick.string(), profile, allow_media, allow_profile);
  }
};

TEST_CASE("media gate: a verified stick and a signed profile pass without overrides") {
  GateFixture f;
  for (const fs::path& profile : {f.stick / "profiles/p.xml", f.base / "elsewhere/site.xml"}) {
    Result<MediaTrust> t = f.Check(profile.string());
    REQUIRE(t.ok());
    CHECK(t->media_verified);
    CHECK(!t->media_override);
    CHECK(t->media_key_id == f.vendor.KeyIdHex());
    CHECK(t->media_detail.find("MANIFEST verified: 5 files, key ID " + f.vendor.KeyIdHex()) == 0);
    CHECK(t->profile_signed);
    CHECK(!t->profile_override);
    CHECK(t->profile_key_id == f.vendor.KeyIdHex());
    CHECK(t->profile_sha256 == Sha256Hex(kGateProfile));
    CHECK(t->media_root == f.stick.string());
  }
}

TEST_CASE("media gate: not run from a stick") {
  GateFixture f;
  const std::string profile = (f.stick / "profiles/p.xml").string();
  Result<MediaTrust> refused = CheckMediaAndProfileAt(std::nullopt, profile, false, false);
  REQUIRE(!refused.ok());
  CHECK(refused.status().code() == Status::Code::kInvalidInput);
  CHECK(refused.status().message().find("does not run from a stick") != std::string::npos);
  CHECK(refused.status().message().find("--allow-unverified-media") != std::string::npos);
  CHECK(refused.status().message().find("Nothing was changed") != std::string::npos);
  // Without a stick there are no trusted keys: the profile cannot count as signed.
  Result<MediaTrust> media_only = CheckMediaAndProfileAt(std::nullopt, profile, true, false);
  REQUIRE(!media_only.ok());
  CHECK(media_only.status().message().find("--allow-unsigned-profile") != std::string::npos);
  Result<MediaTrust> both = CheckMediaAndProfileAt(std::nullopt, profile, true, true);
  REQUIRE(both.ok());
  CHECK(both->media_override);
  CHECK(both->profile_override);
  CHECK(!both->media_verified);
  CHECK(!both->profile_signed);
  CHECK(both->media_root.empty());
}

TEST_CASE("media gate: a tampered stick is refused, naming the file") {
  GateFixture f;
  const std::string profile = (f.stick / "profiles/p.xml").string();
  WriteFile(f.stick / "bin/x64/otharden.exe", "MZ evil");
  Result<MediaTrust> refused = f.Check(profile);
  REQUIRE(!refused.ok());
  CHECK(refused.status().message().find("changed: bin/x64/otharden.exe") != std::string::npos);
  Result<MediaTrust> overridden = f.Check(profile, true, false);
  REQUIRE(overridden.ok());
  CHECK(overridden->media_override);
  CHECK(overridden->profile_signed);
  CHECK(overridden->profile_detail.find("NOT verified") != std::string::npos);
}

TEST_CASE("media gate: unsigned, untrusted and altered profiles are refused") {
  GateFixture f;
  const fs::path outside = f.base / "elsewhere/site.xml";
  SECTION("no .minisig") {
    fs::remove(outside.string() + ".minisig");
    Result<MediaTrust> r = f.Check(outside.string());
    REQUIRE(!r.ok());
    CHECK(r.status().message().find(outside.string() + ".minisig is missing") != std::string::npos);
    Result<MediaTrust> overridden = f.Check(outside.string(), false, true);
    REQUIRE(overridden.ok());
    CHECK(overridden->profile_override);
    CHECK(!overridden->profile_signed);
    CHECK(overridden->media_verified);
  }
  SECTION("signed by a key not in keys/trusted/") {
    SecretKey other = SecretKey::Generate();
    GateFixture::SignProfile(outside, other);
    Result<MediaTrust> r = f.Check(outside.string());
    REQUIRE(!r.ok());
    CHECK(r.status().message().find(other.KeyIdHex()) != std::string::npos);
  }
  SECTION("changed after signing") {
    WriteFile(outside, kGateProfile + "<!-- -->\n");
    Result<MediaTrust> r = f.Check(outside.string());
    REQUIRE(!r.ok());
    CHECK(r.status().message().find("site.xml.minisig") != std::string::npos);
  }
}

}  // namespace
}  // namespace otharden
