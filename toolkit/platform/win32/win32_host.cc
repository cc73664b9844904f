// The live Windows host: the production path on Server 2008 SP2.
#include <memory>

#include "toolkit/platform/host.h"
#include "toolkit/platform/win32/firewall_win32.h"
#include "toolkit/platform/win32/registry.h"
#include "toolkit/platform/win32/services_win32.h"
#include "toolkit/platform/win32/system_library.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"
// After windows_api.h: lm.h needs <windows.h> first.
#include <lm.h>

namespace otharden {
namespace {

const char kCurrentVersionKey[] = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
const char kCbsPackagesKey[] =
    "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages";

Result<KernelVersionInfo> ReadRtlVersion() {
  // RtlGetVersion is not subject to the compatibility shims that make
  // GetVersionEx lie (FACTS.md "Reading the version"); ntdll exports it on every NT.
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOEXW*);
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  auto rtl_get_version =
      ntdll ? reinterpret_cast<RtlGetVersionFn>(
                  reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")))
            : nullptr;
  if (!rtl_get_version) {
    return Status::NotSupported("ntdll.dll has no RtlGetVersion: this is not a Windows NT host");
  }
  OSVERSIONINFOEXW info = {};
  info.dwOSVersionInfoSize = sizeof info;
  if (rtl_get_version(&info) != 0) return Status::Internal("RtlGetVersion failed");
  KernelVersionInfo rtl;
  rtl.major = info.dwMajorVersion;
  rtl.minor = info.dwMinorVersion;
  rtl.build = info.dwBuildNumber;
  rtl.csd = Utf8FromWide(std::wstring(info.szCSDVersion, wcsnlen(info.szCSDVersion, 128)));
  rtl.service_pack_major = info.wServicePackMajor;
  rtl.service_pack_minor = info.wServicePackMinor;
  switch (info.wProductType) {
    case VER_NT_WORKSTATION: rtl.product_type = ProductType::kWorkstation; break;
    case VER_NT_DOMAIN_CONTROLLER: rtl.product_type = ProductType::kDomainController; break;
    case VER_NT_SERVER: rtl.product_type = ProductType::kServer; break;
    default: rtl.product_type = ProductType::kUnknown; break;
  }
  return rtl;
}

Result<RegistryVersionInfo> ReadRegistryVersion() {
  Result<RegistryKey> key = RegistryKey::OpenForRead(HKEY_LOCAL_MACHINE, kCurrentVersionKey);
  if (!key.ok()) {
    if (key.status().code() == Status::Code::kNotFound) return RegistryVersionInfo{};
    return key.status();
  }
  RegistryVersionInfo reg;
  reg.current_version = key->ReadString("CurrentVersion");
  reg.current_build_number = key->ReadString("CurrentBuildNumber");
  reg.csd_version = key->ReadString("CSDVersion");
  reg.build_lab = key->ReadString("BuildLab");
  reg.build_lab_ex = key->ReadString("BuildLabEx");
  reg.product_name = key->ReadString("ProductName");
  return reg;
}

Architecture ToArchitecture(WORD processor_architecture) {
  switch (processor_architecture) {
    case PROCESSOR_ARCHITECTURE_INTEL: return Architecture::kX86;
    case PROCESSOR_ARCHITECTURE_AMD64: return Architecture::kX64;
    case PROCESSOR_ARCHITECTURE_IA64: return Architecture::kIA64;
    case PROCESSOR_ARCHITECTURE_ARM: return Architecture::kArm;
    case 12: return Architecture::kArm64;  // PROCESSOR_ARCHITECTURE_ARM64, newer SDKs only
    default: return Architecture::kUnknown;
  }
}

bool IsWow64() {
  BOOL wow64 = FALSE;
  return IsWow64Process(GetCurrentProcess(), &wow64) && wow64;
}

std::wstring SystemWindowsDirectory() {
  wchar_t buffer[MAX_PATH];
  // GetSystemWindowsDirectoryW, not GetWindowsDirectoryW: under Terminal
  // Services the latter is a per-user folder.
  const UINT n = GetSystemWindowsDirectoryW(buffer, MAX_PATH);
  if (n == 0 || n >= MAX_PATH) return L"C:\\Windows";
  return std::wstring(buffer, n);
}

// Reads the file version of ntoskrnl.exe into os->kernel_*.
void ReadKernelVersion(OsIdentity* os) {
  const std::wstring windows = SystemWindowsDirectory();
  // A 32-bit process on x64 would be redirected to SysWOW64 (which has no
  // kernel of its own to speak of); Sysnative is the documented alias for the
  // real System32, available to 32-bit processes from Vista on.
  const bool wow64 = IsWow64();
  const std::wstring path = windows + (wow64 ? L"\\Sysnative\\ntoskrnl.exe" : L"\\System32\\ntoskrnl.exe");
  os->kernel_path = Utf8FromWide(windows + L"\\System32\\ntoskrnl.exe") +
                    (wow64 ? " (read through Sysnative)" : "");
  // version.dll is not a KnownDLL: not imported, loaded from System32 (system_library.h).
  auto get_size = SystemFunctionAs<decltype(&GetFileVersionInfoSizeW)>(L"version.dll", "GetFileVersionInfoSizeW");
  auto get_info = SystemFunctionAs<decltype(&GetFileVersionInfoW)>(L"version.dll", "GetFileVersionInfoW");
  auto query_value = SystemFunctionAs<decltype(&VerQueryValueW)>(L"version.dll", "VerQueryValueW");
  if (!get_size || !get_info || !query_value) {
    os->kernel_error = Win32Failure("System32\\version.dll", "LoadLibraryExW", GetLastError()).message();
    return;
  }
  DWORD ignored = 0;
  const DWORD size = get_size(path.c_str(), &ignored);
  if (size == 0) {
    os->kernel_error = Win32Failure("ntoskrnl.exe", "GetFileVersionInfoSizeW", GetLastError()).message();
    return;
  }
  std::unique_ptr<BYTE[]> data(new BYTE[size]);
  if (!get_info(path.c_str(), 0, size, data.get())) {
    os->kernel_error = Win32Failure("ntoskrnl.exe", "GetFileVersionInfoW", GetLastError()).message();
    return;
  }
  VS_FIXEDFILEINFO* fixed = nullptr;
  UINT fixed_size = 0;
  if (!query_value(data.get(), L"\\", reinterpret_cast<void**>(&fixed), &fixed_size) || !fixed ||
      fixed_size < sizeof(VS_FIXEDFILEINFO) || fixed->dwSignature != 0xFEEF04BD) {
    os->kernel_error = "ntoskrnl.exe has no VS_FIXEDFILEINFO version resource";
    return;
  }
  os->kernel_file_version =
      FileVersion{HIWORD(fixed->dwFileVersionMS), LOWORD(fixed->dwFileVersionMS),
                  HIWORD(fixed->dwFileVersionLS), LOWORD(fixed->dwFileVersionLS)};
}

void ReadNames(OsIdentity* os) {
  wchar_t name[256];
  DWORD length = 256;
  if (GetComputerNameExW(ComputerNameDnsHostname, name, &length)) {
    os->host_name = Utf8FromWide(std::wstring(name, length));
  } else {
    length = 256;
    if (GetComputerNameW(name, &length)) os->host_name = Utf8FromWide(std::wstring(name, length));
  }
  // netapi32.dll is not a KnownDLL: not imported, loaded from System32 (system_library.h).
  auto get_join = SystemFunctionAs<decltype(&NetGetJoinInformation)>(L"netapi32.dll", "NetGetJoinInformation");
  auto buffer_free = SystemFunctionAs<decltype(&NetApiBufferFree)>(L"netapi32.dll", "NetApiBufferFree");
  LPWSTR join_name = nullptr;
  NETSETUP_JOIN_STATUS join_status = NetSetupUnknownStatus;
  if (get_join && buffer_free && get_join(nullptr, &join_name, &join_status) == NERR_Success) {
    if (join_name) os->domain_or_workgroup = Utf8FromWide(join_name);
    os->domain_joined = join_status == NetSetupDomainName;
    if (join_name) buffer_free(join_name);
  }
}

class Win32Host : public Host {
 public:
  Result<OsIdentity> ReadOsIdentity() override {
    OsIdentity os;
    Result<KernelVersionInfo> rtl = ReadRtlVersion();
    if (!rtl.ok()) return rtl.status();
    os.rtl = *rtl;
    Result<RegistryVersionInfo> reg = ReadRegistryVersion();
    if (!reg.ok()) return reg.status();
    os.registry = *reg;
    ReadKernelVersion(&os);
    SYSTEM_INFO info = {};
    GetNativeSystemInfo(&info);
    os.native_architecture = ToArchitecture(info.wProcessorArchitecture);
    GetSystemInfo(&info);
    os.process_architecture = ToArchitecture(info.wProcessorArchitecture);
    ReadNames(&os);
    return os;
  }

  Result<std::vector<CbsPackage>> ListCbsPackages() override {
    Result<RegistryKey> key = RegistryKey::OpenForRead(HKEY_LOCAL_MACHINE, kCbsPackagesKey);
    if (!key.ok()) {
      // A host that never ran CBS (or a stripped image) has no Packages key.
      if (key.status().code() == Status::Code::kNotFound) return std::vector<CbsPackage>{};
      return key.status();
    }
    Result<std::vector<std::string>> names = key->SubkeyNames();
    if (!names.ok()) return names.status();
    std::vector<CbsPackage> packages;
    for (const std::string& name : *names) {
      Result<RegistryKey> package = RegistryKey::OpenForRead(key->get(), name);
      if (!package.ok()) return package.status();
      CbsPackage p;
      p.name = name;
      p.kb = KbFromPackageName(name);
      p.current_state = package->ReadDword("CurrentState").value_or(0);
      packages.push_back(std::move(p));
    }
    return packages;
  }

  Result<std::optional<ServiceConfig>> ReadService(const std::string& name) override {
    return ScmReadService(name);
  }
  Result<std::vector<ServiceConfig>> ListServices() override { return ScmListServices(); }
  Result<std::vector<std::string>> RunningDependents(const std::string& name) override {
    return ScmRunningDependents(name);
  }
  Status SetServiceStart(const std::string& name, ServiceStartType start,
                         std::optional<bool> delayed) override {
    return ScmSetStart(name, start, delayed);
  }
  Status StopServiceAndWait(const std::string& name, std::chrono::milliseconds timeout) override {
    return ScmStop(name, timeout);
  }
  Status StartServiceAndWait(const std::string& name, std::chrono::milliseconds timeout) override {
    return ScmStart(name, timeout);
  }
  Result<FirewallSnapshot> ReadFirewall() override { return ComReadFirewall(); }
  Status SetFirewallProfile(const FirewallProfileState& state) override { return ComSetFirewallProfile(state); }
  Status AddFirewallRule(const FirewallRule& rule) override { return ComAddFirewallRule(rule); }
  Status RemoveFirewallRule(const FirewallRule& rule) override { return ComRemoveFirewallRule(rule); }
  Status SetFirewallRuleEnabled(const FirewallRule& rule, bool enabled) override {
    return ComSetFirewallRuleEnabled(rule, enabled);
  }
  Result<SessionInfo> ReadSession() override { return ReadWindowsSession(); }
};

}  // namespace

std::unique_ptr<Host> OpenLocalHost() { return std::make_unique<Win32Host>(); }

}  // namespace otharden
