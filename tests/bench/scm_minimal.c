/* Benchmark baseline (not a test, not shipped): the same SCM calls otharden's
 * apply and rollback make for a service lockdown, with no planning, journal,
 * verification or output. Usage:
 *   scm_minimal.exe NAME=START[:stop|:start] ...
 * START is auto, demand or disabled. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static DWORD StartType(const char* s) {
  if (!strcmp(s, "auto")) return SERVICE_AUTO_START;
  if (!strcmp(s, "disabled")) return SERVICE_DISABLED;
  return SERVICE_DEMAND_START;
}

static int WaitState(SC_HANDLE svc, DWORD wanted) {
  SERVICE_STATUS_PROCESS st;
  DWORD needed;
  for (int i = 0; i < 300; ++i) {
    if (!QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE*)&st, sizeof st, &needed)) return 1;
    if (st.dwCurrentState == wanted) return 0;
    Sleep(100);
  }
  return 1;
}

int main(int argc, char** argv) {
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  if (!scm) return 2;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    char name[256], start[32] = "", action[32] = "";
    if (sscanf(argv[i], "%255[^=]=%31[^:]:%31s", name, start, action) < 2) return 2;
    wchar_t wname[256];
    MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 256);
    SC_HANDLE svc = OpenServiceW(scm, wname, SERVICE_CHANGE_CONFIG | SERVICE_STOP | SERVICE_START |
                                                 SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
    if (!svc) { ++failures; continue; }
    if (!ChangeServiceConfigW(svc, SERVICE_NO_CHANGE, StartType(start), SERVICE_NO_CHANGE, NULL, NULL, NULL,
                              NULL, NULL, NULL, NULL)) ++failures;
    SERVICE_STATUS status;
    if (!strcmp(action, "stop") && (!ControlService(svc, SERVICE_CONTROL_STOP, &status) ||
                                    WaitState(svc, SERVICE_STOPPED))) ++failures;
    if (!strcmp(action, "start") && (!StartServiceW(svc, 0, NULL) || WaitState(svc, SERVICE_RUNNING))) ++failures;
    CloseServiceHandle(svc);
  }
  CloseServiceHandle(scm);
  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
