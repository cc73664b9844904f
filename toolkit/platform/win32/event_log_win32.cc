#include "toolkit/platform/event_log.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {

Status WriteApplicationEvent(EventKind kind, unsigned event_id, const std::string& text) {
  HANDLE source = RegisterEventSourceW(nullptr, L"otharden");
  if (!source) return Win32Failure("event log source otharden", "RegisterEventSourceW", GetLastError());
  WORD type = EVENTLOG_SUCCESS;
  if (kind == EventKind::kWarning) type = EVENTLOG_WARNING_TYPE;
  if (kind == EventKind::kError) type = EVENTLOG_ERROR_TYPE;
  const std::wstring wide = WideFromUtf8(text);
  LPCWSTR strings[] = {wide.c_str()};
  const BOOL written = ReportEventW(source, type, 0, event_id, nullptr, 1, 0, strings, nullptr);
  const DWORD error = GetLastError();
  DeregisterEventSource(source);
  if (!written) return Win32Failure("event log source otharden", "ReportEventW", error);
  return Status::Ok();
}

}  // namespace otharden
