// Tests of the win32 backend. They are cross-built and run under Wine (the
// CTest emulator): Wine stands in for Windows here, and these tests check our
// use of the APIs, not Windows itself.
#include <catch2/catch.hpp>

#include "toolkit/platform/host.h"
#include "toolkit/platform/process.h"
#include "toolkit/platform/win32/registry.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {
namespace {

// A scratch key under HKCU, deleted on destruction.
struct ScratchKey {
  std::wstring path = L"Software\\otharden-test-" + std::to_wstring(GetCurrentProcessId());
  HKEY key = nullptr;
  ScratchKey() {
    REQUIRE(RegCreateKeyExW(HKEY_CURRENT_USER, path.c_str(), 0, nullptr, 0, KEY_ALL_ACCESS, nullptr,
                            &key, nullptr) == ERROR_SUCCESS);
  }
  ~ScratchKey() {
    RegCloseKey(key);
    RegDeleteKeyW(HKEY_CURRENT_USER, path.c_str());
  }
  void SetRaw(const wchar_t* name, DWORD type, const void* data, DWORD bytes) {
    REQUIRE(RegSetValueExW(key, name, 0, type, static_cast<const BYTE*>(data), bytes) == ERROR_SUCCESS);
  }
};

}  // namespace

TEST_CASE("UTF-8 and UTF-16 round-trip, including characters outside the BMP") {
  const std::string text = "Gr\xC3\xBC\xC3\x9F" "e \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x94\x92";
  CHECK(Utf8FromWide(WideFromUtf8(text)) == text);
  CHECK(WideFromUtf8("\xC3\xBC") == std::wstring(L"\u00FC"));
  CHECK(Utf8FromWide(L"") == "");
}

TEST_CASE("registry strings are bounded even without a terminating NUL") {
  ScratchKey scratch;
  const wchar_t unterminated[] = {L'6', L'0', L'0', L'3'};
  scratch.SetRaw(L"NoNul", REG_SZ, unterminated, sizeof unterminated);
  const wchar_t terminated[] = L"Service Pack 2";
  scratch.SetRaw(L"WithNul", REG_SZ, terminated, sizeof terminated);
  const DWORD state = 0x70;
  scratch.SetRaw(L"State", REG_DWORD, &state, sizeof state);

  Result<RegistryKey> key = RegistryKey::OpenForRead(HKEY_CURRENT_USER, Utf8FromWide(scratch.path));
  REQUIRE(key.ok());
  CHECK(key->ReadString("NoNul") == std::optional<std::string>("6003"));
  CHECK(key->ReadString("WithNul") == std::optional<std::string>("Service Pack 2"));
  CHECK(key->ReadString("Missing") == std::nullopt);
  CHECK(key->ReadString("State") == std::nullopt);  // wrong type is not a string
  CHECK(key->ReadDword("State") == std::optional<uint32_t>(0x70));
  CHECK(key->ReadDword("WithNul") == std::nullopt);
}

TEST_CASE("subkeys are listed, and a missing key is NotFound naming the key") {
  ScratchKey scratch;
  HKEY child = nullptr;
  REQUIRE(RegCreateKeyExW(scratch.key, L"Package_for_KB4493471~31bf3856ad364e35~amd64~~6.0.1.2", 0,
                          nullptr, 0, KEY_ALL_ACCESS, nullptr, &child, nullptr) == ERROR_SUCCESS);
  RegCloseKey(child);
  Result<RegistryKey> key = RegistryKey::OpenForRead(HKEY_CURRENT_USER, Utf8FromWide(scratch.path));
  REQUIRE(key.ok());
  Result<std::vector<std::string>> names = key->SubkeyNames();
  REQUIRE(names.ok());
  REQUIRE(names->size() == 1);
  CHECK((*names)[0] == "Package_for_KB4493471~31bf3856ad364e35~amd64~~6.0.1.2");
  RegDeleteKeyW(scratch.key, L"Package_for_KB4493471~31bf3856ad364e35~amd64~~6.0.1.2");

  Result<RegistryKey> missing = RegistryKey::OpenForRead(HKEY_CURRENT_USER, "Software\\no-such-key-otharden");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message().find("registry key 'Software\\no-such-key-otharden': RegOpenKeyExW failed") == 0);
}

TEST_CASE("Win32 errors map to statuses with the API name and code") {
  Status denied = Win32Failure("service 'RemoteRegistry'", "ChangeServiceConfigW", ERROR_ACCESS_DENIED);
  CHECK(denied.code() == Status::Code::kAccessDenied);
  CHECK(denied.message().find("service 'RemoteRegistry': ChangeServiceConfigW failed: ") == 0);
  CHECK(denied.message().find("(5)") != std::string::npos);
  CHECK(Win32Failure("x", "ChangeServiceConfig2W", ERROR_INVALID_LEVEL).code() ==
        Status::Code::kNotSupported);
}

TEST_CASE("the live host reads an NT version and an executable path") {
  std::unique_ptr<Host> host = OpenLocalHost();
  Result<OsIdentity> os = host->ReadOsIdentity();
  REQUIRE(os.ok());
  CHECK(os->rtl.major >= 5);
  CHECK(os->native_architecture != Architecture::kUnknown);
  CHECK_FALSE(os->host_name.empty());
  Result<std::string> exe = ExecutablePath();
  REQUIRE(exe.ok());
  CHECK(exe->find("win32_tests.exe") != std::string::npos);
}

TEST_CASE("the live host lists every service, each as ReadService reads it") {
  // Wine's own SCM (RpcSs, PlugPlay, Spooler, ... are Win32 services there too).
  std::unique_ptr<Host> host = OpenLocalHost();
  Result<std::vector<ServiceConfig>> services = host->ListServices();
  REQUIRE(services.ok());
  REQUIRE(services->size() >= 3);
  bool rpcss = false;
  for (size_t i = 0; i < services->size(); ++i) {
    const ServiceConfig& listed = (*services)[i];
    INFO("service " << listed.name);
    for (size_t j = 0; j < i; ++j) CHECK_FALSE(SameServiceName((*services)[j].name, listed.name));
    rpcss = rpcss || SameServiceName(listed.name, "RpcSs");
    Result<std::optional<ServiceConfig>> read = host->ReadService(listed.name);
    REQUIRE(read.ok());
    REQUIRE(read->has_value());
    CHECK((*read)->display_name == listed.display_name);
    CHECK((*read)->start == listed.start);
    CHECK((*read)->delayed_auto_start == listed.delayed_auto_start);
  }
  CHECK(rpcss);
}

}  // namespace otharden
