#include "toolkit/sign/digest.h"

#include <cryptopp/sha.h>

#include <filesystem>
#include <fstream>

namespace otharden {
namespace {

std::string Hex(const CryptoPP::byte* digest, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[digest[i] >> 4];
    out += kDigits[digest[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(const std::string& data) {
  CryptoPP::SHA256 sha;
  CryptoPP::byte digest[CryptoPP::SHA256::DIGESTSIZE];
  sha.CalculateDigest(digest, reinterpret_cast<const CryptoPP::byte*>(data.data()), data.size());
  return Hex(digest, sizeof digest);
}

Result<std::string> Sha256HexOfFile(const std::string& path) {
  // u8path: on Windows the stream opens the UTF-16 name, not the ANSI one.
  std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open file to hash it");
  CryptoPP::SHA256 sha;
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    sha.Update(reinterpret_cast<const CryptoPP::byte*>(buffer), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Status::IoError(path + ": read failed while hashing");
  CryptoPP::byte digest[CryptoPP::SHA256::DIGESTSIZE];
  sha.Final(digest);
  return Hex(digest, sizeof digest);
}

}  // namespace otharden
