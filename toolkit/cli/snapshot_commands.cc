// snapshot and diff: the host as it is, and what changed between two visits.
#include <boost/program_options.hpp>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <optional>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/passphrase.h"
#include "toolkit/cli/report_output.h"
#include "toolkit/engine/snapshot.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/host.h"
#include "toolkit/report/html_report.h"
#include "toolkit/report/report_files.h"
#include "toolkit/report/snapshot_xml.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

std::string FileName(const std::string& path) { return fs::u8path(path).filename().u8string(); }

void PrintSnapshotSummary(const HostSnapshot& s, const std::string& out, const std::string& signed_by) {
  size_t running = 0;
  for (const ServiceConfig& service : s.services) running += service.running;
  std::cout << "otharden snapshot: " << (s.os.host_name.empty() ? "?" : s.os.host_name) << " at "
            << s.time.Iso8601() << "\n"
            << "  OS        Windows NT " << RtlVersionString(s.os.rtl)
            << (s.os.kernel_file_version ? ", ntoskrnl " + s.os.kernel_file_version->ToString() : "") << "\n"
            << "  services  " << s.services.size() << " (" << running << " running)\n";
  if (s.firewall) {
    size_t enabled = 0;
    for (const FirewallRule& r : s.firewall->rules) enabled += r.active;
    std::cout << "  firewall  " << s.firewall->profiles.size() << " profiles, " << s.firewall->rules.size()
              << " rules (" << enabled << " enabled)\n";
  } else {
    std::cout << "  firewall  NOT RECORDED: " << Wrap(s.firewall_error, 30, 12) << "\n";
  }
  std::cout << "  updates   " << s.packages.size() << " packages in the servicing store\n"
            << "Written: " << out << " (" << signed_by << ")\n";
}

}  // namespace

int RunSnapshotCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden snapshot --out FILE.xml [--key KIT.key [--passphrase-file FILE]] [--operator NAME]");
  std::string out, key_path, passphrase_file, operator_name;
  options.add_options()
      ("out", po::value(&out)->value_name("FILE.xml")->required(),
       "where to write the snapshot report (and FILE.xml.minisig when signed)")
      ("key", po::value(&key_path)->value_name("KIT.key"), "secret key that signs the snapshot")
      ("passphrase-file", po::value(&passphrase_file)->value_name("FILE"),
       "read the key's passphrase from FILE instead of asking")
      ("operator", po::value(&operator_name)->value_name("NAME"), "who took the snapshot, recorded in it")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (!passphrase_file.empty() && key_path.empty()) {
    return ReportError(Status::InvalidInput("--passphrase-file is only used with --key KIT.key"));
  }
  const fs::path folder = fs::u8path(out).parent_path();
  std::error_code ec;
  if (!folder.empty() && !fs::is_directory(folder, ec)) {
    return ReportError(Status::NotFound(folder.u8string() + ": no such folder (create it first)"));
  }

  // The key before the host: a wrong passphrase should cost seconds.
  std::optional<SecretKey> key;
  if (!key_path.empty()) {
    Result<SecretKey> opened = OpenSecretKeyFile(key_path, passphrase_file);
    if (!opened.ok()) return ReportError(opened.status());
    key.emplace(std::move(*opened));
  }

  std::unique_ptr<Host> host = OpenLocalHost();
  Result<HostSnapshot> snapshot = TakeSnapshot(*host);
  if (!snapshot.ok()) {
    std::cerr << "otharden snapshot: cannot read this host; nothing was written.\n";
    return ReportError(snapshot.status());
  }
  ReportContext context = CurrentReportContext("snapshot", operator_name);
  const std::string xml = SnapshotReportXml(*snapshot, context);

  std::string signed_by = "NOT signed: give --key KIT.key to sign it";
  std::optional<std::string> signature;
  if (key) {
    Result<std::string> made = SignData(
        *key, xml, ReportTrustedComment("snapshot", snapshot->os.host_name, context.time, "recorded", FileName(out)));
    if (!made.ok()) return ReportError(made.status());
    signature = std::move(*made);
    signed_by = "signed, key id " + key->KeyIdHex();
  }
  // The report first, then its signature (as report_output.cc does). A
  // signature left from an earlier snapshot at this path would not match.
  Status s = WriteFileAtomically(out, xml);
  if (!s.ok()) return ReportError(s);
  if (signature) {
    if (!(s = WriteFileAtomically(out + ".minisig", *signature)).ok()) return ReportError(s);
  } else if (fs::remove(fs::u8path(out + ".minisig"), ec)) {
    signed_by += "; removed the old " + FileName(out) + ".minisig, which signed an earlier file";
  }
  PrintSnapshotSummary(*snapshot, out, signed_by);
  return kExitOk;
}

namespace {

// One input of `diff`, read once: its bytes are verified and parsed.
struct DiffInput {
  SnapshotFile file;
  SignatureStatus signature;
};

// Reads `path`; with keys, verifies FILE.minisig over the same bytes first and
// refuses the file when it does not verify.
Result<DiffInput> ReadDiffInput(const std::string& path, const std::optional<std::vector<PublicKey>>& keys) {
  Result<std::string> text = ReadInputFile(path, kMaxSnapshotFileBytes);
  if (!text.ok()) return text.status();
  DiffInput input;
  if (!keys) {
    input.signature.detail = "no trusted keys were given (--pub KEY.pub or --trusted DIR)";
  } else {
    const std::string sig_path = path + ".minisig";
    Result<std::string> sig_text = ReadInputFile(sig_path, kMaxMinisignFileBytes);
    if (!sig_text.ok()) {
      return Status::InvalidInput(path + ": not signed (no readable " + FileName(sig_path) +
                                  "); refusing to compare an unverified file");
    }
    Result<SignatureCheck> check = VerifyData(*text, *sig_text, *keys, sig_path);
    if (!check.ok()) {
      return Status::InvalidInput(path + ": signature NOT VALID (" + check.status().message() +
                                  "); refusing to compare an unverified file");
    }
    if (!check->valid) {
      return Status::InvalidInput(path + ": signature NOT VALID (" + check->problem +
                                  "); refusing to compare an unverified file");
    }
    input.signature.state = SignatureStatus::State::kVerified;
    input.signature.key_id = check->key_id;
    input.signature.trusted_comment = check->trusted_comment;
  }
  Result<SnapshotFile> file = ParseSnapshotFile(path, *text);
  if (!file.ok()) return file.status();
  input.file = std::move(*file);
  return input;
}

DiffSide Side(const DiffInput& input, const std::pair<std::string, HostSnapshot>& snapshot) {
  return DiffSide{FileName(input.file.path), snapshot.first == "current" ? "snapshot" : snapshot.first,
                  snapshot.second.os.host_name, snapshot.second.time.Iso8601(), input.signature};
}

std::string SignatureText(const SignatureStatus& sig) {
  if (sig.state == SignatureStatus::State::kVerified) return "signature verified, key id " + sig.key_id;
  return "signature not checked";
}

void PrintDiff(const std::vector<SnapshotDifference>& differences, const DiffSide& a, const DiffSide& b) {
  std::cout << "otharden diff\n"
            << "  before  " << a.file << ": " << a.host << " " << a.label << " " << a.utc << " ("
            << SignatureText(a.signature) << ")\n"
            << "  after   " << b.file << ": " << b.host << " " << b.label << " " << b.utc << " ("
            << SignatureText(b.signature) << ")\n\n";
  if (differences.empty()) {
    std::cout << "No differences: OS, updates, services and firewall are the same.\n";
    return;
  }
  std::cout << differences.size() << (differences.size() == 1 ? " difference:\n" : " differences:\n");
  std::string area;
  for (const SnapshotDifference& d : differences) {
    if (d.area != area) {
      area = d.area;
      size_t count = 0;
      for (const SnapshotDifference& e : differences) count += e.area == area;
      std::string title = DifferenceAreaLabel(area);
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
      std::cout << "\n" << title << " (" << count << ")\n";
    }
    // One line per difference, never wrapped: scripts and grep can rely on it.
    std::cout << "  " << DifferenceAreaLabel(d.area) << " " << d.item << ": " << d.before << " -> " << d.after
              << "\n";
  }
}

}  // namespace

int RunDiffCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden diff A.xml [B.xml] [--html OUT.html] [--pub KEY.pub | --trusted DIR]\n"
      "  one apply report: its before vs its after snapshot; two files: A's last snapshot vs B's last\n"
      "  exit 0 no differences, 1 differences, 2 bad or unverified input");
  std::vector<std::string> files;
  std::string html_path, pub_path, trusted_dir;
  options.add_options()
      ("file", po::value(&files)->value_name("FILE"), "a snapshot file or an apply report (one or two)")
      ("html", po::value(&html_path)->value_name("OUT.html"), "also write the differences as a page")
      ("pub", po::value(&pub_path)->value_name("KEY.pub"), "verify each input's .minisig against this key")
      ("trusted", po::value(&trusted_dir)->value_name("DIR"), "verify against every *.pub in DIR")
      ("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("file", 2);
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm, &positional); code >= 0) return code;
  if (files.empty() || files.size() > 2) {
    std::cerr << options;
    return ReportError(Status::InvalidInput("give one apply report, or two snapshot files or reports"));
  }
  if (!pub_path.empty() && !trusted_dir.empty()) {
    return ReportError(Status::InvalidInput("give --pub KEY.pub or --trusted DIR, not both"));
  }
  std::optional<std::vector<PublicKey>> keys;
  if (!pub_path.empty() || !trusted_dir.empty()) {
    Result<std::vector<PublicKey>> loaded = LoadKeysToTrust(pub_path, trusted_dir);
    if (!loaded.ok()) return ReportError(loaded.status());
    keys = std::move(*loaded);
  }

  std::vector<DiffInput> inputs;
  for (const std::string& path : files) {
    Result<DiffInput> input = ReadDiffInput(path, keys);
    if (!input.ok()) return ReportError(input.status());
    inputs.push_back(std::move(*input));
  }
  const std::pair<std::string, HostSnapshot>* before = nullptr;
  const std::pair<std::string, HostSnapshot>* after = nullptr;
  if (inputs.size() == 1) {
    const SnapshotFile& file = inputs[0].file;
    if (file.kind != "apply" || file.snapshots.size() < 2) {
      return ReportError(Status::InvalidInput(
          files[0] + " holds one snapshot: give a second file to compare it with (otharden diff A.xml B.xml)"));
    }
    before = &file.snapshots.front();
    after = &file.snapshots.back();
  } else {
    before = &inputs[0].file.snapshots.back();
    after = &inputs[1].file.snapshots.back();
  }
  const DiffSide a = Side(inputs.front(), *before), b = Side(inputs.back(), *after);
  const std::vector<SnapshotDifference> differences = DiffSnapshots(before->second, after->second);

  if (!html_path.empty()) {
    Status s = WriteFileAtomically(html_path, RenderDiffHtml(differences, a, b));
    if (!s.ok()) return ReportError(s);
  }
  PrintDiff(differences, a, b);
  if (!html_path.empty()) std::cout << "\nWrote " << html_path << "\n";
  return differences.empty() ? kExitOk : kExitNotOk;
}

}  // namespace otharden
