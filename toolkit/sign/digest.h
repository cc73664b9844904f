// SHA-256 for the hashes reports record (executable, policy, profile).
#pragma once

#include <string>

#include "toolkit/model/status.h"

namespace otharden {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(const std::string& data);

// Lower-case hex SHA-256 of a file's contents, read in chunks (any size).
Result<std::string> Sha256HexOfFile(const std::string& path);

}  // namespace otharden
