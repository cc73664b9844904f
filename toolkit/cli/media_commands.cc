// media build / media verify: the USB stick, its signed MANIFEST and signed profiles.
#include <boost/program_options.hpp>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <set>
#include <system_error>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/media_gate.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/passphrase.h"
#include "toolkit/media/manifest.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/process.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/profile.h"
#include "toolkit/spec/site.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// Folders every stick has; reports/ and journals/ start empty and are never in
// the MANIFEST (written on site).
const char* const kStickFolders[] = {"bin/x64", "bin/x86", "policies", "profiles", "keys/trusted", "reports",
                                     "journals"};

bool EndsWithIgnoringCase(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) !=
        std::tolower(static_cast<unsigned char>(suffix[i]))) {
      return false;
    }
  }
  return true;
}

std::string TimestampNow() { return std::to_string(static_cast<long long>(std::time(nullptr))); }

// A folder shipped with the tool (policies, profiles, the media template): as
// FindDataFile looks for files, next to the executable, one or two folders up
// (the build tree: build/native/otharden -> the repository), or the current
// directory. Empty when none exists.
std::string FindDataFolder(const std::string& relative) {
  std::vector<fs::path> candidates;
  Result<std::string> exe = ExecutablePath();
  if (exe.ok()) {
    fs::path dir = fs::u8path(*exe).parent_path();
    for (int up = 0; up < 3 && !dir.empty(); ++up) {
      candidates.push_back(dir / fs::u8path(relative));
      dir = dir.parent_path();
    }
  }
  candidates.push_back(fs::u8path(relative));
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) return p.lexically_normal().u8string();
  }
  return "";
}

// The Windows executable built beside this one by the presets
// (build/native/otharden -> build/win64/otharden.exe), or empty.
std::string SiblingBuild(const char* preset) {
  Result<std::string> exe = ExecutablePath();
  if (!exe.ok()) return "";
  fs::path p = fs::u8path(*exe).parent_path().parent_path() / preset / "otharden.exe";
  std::error_code ec;
  return fs::is_regular_file(p, ec) ? p.u8string() : "";
}

// Refuses a file that is not a Windows executable for `machine` (PE header):
// catches swapped --x64/--x86 and a Linux binary given by mistake.
Status CheckWindowsExecutable(const std::string& path, uint16_t machine, const char* arch) {
  Result<std::string> data = ReadInputFile(path, 256 * 1024 * 1024);
  if (!data.ok()) return data.status();
  const std::string& d = *data;
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(d[at])) | static_cast<uint32_t>(static_cast<uint8_t>(d[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(d[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(d[at + 3])) << 24;
  };
  if (d.size() < 0x40 || d.compare(0, 2, "MZ") != 0) {
    return Status::InvalidInput(path + ": not a Windows executable (no MZ header); give the " + arch +
                                " otharden.exe built by the " + (machine == 0x8664 ? "win64" : "win32") + " preset");
  }
  const uint32_t pe = u32(0x3c);
  if (static_cast<uint64_t>(pe) + 6 > d.size() || d.compare(pe, 4, std::string("PE\0\0", 4)) != 0) {
    return Status::InvalidInput(path + ": not a Windows executable (no PE header)");
  }
  const uint16_t found = static_cast<uint16_t>(static_cast<uint8_t>(d[pe + 4]) | static_cast<uint8_t>(d[pe + 5]) << 8);
  if (found != machine) {
    return Status::InvalidInput(path + ": this executable is not for " + arch + " (PE machine 0x" +
                                [&] {
                                  char buf[8];
                                  std::snprintf(buf, sizeof buf, "%04x", found);
                                  return std::string(buf);
                                }() +
                                "); are --x64 and --x86 swapped?");
  }
  return Status::Ok();
}

// Lists FOLDER/*.xml (not subfolders), sorted.
Result<std::vector<fs::path>> XmlFilesIn(const std::string& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(fs::u8path(folder), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (EndsWithIgnoringCase(it->path().filename().u8string(), ".xml") && it->is_regular_file(type_ec)) {
      files.push_back(it->path());
    }
  }
  if (ec) return Status::IoError(folder + ": cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Status CopyInto(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::IoError("cannot copy " + from.u8string() + " to " + to.u8string() + ": " + ec.message());
  return Status::Ok();
}

// A public key for keys/trusted/: refuses a secret key loudly (it would let
// anyone who finds the stick sign profiles), and anything that is not a key.
Result<PublicKey> LoadPublicKeyForStick(const std::string& path) {
  Result<std::string> text = ReadInputFile(path, kMaxMinisignFileBytes);
  if (!text.ok()) return text.status();
  if (EndsWithIgnoringCase(path, ".key") || InspectSecretKey(*text, path).ok() ||
      text->find("secret key") != std::string::npos) {
    return Status::InvalidInput(path + " is a SECRET key: a stick carries public keys only (NAME.pub); "
                                "nothing was staged");
  }
  if (!EndsWithIgnoringCase(path, ".pub")) {
    return Status::InvalidInput(path + ": a trusted key's file name ends in .pub");
  }
  return ParsePublicKey(*text, path);
}

struct BuildOptions {
  std::string vendor_key, passphrase_file, out, x64, x86, policies, profiles, template_dir;
  std::vector<std::string> trusted_keys;
};

// Stages the stick in `stage` (an empty folder). Prints what it does.
Status StageMedia(const BuildOptions& o, const SecretKey& vendor, const std::vector<PublicKey>& extra_keys,
                  const fs::path& stage, size_t* profile_count) {
  std::error_code ec;
  for (const char* folder : kStickFolders) {
    fs::create_directories(stage / fs::u8path(folder), ec);
    if (ec) return Status::IoError((stage / folder).u8string() + ": cannot create: " + ec.message());
  }
  // Executables.
  if (Status s = CopyInto(fs::u8path(o.x64), stage / "bin/x64/otharden.exe"); !s.ok()) return s;
  if (Status s = CopyInto(fs::u8path(o.x86), stage / "bin/x86/otharden.exe"); !s.ok()) return s;
  // Policies.
  Result<std::vector<fs::path>> policies = XmlFilesIn(o.policies);
  if (!policies.ok()) return policies.status();
  if (policies->empty()) return Status::InvalidInput(o.policies + ": no policies (*.xml) in this folder");
  std::set<std::string> policy_names;
  for (const fs::path& p : *policies) {
    if (Status s = CopyInto(p, stage / "policies" / p.filename()); !s.ok()) return s;
    policy_names.insert(p.stem().u8string());
  }
  // Profiles: validated against the staged protected-services list, then signed.
  if (!o.profiles.empty()) {
    Result<std::vector<fs::path>> profiles = XmlFilesIn(o.profiles);
    if (!profiles.ok()) return profiles.status();
    Result<ProtectedServices> protected_services =
        LoadProtectedServicesFile((stage / "policies" / "protected-services.xml").u8string());
    if (!profiles->empty() && !protected_services.ok()) return protected_services.status();
    for (const fs::path& p : *profiles) {
      // A profile with required site parameters is validated with its example
      // site file (profiles/sites/example-<name>.xml), which goes on the stick
      // too; without one it cannot be validated and is refused.
      const fs::path example = fs::u8path(o.profiles) / "sites" / ("example-" + p.stem().u8string() + ".xml");
      std::vector<ParameterArgument> given;
      std::error_code ec;
      const bool has_example = fs::is_regular_file(example, ec);
      if (has_example) {
        Result<SiteFile> site = LoadSiteFile(example.u8string());
        if (!site.ok()) return site.status();
        given = site->values;
      }
      Result<std::string> text = ReadInputFile(p.u8string());
      if (!text.ok()) return text.status();
      Result<Profile> profile = ParseProfile(p.u8string(), *text, *protected_services, given);
      if (!profile.ok()) {
        if (has_example) return profile.status();
        return Status::InvalidInput(profile.status().message() + " (media build validates a profile with its example "
                                    "site file " + example.u8string() + ", which is missing)");
      }
      if (has_example) {
        fs::create_directories(stage / "profiles" / "sites", ec);
        if (Status s = CopyInto(example, stage / "profiles" / "sites" / example.filename()); !s.ok()) return s;
      }
      if (policy_names.count(profile->policy) == 0) {
        return Status::InvalidInput(p.u8string() + ": requires policy '" + profile->policy + "', which is not in " +
                                    o.policies + " (the stick would not be able to check it)");
      }
      const fs::path staged = stage / "profiles" / p.filename();
      if (Status s = CopyInto(p, staged); !s.ok()) return s;
      Result<std::string> sig = SignFile(vendor, staged.u8string(),
                                         "profile:" + profile->name + "\tfile:" + p.filename().u8string() +
                                             "\ttimestamp:" + TimestampNow());
      if (!sig.ok()) return sig.status();
      if (Status s = WriteFileAtomically(staged.u8string() + ".minisig", *sig); !s.ok()) return s;
      std::cout << "  signed profile   profiles/" << p.filename().u8string() << " (" << profile->name << ")\n";
      ++*profile_count;
    }
  }
  // Trusted public keys: the vendor's own, then any others given.
  std::set<std::string> key_ids, key_files;
  auto add_key = [&](const PublicKey& key, const std::string& file_name) -> Status {
    if (!key_ids.insert(key.KeyIdHex()).second) return Status::Ok();
    if (!key_files.insert(file_name).second) {
      return Status::InvalidInput("two trusted keys would both be keys/trusted/" + file_name + "; rename one");
    }
    return WriteFileAtomically((stage / "keys/trusted" / fs::u8path(file_name)).u8string(), PublicKeyFileText(key));
  };
  if (Status s = add_key(vendor.Public(), "vendor-" + vendor.KeyIdHex() + ".pub"); !s.ok()) return s;
  for (const PublicKey& key : extra_keys) {
    if (Status s = add_key(key, fs::u8path(key.source).filename().u8string()); !s.ok()) return s;
  }
  // The technician's files.
  for (const char* name : {"README.txt", "run.cmd"}) {
    if (Status s = CopyInto(fs::u8path(o.template_dir) / name, stage / name); !s.ok()) return s;
  }
  // The MANIFEST over all of it, signed.
  Result<std::vector<ManifestEntry>> entries = ScanMedia(stage.u8string());
  if (!entries.ok()) return entries.status();
  Result<std::string> manifest = ManifestText(*entries);
  if (!manifest.ok()) return manifest.status();
  if (Status s = WriteFileAtomically((stage / kManifestFile).u8string(), *manifest); !s.ok()) return s;
  Result<std::string> sig = SignData(vendor, *manifest,
                                     "otharden media MANIFEST\tfiles:" + std::to_string(entries->size()) +
                                         "\ttimestamp:" + TimestampNow());
  if (!sig.ok()) return sig.status();
  return WriteFileAtomically((stage / kManifestSignatureFile).u8string(), *sig);
}

int RunMediaBuild(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden media build --vendor-key K.key [--passphrase-file F] --out DIR [--x64 EXE] [--x86 EXE]\n"
      "                     [--policies DIR] [--profiles DIR] [--template DIR] [--trusted-key PUB]...");
  BuildOptions o;
  options.add_options()
      ("vendor-key", po::value(&o.vendor_key)->value_name("K.key")->required(),
       "the vendor's secret key: signs every profile and the MANIFEST (it is NOT put on the stick; its public "
       "half goes to keys/trusted/)")
      ("passphrase-file", po::value(&o.passphrase_file)->value_name("FILE"),
       "take the key's passphrase from the first line of FILE instead of asking")
      ("out", po::value(&o.out)->value_name("DIR")->required(), "the stick's folder; must not exist or be empty")
      ("x64", po::value(&o.x64)->value_name("EXE"), "the x64 otharden.exe (default: ../win64/otharden.exe beside "
                                                    "this build)")
      ("x86", po::value(&o.x86)->value_name("EXE"), "the x86 otharden.exe (default: ../win32/otharden.exe)")
      ("policies", po::value(&o.policies)->value_name("DIR"), "policies/*.xml to ship (default: the repository's)")
      ("profiles", po::value(&o.profiles)->value_name("DIR"),
       "profiles/*.xml to validate, sign and ship (default: the repository's, if any)")
      ("template", po::value(&o.template_dir)->value_name("DIR"),
       "where README.txt and run.cmd come from (default: the repository's media/)")
      ("trusted-key", po::value(&o.trusted_keys)->value_name("PUB")->composing(),
       "another public key to put in keys/trusted/ (repeatable); secret keys are refused")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;

  if (o.x64.empty()) o.x64 = SiblingBuild("win64");
  if (o.x86.empty()) o.x86 = SiblingBuild("win32");
  if (o.x64.empty() || o.x86.empty()) {
    return ReportError(Status::NotFound(std::string("no ") + (o.x64.empty() ? "x64" : "x86") +
                                        " otharden.exe: build the win64 and win32 presets, or give --x64 EXE "
                                        "and --x86 EXE"));
  }
  if (Status s = CheckWindowsExecutable(o.x64, 0x8664, "x64"); !s.ok()) return ReportError(s);
  if (Status s = CheckWindowsExecutable(o.x86, 0x014c, "x86"); !s.ok()) return ReportError(s);
  if (o.policies.empty()) o.policies = FindDataFolder("policies");
  if (o.template_dir.empty()) o.template_dir = FindDataFolder("media");
  if (!vm.count("profiles")) o.profiles = FindDataFolder("profiles");  // none yet is fine
  std::error_code ec;
  if (o.policies.empty() || !fs::is_directory(fs::u8path(o.policies), ec)) {
    return ReportError(Status::NotFound("no policies folder" + (o.policies.empty() ? "" : " " + o.policies) +
                                        ": give --policies DIR"));
  }
  if (vm.count("profiles") && !fs::is_directory(fs::u8path(o.profiles), ec)) {
    return ReportError(Status::NotFound(o.profiles + ": no such folder (--profiles)"));
  }
  for (const char* name : {"README.txt", "run.cmd"}) {
    if (o.template_dir.empty() || !fs::is_regular_file(fs::u8path(o.template_dir) / name, ec)) {
      return ReportError(Status::NotFound(std::string("no media template with ") + name +
                                          ": give --template DIR (the repository's media/ folder)"));
    }
  }
  std::vector<PublicKey> extra_keys;
  for (const std::string& path : o.trusted_keys) {
    Result<PublicKey> key = LoadPublicKeyForStick(path);
    if (!key.ok()) return ReportError(key.status());
    extra_keys.push_back(std::move(*key));
  }
  // "DIR/" would otherwise stage into DIR/.partial.
  fs::path out = fs::u8path(o.out).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  o.out = out.u8string();
  if (fs::exists(out, ec) && !(fs::is_directory(out, ec) && fs::is_empty(out, ec))) {
    return ReportError(Status::InvalidInput(o.out + " already exists and is not empty; give a new folder "
                                            "(media build never overwrites a stick)"));
  }
  Result<SecretKey> vendor = OpenSecretKeyFile(o.vendor_key, o.passphrase_file);
  if (!vendor.ok()) return ReportError(vendor.status());

  // Staged beside DIR and renamed at the end: a failed build leaves no half stick.
  const fs::path stage = fs::u8path(o.out + ".partial");
  fs::remove_all(stage, ec);
  std::cout << "otharden media build: staging " << o.out << "\n";
  size_t profile_count = 0;
  Status staged = StageMedia(o, *vendor, extra_keys, stage, &profile_count);
  if (staged.ok()) {
    // Check what was written, as a technician's copy will be checked.
    Result<std::vector<PublicKey>> keys = LoadTrustedKeys(MediaTrustedKeysDir(stage.u8string()));
    Result<MediaVerification> v = keys.ok() ? VerifyMedia(stage.u8string(), *keys) : keys.status();
    if (!v.ok()) {
      staged = v.status();
    } else if (!v->verified()) {
      std::string problems;
      for (const std::string& line : MediaProblems(*v)) problems += "\n  " + line;
      staged = Status::Internal("the staged stick does not verify:" + problems);
    }
  }
  if (staged.ok()) {
    fs::remove(out, ec);  // the empty folder, if any
    fs::rename(stage, out, ec);
    if (ec) staged = Status::IoError("cannot rename " + stage.u8string() + " to " + o.out + ": " + ec.message());
  }
  if (!staged.ok()) {
    fs::remove_all(stage, ec);
    std::cerr << "otharden media build: nothing was built.\n";
    return ReportError(staged);
  }
  Result<std::vector<ManifestEntry>> entries = ScanMedia(o.out);
  uint64_t bytes = 0;
  if (entries.ok()) {
    for (const ManifestEntry& e : *entries) bytes += e.size;
  }
  std::cout << "otharden media build: " << o.out << " is ready\n"
            << "  MANIFEST         " << (entries.ok() ? entries->size() : 0) << " files, " << bytes
            << " bytes, signed by key ID " << vendor->KeyIdHex() << "\n"
            << "  profiles         " << profile_count << " signed"
            << (profile_count == 0 ? " (none given: profiles/ is empty)" : "") << "\n"
            << "  keys/trusted/    " << 1 + extra_keys.size() << " public key(s); the secret key "
            << o.vendor_key << " is not on the stick\n"
            << "Check it with:  otharden media verify " << o.out << "\n";
  return kExitOk;
}

int RunMediaVerify(const std::vector<std::string>& args) {
  po::options_description options("otharden media verify [DIR] [--pub VENDOR.pub | --trusted DIR]");
  std::string dir, pub_path, trusted_dir;
  options.add_options()
      ("dir", po::value(&dir)->value_name("DIR"), "the stick's folder (default: the stick otharden runs from)")
      ("pub", po::value(&pub_path)->value_name("VENDOR.pub"),
       "check the MANIFEST against this key (obtained from the vendor separately) instead of the stick's own "
       "keys/trusted/")
      ("trusted", po::value(&trusted_dir)->value_name("DIR"), "the same with every *.pub in DIR")
      ("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm, &positional); code >= 0) return code;
  if (vm.count("pub") && vm.count("trusted")) {
    return ReportError(Status::InvalidInput("give --pub or --trusted, not both"));
  }
  if (dir.empty()) {
    std::optional<std::string> root = FindMediaRoot();
    if (!root) {
      return ReportError(Status::InvalidInput(
          "otharden does not run from a stick here: give the stick's folder, e.g. otharden media verify E:\\"));
    }
    dir = *root;
  }
  std::error_code ec;
  if (!fs::is_directory(fs::u8path(dir), ec)) return ReportError(Status::NotFound(dir + ": no such folder"));

  const bool own_keys = pub_path.empty() && trusted_dir.empty();
  const std::string keys_source = own_keys ? MediaTrustedKeysDir(dir) : (pub_path.empty() ? trusted_dir : pub_path);
  std::cout << "otharden media verify: " << dir << "\n"
            << "  trusted keys     " << keys_source
            << (own_keys ? " (the stick's own)" : " (given on the command line)") << "\n";
  Result<std::vector<PublicKey>> keys = LoadKeysToTrust(pub_path, own_keys ? keys_source : trusted_dir);
  MediaVerification v;
  if (!keys.ok()) {
    if (!own_keys) return ReportError(keys.status());  // the user's own file: bad input
    v.signature_problem = keys.status().message();      // the stick's: the stick fails
  } else {
    Result<MediaVerification> verified = VerifyMedia(dir, *keys);
    if (!verified.ok()) return ReportError(verified.status());
    v = std::move(*verified);
  }
  if (v.signature_valid) {
    std::cout << "  MANIFEST         signature VALID, key ID " << v.key_id << " ("
              << fs::u8path(v.signer).filename().u8string() << ")\n";
  }
  if (v.verified()) {
    std::cout << "  files            " << v.files_listed << " listed, all present and unchanged (" << v.bytes_checked
              << " bytes checked), no extra files\n"
              << "VERDICT: MEDIA VERIFIED\n";
    if (own_keys) {
      std::cout << "(Checked against the stick's own keys/trusted/. To check against the vendor's key obtained "
                   "separately, add --pub VENDOR.pub.)\n";
    }
    return kExitOk;
  }
  for (const std::string& line : MediaProblems(v)) std::cout << "  PROBLEM          " << Wrap(line, 19, 19) << "\n";
  std::cout << "VERDICT: MEDIA NOT VERIFIED\n"
            << "Do not use this stick to apply profiles: it is not the stick the vendor built. Do not edit or\n"
               "copy files onto it to fix it. Get a fresh stick from the vendor (or rebuild it with\n"
               "'otharden media build'), and tell the security officer which files are named above.\n";
  return kExitNotOk;
}

}  // namespace

int RunMediaCommand(const std::vector<std::string>& args) {
  const char* usage =
      "usage: otharden media build --vendor-key K.key --out DIR [...]   stage and sign a stick\n"
      "       otharden media verify [DIR]                               check a stick's signed MANIFEST\n"
      "       otharden media SUBCOMMAND --help                          the options\n"
      "exit codes: 0 built / verified, 1 NOT verified, 2 bad usage or input\n";
  if (args.empty()) {
    std::cerr << usage;
    return kExitBadInput;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "build") return RunMediaBuild(rest);
  if (args[0] == "verify") return RunMediaVerify(rest);
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return kExitOk;
  }
  std::cerr << "otharden media: '" << args[0] << "' is not a media command\n" << usage;
  return kExitBadInput;
}

}  // namespace otharden
