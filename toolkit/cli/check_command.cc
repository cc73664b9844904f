#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/tool_info.h"
#include "toolkit/engine/check.h"
#include "toolkit/platform/host.h"
#include "toolkit/report/report_xml.h"
#include "toolkit/cli/passphrase.h"
#include "toolkit/cli/profile_loading.h"
#include "toolkit/cli/report_output.h"
#include "toolkit/sign/digest.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/xml_input.h"
#include "toolkit/spec/policy.h"

namespace otharden {
namespace {

namespace po = boost::program_options;

void PrintText(const CheckResult& result, const Policy& policy) {
  const OsIdentity& os = result.os;
  std::cout << "otharden check: policy " << policy.name << " (" << policy.path << ")\n"
            << "  " << policy.title << "\n";
  for (const ParameterValue& v : policy.parameter_values) {
    std::cout << "  parameter " << v.name << " = " << v.value << " (from " << v.source << ")\n";
  }
  std::cout << "\n";
  std::cout << "Host     " << (os.host_name.empty() ? "?" : os.host_name) << " ("
            << (os.domain_joined ? "domain " : "workgroup ") << os.domain_or_workgroup << ")\n";
  std::cout << "OS       Windows NT " << RtlVersionString(os.rtl)
            << (os.rtl.csd.empty() ? "" : " " + os.rtl.csd) << ", "
            << ProductTypeName(os.rtl.product_type) << ", " << ArchitectureName(os.native_architecture)
            << "\n";
  if (os.registry.product_name) std::cout << "Product  " << *os.registry.product_name << "\n";
  std::cout << "Kernel   " << os.kernel_path << "  "
            << (os.kernel_file_version ? os.kernel_file_version->ToString()
                                       : "unreadable: " + os.kernel_error)
            << "\n";

  std::map<std::string, int> by_state;
  for (const CbsPackage& p : result.packages) ++by_state[CbsStateName(p.current_state)];
  std::cout << "Updates  " << result.packages.size() << " in the servicing store";
  std::string counts;
  for (const auto& [state, n] : by_state) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + state;
  std::cout << (counts.empty() ? "" : " (" + counts + ")") << "\n";
  for (const CbsPackage& p : result.packages) {
    char line[64];
    std::snprintf(line, sizeof line, "         %-11s %-20s ", p.kb.empty() ? "-" : p.kb.c_str(),
                  CbsStateName(p.current_state).c_str());
    std::cout << line << p.name << "\n";
  }

  std::cout << "\nRequirements\n";
  size_t title_width = 0;
  for (const Finding& f : result.findings) title_width = std::max(title_width, f.title.size());
  const size_t column = 2 + 4 + 2 + title_width + 2;  // "  PASS  <title>  "
  for (const Finding& f : result.findings) {
    std::cout << "  " << OutcomeName(f.outcome) << "  " << f.title
              << std::string(title_width - f.title.size() + 2, ' ') << Wrap(f.evidence, column, column)
              << "\n";
    if (!f.remedy.empty()) {
      std::cout << std::string(column, ' ') << "-> " << Wrap(f.remedy, column + 3, column + 3) << "\n";
    }
  }

  const int fails = result.Count(Outcome::kFail);
  const int warns = result.Count(Outcome::kWarn);
  std::cout << "\nVERDICT: " << (result.compliant() ? "COMPLIANT" : "NOT COMPLIANT") << " ("
            << fails << " failed, " << warns << " warning" << (warns == 1 ? "" : "s") << ", "
            << result.Count(Outcome::kPass) << " passed)\n";
}

}  // namespace

int RunCheckCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden check [--policy FILE [--site FILE] [--param NAME=VALUE ...]] [--format text|xml]\n"
      "               [--report DIR --key KIT.key [--passphrase-file FILE]] [--operator NAME]");
  std::string policy_path, format = "text", report_dir, key_path, passphrase_file, operator_name, site_file;
  std::vector<std::string> params;
  options.add_options()
      ("policy", po::value(&policy_path)->value_name("FILE"),
       "compliance policy (default: policies/esu-6003.xml next to the executable)")
      ("param", po::value(&params)->value_name("NAME=VALUE"),
       "a value for a parameter the policy declares, e.g. --param min-rollup=2025-01 (repeatable)")
      ("site", po::value(&site_file)->value_name("FILE"),
       "a site file: the values of the policy's parameters are taken from it (--param wins)")
      ("format", po::value(&format)->value_name("text|xml"), "output format (default text)")
      ("report", po::value(&report_dir)->value_name("DIR"),
       "also write a signed report DIR/<host>-<UTC time>-check.xml (+ .minisig)")
      ("key", po::value(&key_path)->value_name("KIT.key"), "secret key that signs the report")
      ("passphrase-file", po::value(&passphrase_file)->value_name("FILE"),
       "read the key's passphrase from FILE instead of asking")
      ("operator", po::value(&operator_name)->value_name("NAME"),
       "who ran the check, recorded in the report")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (format != "text" && format != "xml") {
    return ReportError(Status::InvalidInput("--format must be 'text' or 'xml', not '" + format + "'"));
  }
  if (!report_dir.empty() && key_path.empty()) {
    return ReportError(Status::InvalidInput(
        "--report needs --key KIT.key: reports are always signed (see 'otharden keygen')"));
  }
  if (report_dir.empty() && !key_path.empty()) {
    return ReportError(Status::InvalidInput("--key is only used with --report DIR"));
  }
  if (policy_path.empty()) {
    Result<std::string> found = FindDataFile("policies/esu-6003.xml");
    if (!found.ok()) return ReportError(found.status());
    policy_path = *found;
  }

  Result<std::string> policy_text = ReadInputFile(policy_path);
  if (!policy_text.ok()) return ReportError(policy_text.status());
  // A site file is written for a profile and may hold values the policy does
  // not use; only --param names must be the policy's own (typo protection).
  Result<std::vector<ParameterArgument>> given = LoadParameterArguments(params, site_file, nullptr);
  if (!given.ok()) return ReportError(given.status());
  Result<Policy> policy = ParsePolicy(policy_path, *policy_text, *given, false);
  if (!policy.ok()) return ReportError(policy.status());
  std::vector<ParameterArgument> from_param;
  for (const ParameterArgument& arg : *given) {
    if (arg.source.rfind("--param", 0) == 0) from_param.push_back(arg);
  }
  Status undeclared = RejectUndeclared(from_param, policy->parameters, "policy " + policy->name + " (" + policy_path + ")");
  if (!undeclared.ok()) return ReportError(undeclared);
  const DocumentRef policy_file{policy_path, Sha256Hex(*policy_text)};

  // Open the signing key before touching the host: a wrong passphrase should
  // cost the technician seconds, not a whole check.
  std::optional<SecretKey> key;
  if (!key_path.empty()) {
    Result<SecretKey> opened = OpenSecretKeyFile(key_path, passphrase_file);
    if (!opened.ok()) return ReportError(opened.status());
    key.emplace(std::move(*opened));
  }

  std::unique_ptr<Host> host = OpenLocalHost();
  Result<CheckResult> result = RunCheck(*host, *policy);
  if (!result.ok()) {
    std::cerr << "otharden check: cannot inspect this host.\n";
    return ReportError(result.status());
  }
  const ReportContext context = CurrentReportContext("check", operator_name);
  if (format == "xml") {
    std::cout << CheckReportXml(*result, *policy, policy_file, context);
  } else {
    PrintText(*result, *policy);
  }
  if (key) {
    const std::string verdict = result->compliant() ? "compliant" : "not-compliant";
    Result<std::string> written =
        WriteSignedReport(report_dir, result->os.host_name, context, verdict,
                          CheckReportXml(*result, *policy, policy_file, context), *key);
    if (!written.ok()) return ReportError(written.status());
    std::cerr << "Report: " << *written << " (signed, key id " << key->KeyIdHex() << ")\n";
  }
  return result->compliant() ? kExitOk : kExitNotOk;
}

}  // namespace otharden
