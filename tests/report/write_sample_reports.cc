// Writes check reports for a set of in-memory host scenarios into a folder, so
// that report tests (XSD validation with xmllint, signing, HTML rendering) run
// on the native build too. The hosts are test doubles (MemoryHost), not
// simulations of Windows; the end-to-end tests write reports on the simulated
// hosts as well.
#include <cstdio>
#include <string>

#include "toolkit/engine/check.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/memory_host.h"
#include "toolkit/report/report_files.h"
#include "toolkit/report/report_xml.h"
#include "toolkit/sign/digest.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

MemoryHost Host(const std::string& name, uint32_t build, const std::string& kernel) {
  MemoryHost host;
  host.os.rtl = KernelVersionInfo{6, 0, build, "Service Pack 2", 2, 0, ProductType::kServer};
  host.os.registry.current_version = "6.0";
  host.os.registry.current_build_number = std::to_string(build);
  host.os.registry.csd_version = "Service Pack 2";
  host.os.registry.product_name = "Windows Server (R) 2008 Standard";
  host.os.kernel_file_version = FileVersion::Parse(kernel);
  host.os.kernel_path = "C:\\Windows\\System32\\ntoskrnl.exe";
  host.os.native_architecture = Architecture::kX64;
  host.os.process_architecture = Architecture::kX86;
  host.os.host_name = name;
  host.os.domain_or_workgroup = "PLANT";
  host.os.domain_joined = true;
  return host;
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: write_sample_reports POLICY.xml OUTDIR\n");
    return 2;
  }
  const std::string policy_path = argv[1], out = argv[2];
  Result<std::string> text = ReadInputFile(policy_path);
  if (!text.ok()) return std::fprintf(stderr, "%s\n", text.status().ToString().c_str()), 2;
  Result<Policy> policy = ParsePolicy(policy_path, *text);
  if (!policy.ok()) return std::fprintf(stderr, "%s\n", policy.status().ToString().c_str()), 2;
  const DocumentRef policy_file{policy_path, Sha256Hex(*text)};

  MemoryHost vanilla = Host("vanilla-6002", 6002, "6.0.6002.18005");
  MemoryHost full = Host("full-6003", 6003, "6.0.6003.21481");
  for (const char* kb : {"KB4474419", "KB4493730", "KB4538484", "KB5014010"}) full.AddPackage(kb, 0x70);
  full.AddPackage("KB4493471", 0x50);
  // Host names are whatever an administrator typed: markup and non-ASCII included,
  // and control characters (text from the host: not XML 1.0 characters, written as U+FFFD).
  MemoryHost odd = Host("<b>SCAN&\"NER\"</b> \xC3\xA9\xE6\x97\xA5\x01\x1B", 6003, "6.0.6003.20489");
  odd.os.kernel_file_version.reset();
  odd.os.kernel_error = "GetFileVersionInfoSizeW failed: Access is denied (5)";
  odd.AddPackage("KB4474419", 0x60);

  Status s = EnsureDirectory(out);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 2;
  int written = 0;
  for (MemoryHost* host : {&vanilla, &full, &odd}) {
    Result<CheckResult> result = RunCheck(*host, *policy);
    if (!result.ok()) return std::fprintf(stderr, "%s\n", result.status().ToString().c_str()), 1;
    ReportContext context{ToolIdentity{"0.0.0-sample", "native", "sample"}, Sha256Hex("sample"),
                          "Sample Operator", UtcTime::FromUnixSeconds(1795307112 + written), "check"};
    const std::string name = ReportFileName(host->os.host_name, context.time, "check");
    s = WriteFileAtomically(out + "/" + name, CheckReportXml(*result, *policy, policy_file, context));
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    std::printf("%s\n", name.c_str());
    ++written;
  }
  return 0;
}

}  // namespace
}  // namespace otharden

int main(int argc, char** argv) { return otharden::Main(argc, argv); }
