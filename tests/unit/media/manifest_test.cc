#include "toolkit/media/manifest.h"

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"
#include <filesystem>
#include <fstream>
#include <random>

#include "toolkit/sign/digest.h"

namespace otharden {
using namespace testing;
namespace {

namespace fs = std::filesystem;

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

std::string Manifest(const std::vector<std::string>& lines) {
  std::string text = "otharden-manifest 1\n";
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// The error message of parsing `text`, or "" when it parses.
std::string ManifestParseError(const std::string& text) {
  Result<std::vector<ManifestEntry>> r = ParseManifest(text, "M");
  return r.ok() ? "" : r.status().message();
}

TEST_CASE("manifest: writer output is the documented format and reads back") {
  Result<std::string> text = ManifestText({{kHashB, 7, "run.cmd"}, {kHashA, 0, "bin/x64/otharden.exe"},
                                           {kHashA, 18446744073709551615ull, "policies/esu 6003.xml"}});
  REQUIRE(text.ok());
  CHECK(*text == "otharden-manifest 1\n" + kHashA + " 0 bin/x64/otharden.exe\n" + kHashA +
                     " 18446744073709551615 policies/esu 6003.xml\n" + kHashB + " 7 run.cmd\n");
  Result<std::vector<ManifestEntry>> back = ParseManifest(*text, "M");
  REQUIRE(back.ok());
  REQUIRE(back->size() == 3);
  CHECK((*back)[0].path == "bin/x64/otharden.exe");
  CHECK((*back)[1].size == 18446744073709551615ull);
  CHECK((*back)[1].path == "policies/esu 6003.xml");
  CHECK((*back)[2].sha256 == kHashB);
  CHECK(ManifestParseError(Manifest({})).empty());  // a manifest of nothing is well formed
}

TEST_CASE("manifest: reader refuses malformed lines with file:line") {
  const std::string ok = kHashA + " 1 ";
  CHECK(ManifestParseError("") == "M:1: empty file; expected 'otharden-manifest 1'");
  CHECK(ManifestParseError("otharden-manifest 2\n").find("M:1: format 'otharden-manifest 2' is not one") == 0);
  CHECK(ManifestParseError("hello\n").find("M:1: not an otharden MANIFEST") == 0);
  CHECK(ManifestParseError("otharden-manifest 1").find("M:1: the last line has no line end") == 0);
  CHECK(ManifestParseError("otharden-manifest 1\r\n").find("M:1: carriage return") == 0);
  CHECK(ManifestParseError(Manifest({ok + "a", ok + "b\r"})).find("M:3: carriage return") == 0);
  CHECK(ManifestParseError(Manifest({ok + "a", kHashA + "  1 b"})).find("M:3: the size must be") == 0);
  CHECK(ManifestParseError(Manifest({kHashA + " 1"})).find("M:2: expected '<sha256> <size> <path>'") == 0);
  CHECK(ManifestParseError(Manifest({std::string(64, 'A') + " 1 a"})).find("M:2: the SHA-256 must be 64 lower-case") == 0);
  CHECK(ManifestParseError(Manifest({std::string(63, 'a') + " 1 a"})).find("M:2: the SHA-256") == 0);
  CHECK(ManifestParseError(Manifest({kHashA + " 01 a"})).find("M:2: the size must be") == 0);
  CHECK(ManifestParseError(Manifest({kHashA + " -1 a"})).find("M:2: the size must be") == 0);
  CHECK(ManifestParseError(Manifest({kHashA + " 18446744073709551616 a"})).find("M:2: the size must be") == 0);
  CHECK(ManifestParseError(Manifest({ok + "a", ""})).find("M:3: expected") == 0);
}

TEST_CASE("manifest: reader refuses unsafe, duplicate, unsorted and uncovered paths") {
  const std::string ok = kHashA + " 1 ";
  auto error_for = [&](const std::string& path) { return ManifestParseError(Manifest({ok + path})); };
  CHECK(error_for("/etc/passwd").find("M:2: '/etc/passwd': absolute path") == 0);
  CHECK(error_for("C:/x.exe").find("M:2: 'C:/x.exe': ':' in the path") == 0);
  CHECK(error_for("bin\\x64\\otharden.exe").find("backslash") != std::string::npos);
  CHECK(error_for("../x.exe").find("'..' in the path") != std::string::npos);
  CHECK(error_for("bin/../../x.exe").find("'..' in the path") != std::string::npos);
  CHECK(error_for("bin/./x.exe").find("'.' in the path") != std::string::npos);
  CHECK(error_for("bin//x.exe").find("empty path component") != std::string::npos);
  CHECK(error_for("bin/").find("empty path component") != std::string::npos);
  CHECK(error_for("a.xml.").find("ends with '.'") != std::string::npos);
  CHECK(error_for("a\tb").find("control character") != std::string::npos);
  CHECK(error_for("MANIFEST").find("is not covered by a manifest") != std::string::npos);
  CHECK(error_for("reports/r.xml").find("is not covered by a manifest") != std::string::npos);
  CHECK(error_for("Journals/j.log").find("is not covered by a manifest") != std::string::npos);
  CHECK(ManifestParseError(Manifest({ok + "a", ok + "a"})) == "M:3: 'a' is listed twice");
  CHECK(ManifestParseError(Manifest({ok + "b", ok + "a"})).find("M:3: 'a' is out of order") == 0);
  CHECK(ManifestParseError(Manifest({ok + "A.xml", ok + "a.xml"})).find("M:3: 'a.xml' is the same file as line 2") == 0);
}

TEST_CASE("manifest: writer refuses what the reader would") {
  CHECK(!ManifestText({{kHashA, 1, "../x"}}).ok());
  CHECK(!ManifestText({{kHashA, 1, "a\\b"}}).ok());
  CHECK(!ManifestText({{kHashA, 1, "reports/x"}}).ok());
  CHECK(!ManifestText({{"xyz", 1, "a"}}).ok());
  Result<std::string> twins = ManifestText({{kHashA, 1, "Run.cmd"}, {kHashA, 1, "run.cmd"}});
  REQUIRE(!twins.ok());
  CHECK(twins.status().message().find("differ only in case") != std::string::npos);
}

TEST_CASE("manifest: the files a stick's manifest covers") {
  CHECK(IsOutsideManifest("MANIFEST"));
  CHECK(IsOutsideManifest("manifest.minisig"));
  CHECK(IsOutsideManifest("reports/a/b.xml"));
  CHECK(IsOutsideManifest("journals/x"));
  CHECK(!IsOutsideManifest("MANIFEST.bak"));
  CHECK(!IsOutsideManifest("bin/reports/x"));
  CHECK(!IsOutsideManifest("reportsx/y"));
}

// A stick built in a temporary folder: files, MANIFEST and its signature.
struct TestStick {
  TempDir dir;
  SecretKey key = SecretKey::Generate();
  std::vector<PublicKey> trusted{key.Public()};

  TestStick() {
    WriteFile(dir / "bin/x64/otharden.exe", "MZ x64");
    WriteFile(dir / "bin/x86/otharden.exe", "MZ x86");
    WriteFile(dir / "profiles/p.xml", "<profile/>");
    WriteFile(dir / "run.cmd", "@echo off\r\n");
    WriteFile(dir / "reports/old-report.xml", "<report/>");  // never covered
    fs::create_directories(dir / "journals");
    Sign();
  }
  void Sign() {
    Result<std::vector<ManifestEntry>> entries = ScanMedia(dir.str());
    REQUIRE(entries.ok());
    Result<std::string> text = ManifestText(*entries);
    REQUIRE(text.ok());
    WriteFile(dir / "MANIFEST", *text);
    WriteFile(dir / "MANIFEST.minisig", *SignData(key, *text, "test"));
  }
  MediaVerification Verify() {
    Result<MediaVerification> v = VerifyMedia(dir.str(), trusted);
    REQUIRE(v.ok());
    return *v;
  }
};

TEST_CASE("manifest: ScanMedia lists every file but MANIFEST, reports and journals") {
  TestStick stick;
  std::string manifest = ReadFile(stick.dir / "MANIFEST");
  CHECK(manifest == "otharden-manifest 1\n" + Sha256Hex("MZ x64") + " 6 bin/x64/otharden.exe\n" +
                        Sha256Hex("MZ x86") + " 6 bin/x86/otharden.exe\n" + Sha256Hex("<profile/>") +
                        " 10 profiles/p.xml\n" + Sha256Hex("@echo off\r\n") + " 11 run.cmd\n");
}

TEST_CASE("manifest: verification outcomes") {
  TestStick stick;
  SECTION("a freshly signed stick verifies") {
    MediaVerification v = stick.Verify();
    CHECK(v.verified());
    CHECK(v.files_listed == 4);
    CHECK(v.bytes_checked == 33);
    CHECK(v.key_id == stick.key.KeyIdHex());
    CHECK(MediaProblems(v).empty());
  }
  SECTION("reports and journals may change freely") {
    WriteFile(stick.dir / "reports/new.xml", "x");
    WriteFile(stick.dir / "journals/j.log", "y");
    fs::remove(stick.dir / "reports/old-report.xml");
    CHECK(stick.Verify().verified());
  }
  SECTION("a changed executable, same size") {
    WriteFile(stick.dir / "bin/x64/otharden.exe", "MZ X64");
    MediaVerification v = stick.Verify();
    CHECK(!v.verified());
    REQUIRE(v.changed.size() == 1);
    CHECK(v.changed[0].find("bin/x64/otharden.exe (content differs") == 0);
    CHECK(MediaProblems(v)[0].find("changed: bin/x64/otharden.exe") == 0);
  }
  SECTION("a changed profile, other size") {
    WriteFile(stick.dir / "profiles/p.xml", "<profile a='1'/>");
    MediaVerification v = stick.Verify();
    REQUIRE(v.changed.size() == 1);
    CHECK(v.changed[0] == "profiles/p.xml (16 bytes, MANIFEST says 10)");
  }
  SECTION("a missing file and an extra executable") {
    fs::remove(stick.dir / "run.cmd");
    WriteFile(stick.dir / "bin/x64/helper.exe", "MZ");
    WriteFile(stick.dir / "MANIFEST.bak", "");
    MediaVerification v = stick.Verify();
    CHECK(v.missing == std::vector<std::string>{"run.cmd"});
    CHECK(v.extra == std::vector<std::string>{"MANIFEST.bak", "bin/x64/helper.exe"});
    CHECK(v.changed.empty());
  }
  SECTION("a file differing only in case from a listed one is extra (on a case-sensitive file system)") {
    WriteFile(stick.dir / "RUN.CMD", "other");
    MediaVerification v = stick.Verify();
    if (fs::equivalent(stick.dir / "RUN.CMD", stick.dir / "run.cmd")) {
      CHECK(!v.verified());  // case-insensitive: the write changed run.cmd itself
    } else {
      CHECK(v.extra == std::vector<std::string>{"RUN.CMD"});
    }
  }
  SECTION("a symbolic link is never a plain file") {
    fs::create_symlink("run.cmd", stick.dir / "link.cmd");
    CHECK(stick.Verify().extra == std::vector<std::string>{"link.cmd (not a plain file)"});
    CHECK(!ScanMedia(stick.dir.str()).ok());
  }
  SECTION("a changed MANIFEST fails its signature, and nothing else is claimed") {
    std::string text = ReadFile(stick.dir / "MANIFEST");
    text.replace(text.find(" 6 bin/x64"), 10, " 7 bin/x64");
    WriteFile(stick.dir / "MANIFEST", text);
    MediaVerification v = stick.Verify();
    CHECK(!v.signature_valid);
    CHECK(v.signature_problem.find("MANIFEST.minisig") != std::string::npos);
    CHECK(v.changed.empty());
  }
  SECTION("a signature by another key") {
    SecretKey other = SecretKey::Generate();
    WriteFile(stick.dir / "MANIFEST.minisig", *SignData(other, ReadFile(stick.dir / "MANIFEST"), "t"));
    MediaVerification v = stick.Verify();
    CHECK(!v.signature_valid);
    CHECK(v.key_id == other.KeyIdHex());
    CHECK(v.signature_problem.find(other.KeyIdHex()) != std::string::npos);
  }
  SECTION("no signature, no MANIFEST") {
    fs::remove(stick.dir / "MANIFEST.minisig");
    CHECK(stick.Verify().signature_problem.find("MANIFEST.minisig is missing") != std::string::npos);
    fs::remove(stick.dir / "MANIFEST");
    CHECK(stick.Verify().signature_problem.find("MANIFEST is missing") != std::string::npos);
  }
  SECTION("a validly signed but malformed MANIFEST is named with its line") {
    const std::string bad = "otharden-manifest 1\n" + kHashA + " 1 ../evil.exe\n";
    WriteFile(stick.dir / "MANIFEST", bad);
    WriteFile(stick.dir / "MANIFEST.minisig", *SignData(stick.key, bad, "t"));
    MediaVerification v = stick.Verify();
    CHECK(v.signature_valid);
    CHECK(!v.verified());
    CHECK(v.manifest_problem.find("MANIFEST:2: '../evil.exe'") != std::string::npos);
  }
  SECTION("no trusted keys") {
    stick.trusted.clear();
    CHECK(stick.Verify().signature_problem.find("no trusted public key") == 0);
  }
}

TEST_CASE("manifest: a folder that does not exist is an error, not a verdict") {
  CHECK(VerifyMedia("/nonexistent/otharden-stick", {}).status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace otharden
