#include <catch2/catch.hpp>

#include "toolkit/model/os_identity.h"
#include "toolkit/model/update.h"

namespace otharden {

TEST_CASE("FileVersion parses exactly four parts") {
  auto v = FileVersion::Parse("6.0.6003.20489");
  REQUIRE(v);
  CHECK(v->major == 6);
  CHECK(v->build == 6003);
  CHECK(v->revision == 20489);
  CHECK(v->ToString() == "6.0.6003.20489");
  CHECK_FALSE(FileVersion::Parse("6.0.6003"));
  CHECK_FALSE(FileVersion::Parse("6.0.6003.20489.1"));
  CHECK_FALSE(FileVersion::Parse("6.0.6003.65536"));
  CHECK_FALSE(FileVersion::Parse("6.0..1"));
  CHECK_FALSE(FileVersion::Parse(" 6.0.6003.1"));
  CHECK_FALSE(FileVersion::Parse("6.0.6003.1x"));
}

TEST_CASE("FileVersion orders by build before revision") {
  // 6002's last LDR kernel has a higher revision than 6003's first (FACTS.md).
  CHECK(*FileVersion::Parse("6.0.6002.24566") < *FileVersion::Parse("6.0.6003.20480"));
  CHECK(*FileVersion::Parse("6.0.6003.20489") <= *FileVersion::Parse("6.0.6003.20489"));
}

TEST_CASE("KB numbers come out of CBS package names") {
  CHECK(KbFromPackageName("Package_for_KB4493471~31bf3856ad364e35~amd64~~6.0.1.2") == "KB4493471");
  CHECK(KbFromPackageName("Package_1_for_KB4474419~31bf3856ad364e35~x86~~6.0.1.0") == "KB4474419");
  CHECK(KbFromPackageName("Package_for_kb5014010~31bf3856ad364e35~amd64~~6.0.1.5") == "KB5014010");
  CHECK(KbFromPackageName("VistaSP2-KB948465~31bf3856ad364e35~amd64~~6.0.6002.18005") == "KB948465");
  CHECK(KbFromPackageName("Package_for_RollupFix~31bf3856ad364e35~amd64~~6003.1.1") == "");
  CHECK(KbFromPackageName("Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~6.0.6001.18000") == "");
  // A KB-like text after the identity part does not count.
  CHECK(KbFromPackageName("Package~KB4493471") == "");
  CHECK(KbFromPackageName("") == "");
}

TEST_CASE("CBS states: superseded counts as present, pending does not") {
  CHECK(CbsStateMeansPresent(0x70));
  CHECK(CbsStateMeansPresent(0x50));
  CHECK(CbsStateMeansPresent(0x80));
  CHECK_FALSE(CbsStateMeansPresent(0x60));
  CHECK_FALSE(CbsStateMeansPresent(0x40));
  CHECK(CbsStateMeansPending(0x60));
  CHECK(CbsStateName(0x50) == "superseded");
  CHECK(CbsStateName(0x99) == "unknown (0x99)");
}

}  // namespace otharden
