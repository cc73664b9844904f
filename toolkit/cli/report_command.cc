#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/options.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/report/html_report.h"
#include "toolkit/report/apply_html.h"
#include "toolkit/report/apply_report.h"
#include "toolkit/report/report_reader.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace po = boost::program_options;

// Reports can carry thousands of CBS packages; still far below this.
constexpr size_t kMaxReportBytes = 64 * 1024 * 1024;

int RunRender(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden report render REPORT.xml --html OUT.html [--trusted DIR | --pub KEY.pub] "
      "[--sig REPORT.xml.minisig]");
  std::string report_path, html_path, trusted_dir, pub_path, sig_path;
  options.add_options()
      ("report", po::value(&report_path)->value_name("REPORT.xml"), "the report to render")
      ("html", po::value(&html_path)->value_name("OUT.html"), "where to write the page")
      ("trusted", po::value(&trusted_dir)->value_name("DIR"), "verify against every *.pub in DIR")
      ("pub", po::value(&pub_path)->value_name("KEY.pub"), "verify against this public key")
      ("sig", po::value(&sig_path)->value_name("FILE"), "signature (default REPORT.xml.minisig)")
      ("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("report", 1);
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm, &positional); code >= 0) return code;
  if (report_path.empty() || html_path.empty()) {
    std::cerr << options;
    return ReportError(Status::InvalidInput("give the report and --html OUT.html"));
  }
  if (!trusted_dir.empty() && !pub_path.empty()) {
    return ReportError(Status::InvalidInput("give --trusted DIR or --pub KEY.pub, not both"));
  }

  Result<std::string> text = ReadInputFile(report_path, kMaxReportBytes);
  if (!text.ok()) return ReportError(text.status());
  Result<std::string> kind = ReportKind(report_path, *text);
  if (!kind.ok()) return ReportError(kind.status());
  std::optional<ApplyReportData> apply;
  std::optional<CheckReport> report;
  if (*kind == "apply") {
    Result<ApplyReportData> parsed = ParseApplyReport(report_path, *text);
    if (!parsed.ok()) return ReportError(parsed.status());
    apply = *parsed;
  } else {
    Result<CheckReport> parsed = ParseCheckReport(report_path, *text);
    if (!parsed.ok()) return ReportError(parsed.status());
    report = *parsed;
  }
  const std::string verdict = apply ? apply->verdict : report->verdict;

  SignatureStatus signature;
  if (trusted_dir.empty() && pub_path.empty()) {
    signature.detail = "no trusted keys were given (--trusted DIR or --pub KEY.pub)";
  } else {
    Result<std::vector<PublicKey>> keys = LoadKeysToTrust(pub_path, trusted_dir);
    if (!keys.ok()) return ReportError(keys.status());
    if (sig_path.empty()) sig_path = report_path + ".minisig";
    Result<std::string> sig_text = ReadInputFile(sig_path, 64 * 1024);
    if (!sig_text.ok()) {
      signature.state = SignatureStatus::State::kMissing;
      signature.detail = "no signature file " + sig_path;
    } else {
      Result<SignatureCheck> check = VerifyData(*text, *sig_text, *keys);
      if (!check.ok()) {
        signature.state = SignatureStatus::State::kInvalid;
        signature.detail = check.status().message();
      } else if (!check->valid) {
        signature.state = SignatureStatus::State::kInvalid;
        signature.key_id = check->key_id;
        signature.detail = check->problem;
      } else {
        signature.state = SignatureStatus::State::kVerified;
        signature.key_id = check->key_id;
        signature.trusted_comment = check->trusted_comment;
      }
    }
  }

  const std::string name = std::filesystem::u8path(report_path).filename().u8string();
  Status s = WriteFileAtomically(html_path, apply ? RenderApplyReportHtml(*apply, signature, name)
                                                 : RenderCheckReportHtml(*report, signature, name));
  if (!s.ok()) return ReportError(s);
  switch (signature.state) {
    case SignatureStatus::State::kVerified:
      std::cout << "Wrote " << html_path << ": " << verdict << ", signature verified (key id "
                << signature.key_id << ")\n";
      return kExitOk;
    case SignatureStatus::State::kNotChecked:
      std::cout << "Wrote " << html_path << ": " << verdict << ", signature NOT checked ("
                << signature.detail << ")\n";
      return kExitOk;
    default:
      std::cout << "Wrote " << html_path << ": " << verdict << ", but the signature did NOT verify: "
                << signature.detail << "\n";
      return kExitNotOk;
  }
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "render") {
    return RunRender(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "usage: otharden report render REPORT.xml --html OUT.html [--trusted DIR | --pub KEY.pub]\n";
  return ReportError(Status::InvalidInput(args.empty() ? "'otharden report' needs a subcommand: render"
                                                       : "unknown report subcommand '" + args[0] + "'"));
}

}  // namespace otharden
