// keygen, sign, verify: minisign-compatible keys and signatures.
#include <boost/program_options.hpp>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/passphrase.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// minisign reads at most this many bytes of a passphrase.
constexpr size_t kMaxPassphraseBytes = 1023;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// minisign's own default: "timestamp:<unix time>\tfile:<name>\thashed".
std::string DefaultTrustedComment(const std::string& file) {
  return "timestamp:" + std::to_string(static_cast<long long>(std::time(nullptr))) +
         "\tfile:" + fs::u8path(file).filename().u8string() + "\thashed";
}

Status WriteKeyFiles(const std::string& key_path, std::string* secret_text,
                     const std::string& pub_path, const PublicKey& pub) {
  Status s = WriteFileAtomically(key_path, *secret_text, FileAccess::kOwnerOnly);
  WipeSecretText(secret_text);
  if (!s.ok()) return s;
  return WriteFileAtomically(pub_path, PublicKeyFileText(pub));
}

}  // namespace

int RunKeygenCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden keygen --out PATH/NAME [--passphrase-file FILE | --unencrypted] [--kdf-memory MIB] "
      "[--force]");
  std::string out, passphrase_file;
  uint64_t kdf_memory = 128;
  bool unencrypted = false, force = false;
  options.add_options()
      ("out", po::value(&out)->value_name("PATH/NAME")->required(),
       "write the secret key to NAME.key and the public key to NAME.pub")
      ("passphrase-file", po::value(&passphrase_file)->value_name("FILE"),
       "take the passphrase from the first line of FILE instead of asking twice at the console")
      ("unencrypted", po::bool_switch(&unencrypted),
       "store the secret key without a passphrase (anyone who copies the file can sign)")
      ("kdf-memory", po::value(&kdf_memory)->value_name("MIB"),
       "memory the passphrase's scrypt needs, a power of two from 16 to 1024 (default 128: "
       "bearable on a 32-bit host with 2 GB); every host that signs needs that much free")
      ("force", po::bool_switch(&force), "replace existing NAME.key and NAME.pub")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (unencrypted && (vm.count("passphrase-file") || vm.count("kdf-memory"))) {
    return ReportError(Status::InvalidInput(
        "--unencrypted takes no passphrase: leave out --passphrase-file and --kdf-memory"));
  }

  std::string base = out;
  if (EndsWith(base, ".key") || EndsWith(base, ".pub")) base.resize(base.size() - 4);
  const std::string key_path = base + ".key", pub_path = base + ".pub";
  const fs::path folder = fs::u8path(base).parent_path();
  std::error_code ec;
  if (fs::u8path(base).filename().empty()) {
    return ReportError(Status::InvalidInput("--out needs a file name, e.g. --out keys/kit1"));
  }
  if (!folder.empty() && !fs::is_directory(folder, ec)) {
    return ReportError(Status::NotFound(folder.u8string() + ": no such folder (create it first)"));
  }
  for (const std::string& path : {key_path, pub_path}) {
    if (!force && fs::exists(fs::u8path(path), ec)) {
      return ReportError(Status::InvalidInput(
          path + " already exists; keygen does not replace keys (add --force to replace them)"));
    }
  }

  KdfCost cost;
  std::string passphrase;
  if (!unencrypted) {
    Result<KdfCost> chosen = KdfCostForMemory(kdf_memory);
    if (!chosen.ok()) return ReportError(chosen.status());
    cost = *chosen;
    Result<std::string> obtained =
        ObtainPassphrase(passphrase_file, "Passphrase for the new secret key: ", /*confirm=*/true);
    if (!obtained.ok()) return ReportError(obtained.status());
    passphrase = std::move(*obtained);
    Status problem;
    if (passphrase.empty()) {
      problem = Status::InvalidInput("the passphrase is empty" +
                                     (passphrase_file.empty() ? "" : " (" + passphrase_file + ")") +
                                     "; give one, or use --unencrypted");
    } else if (passphrase.size() > kMaxPassphraseBytes) {
      problem = Status::InvalidInput("the passphrase is longer than " +
                                     std::to_string(kMaxPassphraseBytes) +
                                     " bytes, more than minisign reads");
    }
    if (!problem.ok()) {
      WipeSecretText(&passphrase);
      return ReportError(problem);
    }
  }

  SecretKey key = SecretKey::Generate();
  std::string secret_text;
  if (unencrypted) {
    secret_text = UnencryptedSecretKeyFileText(key);
  } else {
    std::cerr << "otharden keygen: encrypting the secret key ("
              << ScryptParametersFor(cost).ToString() << ")...\n";
    Result<std::string> encrypted = EncryptedSecretKeyFileText(key, passphrase, cost);
    WipeSecretText(&passphrase);
    if (!encrypted.ok()) return ReportError(encrypted.status());
    secret_text = std::move(*encrypted);
  }
  const PublicKey pub = key.Public();
  Status written = WriteKeyFiles(key_path, &secret_text, pub_path, pub);
  if (!written.ok()) return ReportError(written);

  std::cout << "otharden keygen: new key pair, key id " << key.KeyIdHex() << "\n"
            << "  secret key  " << key_path << "  ("
            << (unencrypted ? "NOT encrypted"
                            : "encrypted: " + ScryptParametersFor(cost).ToString())
            << "; keep it secret)\n"
            << "  public key  " << pub_path << "\n"
            << "  public key  " << PublicKeyBase64(pub) << "\n\n"
            << "Verify with:  otharden verify FILE --pub " << pub_path << "\n"
            << "         or:  minisign -Vm FILE -p " << pub_path << "\n";
  return kExitOk;
}

int RunSignCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden sign FILE --key NAME.key [--trusted-comment TEXT] [--passphrase-file FILE] "
      "[--sig OUT]");
  std::string file, key_path, trusted_comment, passphrase_file, sig_path;
  options.add_options()
      ("file", po::value(&file)->value_name("FILE")->required(), "the file to sign")
      ("key", po::value(&key_path)->value_name("NAME.key")->required(), "secret key")
      ("trusted-comment", po::value(&trusted_comment)->value_name("TEXT"),
       "one line signed with the file (default: timestamp:<unix time> file:<name> hashed)")
      ("passphrase-file", po::value(&passphrase_file)->value_name("FILE"),
       "take the key's passphrase from the first line of FILE instead of asking")
      ("sig", po::value(&sig_path)->value_name("OUT"),
       "where to write the signature (default FILE.minisig)")
      ("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm, &positional); code >= 0) return code;
  if (!vm.count("trusted-comment")) trusted_comment = DefaultTrustedComment(file);
  if (sig_path.empty()) sig_path = file + ".minisig";

  // Refuse early what would fail late, before anyone types a passphrase.
  std::error_code ec;
  if (!fs::is_regular_file(fs::u8path(file), ec)) {
    return ReportError(Status::NotFound(file + ": no such file"));
  }
  if (Status s = CheckTrustedComment(trusted_comment); !s.ok()) {
    return ReportError(Status::InvalidInput("--trusted-comment: " + s.message()));
  }

  Result<SecretKey> key = OpenSecretKeyFile(key_path, passphrase_file);
  if (!key.ok()) return ReportError(key.status());
  Result<std::string> signature = SignFile(*key, file, trusted_comment);
  if (!signature.ok()) return ReportError(signature.status());
  Status written = WriteFileAtomically(sig_path, *signature);
  if (!written.ok()) return ReportError(written);
  std::cout << "otharden sign: " << sig_path << " written\n"
            << "  key id           " << key->KeyIdHex() << "\n"
            << "  trusted comment  " << trusted_comment << "\n";
  return kExitOk;
}

int RunVerifyCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden verify FILE (--pub NAME.pub | --trusted DIR) [--sig FILE.minisig]");
  std::string file, pub_path, trusted_dir, sig_path;
  options.add_options()
      ("file", po::value(&file)->value_name("FILE")->required(), "the signed file")
      ("pub", po::value(&pub_path)->value_name("NAME.pub"), "the public key to trust")
      ("trusted", po::value(&trusted_dir)->value_name("DIR"),
       "trust every *.pub in DIR (e.g. the stick's keys/trusted)")
      ("sig", po::value(&sig_path)->value_name("FILE.minisig"),
       "the signature (default FILE.minisig)")
      ("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm, &positional); code >= 0) return code;
  if (vm.count("pub") == vm.count("trusted")) {
    std::cerr << options;
    return ReportError(
        Status::InvalidInput("give the keys to trust: either --pub NAME.pub or --trusted DIR"));
  }
  if (sig_path.empty()) sig_path = file + ".minisig";

  Result<std::vector<PublicKey>> keys = LoadKeysToTrust(pub_path, trusted_dir);
  if (!keys.ok()) return ReportError(keys.status());
  Result<std::string> sig_text = ReadInputFile(sig_path, kMaxMinisignFileBytes);
  if (!sig_text.ok()) return ReportError(sig_text.status());
  Result<SignatureCheck> check = VerifyFile(file, *sig_text, *keys, sig_path);
  if (!check.ok()) return ReportError(check.status());

  if (!check->valid) {
    std::cout << "otharden verify: " << file << ": signature NOT VALID\n"
              << "  problem          " << Wrap(check->problem, 19, 19) << "\n"
              << "  key id           " << check->key_id << "\n";
    return kExitNotOk;
  }
  std::cout << "otharden verify: " << file << ": signature VALID"
            << (check->legacy ? " (legacy non-prehashed signature)" : "") << "\n"
            << "  key id           " << check->key_id << "  (" << check->signer << ")\n"
            << "  trusted comment  " << check->trusted_comment << "\n";
  return kExitOk;
}

}  // namespace otharden
