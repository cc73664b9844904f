#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "toolkit/sign/digest.h"

namespace otharden {

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("SHA-256 of a file larger than one read buffer") {
  const std::string path = "digest_test_file.bin";
  std::string data(200000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  std::ofstream(path, std::ios::binary) << data;
  Result<std::string> hash = Sha256HexOfFile(path);
  REQUIRE(hash.ok());
  CHECK(*hash == Sha256Hex(data));
  std::remove(path.c_str());
  CHECK(Sha256HexOfFile("no-such-file.bin").status().code() == Status::Code::kIoError);
}

}  // namespace otharden
