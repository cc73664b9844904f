// Passphrases for secret keys: from --passphrase-file or asked at the console.
#pragma once

#include <string>

#include "toolkit/model/status.h"
#include "toolkit/sign/minisign.h"

namespace otharden {

// With a `passphrase_file`: its first line without the line end (CR/LF); files
// over 64 KiB are refused. Without: shows `prompt` and reads the passphrase at
// the console without echo, twice when `confirm` (they must match). With no
// console (CI, a service) it fails and tells the user to pass --passphrase-file.
// The caller wipes the result (WipeSecretText) when done with it.
Result<std::string> ObtainPassphrase(const std::string& passphrase_file, const std::string& prompt,
                                     bool confirm);

// Opens the secret key at `key_path`, obtaining its passphrase as ObtainPassphrase
// does only if the key is encrypted; the passphrase is wiped after use. Errors
// name the key file (or the passphrase file).
Result<SecretKey> OpenSecretKeyFile(const std::string& key_path,
                                    const std::string& passphrase_file);

}  // namespace otharden
