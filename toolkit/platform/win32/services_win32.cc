#include "toolkit/platform/win32/services_win32.h"

#include <memory>

#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {
namespace {

// One owner for SC_HANDLE (service and manager handles alike).
class ScHandle {
 public:
  explicit ScHandle(SC_HANDLE handle = nullptr) : handle_(handle) {}
  ~ScHandle() {
    if (handle_) CloseServiceHandle(handle_);
  }
  ScHandle(ScHandle&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  ScHandle(const ScHandle&) = delete;
  ScHandle& operator=(const ScHandle&) = delete;
  ScHandle& operator=(ScHandle&&) = delete;
  SC_HANDLE get() const { return handle_; }

 private:
  SC_HANDLE handle_;
};

std::string What(const std::string& name) { return "service '" + name + "'"; }

Result<ScHandle> OpenManager() {
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!manager.get()) return Win32Failure("the Service Control Manager", "OpenSCManagerW", GetLastError());
  return manager;
}

// Opens the service with `access`. A missing service is kNotFound.
Result<ScHandle> OpenNamed(const ScHandle& manager, const std::string& name, DWORD access) {
  ScHandle service(OpenServiceW(manager.get(), WideFromUtf8(name).c_str(), access));
  if (!service.get()) {
    const DWORD error = GetLastError();
    if (error == ERROR_SERVICE_DOES_NOT_EXIST) {
      return Status::NotFound(What(name) + " is not installed on this host");
    }
    return Win32Failure(What(name), "OpenServiceW", error);
  }
  return service;
}

Result<SERVICE_STATUS_PROCESS> QueryStatus(const ScHandle& service, const std::string& name) {
  SERVICE_STATUS_PROCESS status = {};
  DWORD needed = 0;
  if (!QueryServiceStatusEx(service.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status),
                            sizeof status, &needed)) {
    return Win32Failure(What(name), "QueryServiceStatusEx", GetLastError());
  }
  return status;
}

bool IsRunningState(DWORD state) {
  return state == SERVICE_RUNNING || state == SERVICE_START_PENDING ||
         state == SERVICE_CONTINUE_PENDING || state == SERVICE_PAUSE_PENDING || state == SERVICE_PAUSED;
}

ServiceStartType FromStartType(DWORD start) {
  switch (start) {
    case SERVICE_BOOT_START: return ServiceStartType::kBoot;
    case SERVICE_SYSTEM_START: return ServiceStartType::kSystem;
    case SERVICE_AUTO_START: return ServiceStartType::kAuto;
    case SERVICE_DISABLED: return ServiceStartType::kDisabled;
    default: return ServiceStartType::kDemand;
  }
}

DWORD ToStartType(ServiceStartType start) {
  switch (start) {
    case ServiceStartType::kBoot: return SERVICE_BOOT_START;
    case ServiceStartType::kSystem: return SERVICE_SYSTEM_START;
    case ServiceStartType::kAuto: return SERVICE_AUTO_START;
    case ServiceStartType::kDemand: return SERVICE_DEMAND_START;
    case ServiceStartType::kDisabled: return SERVICE_DISABLED;
  }
  return SERVICE_DEMAND_START;
}

// Polls until the service reaches `wanted`, fails (falls back to STOPPED when
// starting), or `timeout` passes. The pause follows dwWaitHint as Microsoft's
// service samples do: a tenth of the hint, between 100 ms and 1 s.
Status WaitFor(const ScHandle& service, const std::string& name, DWORD wanted,
               std::chrono::milliseconds timeout) {
  const ULONGLONG deadline = GetTickCount64() + static_cast<ULONGLONG>(timeout.count());
  for (;;) {
    Result<SERVICE_STATUS_PROCESS> status = QueryStatus(service, name);
    if (!status.ok()) return status.status();
    if (status->dwCurrentState == wanted) return Status::Ok();
    if (wanted == SERVICE_RUNNING && status->dwCurrentState == SERVICE_STOPPED) {
      return Status::IoError(What(name) + " stopped again while starting (exit code " +
                             std::to_string(status->dwWin32ExitCode) + ")");
    }
    if (GetTickCount64() >= deadline) {
      return Status::IoError(What(name) + " did not become " +
                             (wanted == SERVICE_RUNNING ? "running" : "stopped") + " within " +
                             std::to_string(timeout.count() / 1000) + " s (state " +
                             std::to_string(status->dwCurrentState) + ")");
    }
    const DWORD pause = status->dwWaitHint / 10;
    Sleep(pause < 100 ? 100 : pause > 1000 ? 1000 : pause);
  }
}

// A service that was deleted while we hold its handle: the SCM answers with
// ERROR_SERVICE_MARKED_FOR_DELETE (1072) or ERROR_SERVICE_DOES_NOT_EXIST (1060).
bool Vanished(DWORD error) {
  return error == ERROR_SERVICE_MARKED_FOR_DELETE || error == ERROR_SERVICE_DOES_NOT_EXIST;
}

// Configuration and state of an open service (SERVICE_QUERY_CONFIG |
// SERVICE_QUERY_STATUS). kNotFound when it vanished meanwhile.
Result<ServiceConfig> ReadOpenService(const ScHandle& service, const std::string& name) {
  DWORD needed = 0;
  QueryServiceConfigW(service.get(), nullptr, 0, &needed);
  DWORD error = GetLastError();
  if (error != ERROR_INSUFFICIENT_BUFFER || needed == 0) {
    if (Vanished(error)) return Status::NotFound(What(name) + " was removed while being read");
    return Win32Failure(What(name), "QueryServiceConfigW", error);
  }
  std::unique_ptr<BYTE[]> buffer(new BYTE[needed]);
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.get());
  if (!QueryServiceConfigW(service.get(), config, needed, &needed)) {
    error = GetLastError();
    if (Vanished(error)) return Status::NotFound(What(name) + " was removed while being read");
    return Win32Failure(What(name), "QueryServiceConfigW", error);
  }
  ServiceConfig result;
  result.name = name;
  result.display_name = config->lpDisplayName ? Utf8FromWide(config->lpDisplayName) : name;
  result.start = FromStartType(config->dwStartType);

  SERVICE_DELAYED_AUTO_START_INFO delayed = {};
  if (QueryServiceConfig2W(service.get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
                           reinterpret_cast<BYTE*>(&delayed), sizeof delayed, &needed)) {
    result.delayed_auto_start = delayed.fDelayedAutostart != FALSE;
  } else if ((error = GetLastError()) != ERROR_INVALID_LEVEL) {
    // ERROR_INVALID_LEVEL: this SCM has no delayed auto-start (seen on Wine,
    // FACTS.md); leave it unknown. Anything else is a real failure.
    if (Vanished(error)) return Status::NotFound(What(name) + " was removed while being read");
    return Win32Failure(What(name), "QueryServiceConfig2W", error);
  }

  Result<SERVICE_STATUS_PROCESS> status = QueryStatus(service, name);
  if (!status.ok()) return status.status();
  result.running = IsRunningState(status->dwCurrentState);
  result.accepts_stop = (status->dwControlsAccepted & SERVICE_ACCEPT_STOP) != 0 || !result.running;
  return result;
}

}  // namespace

Result<std::optional<ServiceConfig>> ScmReadService(const std::string& name) {
  Result<ScHandle> manager = OpenManager();
  if (!manager.ok()) return manager.status();
  Result<ScHandle> service = OpenNamed(*manager, name, SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS);
  if (!service.ok()) {
    if (service.status().code() == Status::Code::kNotFound) return std::optional<ServiceConfig>();
    return service.status();
  }
  Result<ServiceConfig> config = ReadOpenService(*service, name);
  if (!config.ok()) return config.status();
  return std::optional<ServiceConfig>(std::move(*config));
}

Result<std::vector<ServiceConfig>> ScmListServices() {
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE));
  if (!manager.get()) return Win32Failure("the Service Control Manager", "OpenSCManagerW", GetLastError());

  // The names first, in as many rounds as the SCM needs (ERROR_MORE_DATA with
  // a resume handle), then each service's full configuration.
  std::vector<std::string> names;
  DWORD resume = 0;
  for (;;) {
    DWORD needed = 0, count = 0;
    // Asking with no buffer tells the size; success means nothing (more) to list.
    if (EnumServicesStatusExW(manager.get(), SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, nullptr,
                              0, &needed, &count, &resume, nullptr)) {
      break;
    }
    DWORD error = GetLastError();
    if (error != ERROR_MORE_DATA || needed == 0) {
      return Win32Failure("the Service Control Manager", "EnumServicesStatusExW", error);
    }
    std::unique_ptr<BYTE[]> buffer(new BYTE[needed]);
    const BOOL done = EnumServicesStatusExW(manager.get(), SC_ENUM_PROCESS_INFO, SERVICE_WIN32,
                                            SERVICE_STATE_ALL, buffer.get(), needed, &needed, &count,
                                            &resume, nullptr);
    error = done ? ERROR_SUCCESS : GetLastError();
    if (!done && error != ERROR_MORE_DATA) {
      return Win32Failure("the Service Control Manager", "EnumServicesStatusExW", error);
    }
    auto* entries = reinterpret_cast<ENUM_SERVICE_STATUS_PROCESSW*>(buffer.get());
    for (DWORD i = 0; i < count; ++i) names.push_back(Utf8FromWide(entries[i].lpServiceName));
    if (done) break;
  }

  std::vector<ServiceConfig> services;
  services.reserve(names.size());
  for (const std::string& name : names) {
    Result<ScHandle> service = OpenNamed(manager, name, SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS);
    if (!service.ok()) {
      if (service.status().code() == Status::Code::kNotFound) continue;  // deleted since the listing
      return service.status();
    }
    Result<ServiceConfig> config = ReadOpenService(*service, name);
    if (!config.ok()) {
      if (config.status().code() == Status::Code::kNotFound) continue;
      return config.status();
    }
    services.push_back(std::move(*config));
  }
  return services;
}

Result<std::vector<std::string>> ScmRunningDependents(const std::string& name) {
  Result<ScHandle> manager = OpenManager();
  if (!manager.ok()) return manager.status();
  Result<ScHandle> service = OpenNamed(*manager, name, SERVICE_ENUMERATE_DEPENDENTS);
  if (!service.ok()) return service.status();
  DWORD needed = 0, count = 0;
  std::vector<std::string> names;
  if (EnumDependentServicesW(service->get(), SERVICE_ACTIVE, nullptr, 0, &needed, &count)) return names;
  if (GetLastError() != ERROR_MORE_DATA) {
    return Win32Failure(What(name), "EnumDependentServicesW", GetLastError());
  }
  std::unique_ptr<BYTE[]> buffer(new BYTE[needed]);
  auto* entries = reinterpret_cast<ENUM_SERVICE_STATUSW*>(buffer.get());
  if (!EnumDependentServicesW(service->get(), SERVICE_ACTIVE, entries, needed, &needed, &count)) {
    return Win32Failure(What(name), "EnumDependentServicesW", GetLastError());
  }
  for (DWORD i = 0; i < count; ++i) names.push_back(Utf8FromWide(entries[i].lpServiceName));
  return names;
}

Status ScmSetStart(const std::string& name, ServiceStartType start, std::optional<bool> delayed) {
  Result<ScHandle> manager = OpenManager();
  if (!manager.ok()) return manager.status();
  Result<ScHandle> service = OpenNamed(*manager, name, SERVICE_CHANGE_CONFIG);
  if (!service.ok()) return service.status();
  if (!ChangeServiceConfigW(service->get(), SERVICE_NO_CHANGE, ToStartType(start), SERVICE_NO_CHANGE,
                            nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr)) {
    return Win32Failure(What(name), "ChangeServiceConfigW", GetLastError());
  }
  if (delayed) {
    SERVICE_DELAYED_AUTO_START_INFO info = {};
    info.fDelayedAutostart = *delayed ? TRUE : FALSE;
    if (!ChangeServiceConfig2W(service->get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &info)) {
      return Win32Failure(What(name) + " delayed auto-start", "ChangeServiceConfig2W", GetLastError());
    }
  }
  return Status::Ok();
}

Status ScmStop(const std::string& name, std::chrono::milliseconds timeout) {
  Result<ScHandle> manager = OpenManager();
  if (!manager.ok()) return manager.status();
  Result<ScHandle> service = OpenNamed(*manager, name, SERVICE_STOP | SERVICE_QUERY_STATUS);
  if (!service.ok()) return service.status();
  Result<SERVICE_STATUS_PROCESS> status = QueryStatus(*service, name);
  if (!status.ok()) return status.status();
  if (status->dwCurrentState == SERVICE_STOPPED) return Status::Ok();
  // The SCM refuses STOP while a service is START_PENDING (ControlService:
  // ERROR_SERVICE_CANNOT_ACCEPT_CTRL, 1061, "the state of the service is ...
  // SERVICE_START_PENDING"). A service still starting, e.g. one a killed
  // apply had just started, is awaited first, within the same timeout.
  if (status->dwCurrentState == SERVICE_START_PENDING) {
    Status started = WaitFor(*service, name, SERVICE_RUNNING, timeout);
    if (!started.ok()) {
      status = QueryStatus(*service, name);
      if (status.ok() && status->dwCurrentState == SERVICE_STOPPED) return Status::Ok();
      return started;
    }
  }
  if (status->dwCurrentState != SERVICE_STOP_PENDING) {
    SERVICE_STATUS ignored = {};
    if (!ControlService(service->get(), SERVICE_CONTROL_STOP, &ignored)) {
      const DWORD error = GetLastError();
      if (error != ERROR_SERVICE_NOT_ACTIVE) return Win32Failure(What(name), "ControlService(STOP)", error);
    }
  }
  return WaitFor(*service, name, SERVICE_STOPPED, timeout);
}

Status ScmStart(const std::string& name, std::chrono::milliseconds timeout) {
  Result<ScHandle> manager = OpenManager();
  if (!manager.ok()) return manager.status();
  Result<ScHandle> service = OpenNamed(*manager, name, SERVICE_START | SERVICE_QUERY_STATUS);
  if (!service.ok()) return service.status();
  // A service still STOP_PENDING (e.g. one with a slow shutdown that a killed
  // apply had asked to stop) cannot be started until it has stopped: StartService
  // answers ERROR_SERVICE_ALREADY_RUNNING (1056) while its process is there, and
  // waiting for RUNNING would then see it stop. Await STOPPED first, within the
  // same timeout.
  Result<SERVICE_STATUS_PROCESS> status = QueryStatus(*service, name);
  if (!status.ok()) return status.status();
  if (status->dwCurrentState == SERVICE_STOP_PENDING) {
    Status stopped = WaitFor(*service, name, SERVICE_STOPPED, timeout);
    if (!stopped.ok()) return stopped;
  }
  if (!StartServiceW(service->get(), 0, nullptr)) {
    const DWORD error = GetLastError();
    if (error != ERROR_SERVICE_ALREADY_RUNNING) return Win32Failure(What(name), "StartServiceW", error);
  }
  return WaitFor(*service, name, SERVICE_RUNNING, timeout);
}

}  // namespace otharden
