#include "toolkit/cli/passphrase.h"

#include "toolkit/platform/console.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

constexpr size_t kMaxPassphraseFileBytes = 64 * 1024;

Result<std::string> ReadPassphraseFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path, kMaxPassphraseFileBytes);
  if (!text.ok()) return text.status();
  const size_t end = text->find_first_of("\r\n");
  std::string passphrase = text->substr(0, end);
  WipeSecretText(&*text);
  return passphrase;
}

Result<std::string> AskPassphrase(const std::string& prompt) {
  Result<std::string> line = ReadLineWithoutEcho(prompt);
  if (!line.ok() && line.status().code() == Status::Code::kNotSupported) {
    return Status::InvalidInput(
        "cannot ask for the passphrase: " + line.status().message() +
        ". Pass --passphrase-file FILE (the passphrase on its first line).");
  }
  return line;
}

}  // namespace

Result<std::string> ObtainPassphrase(const std::string& passphrase_file, const std::string& prompt,
                                     bool confirm) {
  if (!passphrase_file.empty()) return ReadPassphraseFile(passphrase_file);
  Result<std::string> first = AskPassphrase(prompt);
  if (!first.ok() || !confirm) return first;
  Result<std::string> second = AskPassphrase("Once more, to be sure: ");
  if (!second.ok()) {
    WipeSecretText(&*first);
    return second.status();
  }
  const bool same = *first == *second;
  WipeSecretText(&*second);
  if (!same) {
    WipeSecretText(&*first);
    return Status::InvalidInput("the two passphrases differ; nothing was written");
  }
  return first;
}

Result<SecretKey> OpenSecretKeyFile(const std::string& key_path,
                                    const std::string& passphrase_file) {
  Result<SecretKeyInfo> info = InspectSecretKeyFile(key_path);
  if (!info.ok()) return info.status();
  std::string passphrase;
  if (info->encrypted) {
    Result<std::string> obtained =
        ObtainPassphrase(passphrase_file, "Passphrase for " + key_path + ": ", /*confirm=*/false);
    if (!obtained.ok()) return obtained.status();
    passphrase = std::move(*obtained);
  }
  Result<SecretKey> key = LoadSecretKeyFile(key_path, passphrase);
  WipeSecretText(&passphrase);
  return key;
}

}  // namespace otharden
