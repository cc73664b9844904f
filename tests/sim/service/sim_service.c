/*
 * sim_service.c - SIMULATED Windows service of the otharden 2008 host SIMULATOR
 * (tests/sim). It is test tooling, not product code and not a real Windows service of
 * any kind: every "service" that a simulated host describes (RemoteRegistry, SNMP,
 * PacsStore, ...) is this one executable, registered in Wine's service control manager
 * under that name by make-host.sh (tools: sim_scm.c), and told how to behave by the
 * arguments in its binPath:
 *
 *   C:\otharden-sim\sim_service.exe [--refuse-stop] [--slow-stop SECONDS]
 *                                   [--slow-start SECONDS] [--fail-start]
 *
 *   (default)           SERVICE_WIN32_OWN_PROCESS; START_PENDING -> RUNNING; accepts
 *                       STOP and SHUTDOWN; on STOP: STOP_PENDING -> STOPPED, then exits.
 *   --refuse-stop       dwControlsAccepted has no SERVICE_ACCEPT_STOP (nor SHUTDOWN):
 *                       ControlService(SERVICE_CONTROL_STOP) is refused by the SCM.
 *                       The process only ends when the session (wineserver) ends.
 *   --slow-stop N       on STOP: stays STOP_PENDING for N seconds (checkpoint increases
 *                       every second, wait hint 1 s) before STOPPED.
 *   --slow-start N      stays START_PENDING for N seconds before RUNNING.
 *   hold files          while C:\otharden-sim\hold\<NAME>.stop exists, a stopping service
 *                       stays STOP_PENDING (after any --slow-stop); while <NAME>.start exists,
 *                       a starting one stays START_PENDING. A test creates the file before
 *                       the control and deletes it to let the transition finish, so a test
 *                       asking for a pending state gets it on any machine, fast or slow.
 *   --fail-start        reports STOPPED with ERROR_SERVICE_SPECIFIC_ERROR (exit code 1066,
 *                       service-specific 42) instead of RUNNING: StartService "works" but
 *                       the service does not come up.
 *
 * Dependencies (the service's own DependOnService registry value) - Wine's SCM (8.0) does
 * not handle them, so the simulated service does what the Windows SCM would have done:
 *   - start: each dependency that is not running is started (StartServiceW, retried while
 *     the SCM database is locked by Wine's autostart) and awaited before this service
 *     reports RUNNING. A dependency that cannot be started (disabled, missing, failing)
 *     makes this service report STOPPED with ERROR_SERVICE_DEPENDENCY_FAIL (1068); on
 *     Windows StartService itself would fail with that error and nothing would start.
 *   - stop: Windows refuses ControlService(STOP) with ERROR_DEPENDENT_SERVICES_RUNNING
 *     (1051) while a dependent service is active. Wine's SCM sends the stop without that
 *     check, and a handler cannot refuse in its place (Wine does not pass the handler's
 *     return value to the caller), so the service stops anyway and appends a line
 *     to C:\otharden-sim\logs\violations.log:
 *       "<time> service=A stop-with-active-dependent=B windows-error=1051"
 *     Tests assert that this file stays empty (tests/sim/service-state.sh --violations).
 *
 * Every event is appended (one line, UTF-8) to C:\otharden-sim\logs\<service name>.log,
 * e.g. "12:00:01.234 pid=52 start name=X cmdline=..." / "... control=1 (stop)" /
 * "... stopped". Tests may read it to see which controls the SCM delivered.
 *
 * Run by hand (not by the SCM) it prints a note and exits 1 (StartServiceCtrlDispatcher
 * fails with ERROR_FAILED_SERVICE_CONTROLLER_CONNECT on Windows).
 *
 * Build (tests/sim/lib.sh sim_build_service_tools; static, imports only KERNEL32, ADVAPI32
 * and msvcrt):
 *   x86_64-w64-mingw32-gcc -O1 -municode -D_WIN32_WINNT=0x0600 -o sim_service.exe sim_service.c
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* dwWaitHint of every pending report: 1 s. A caller polls at a tenth of the hint
 * (Microsoft's service samples; otharden: at least 100 ms), so a short hint keeps the
 * tests from sleeping on services that are long done. Real services give 1-30 s. */
#define SIM_WAIT_HINT_MS 1000

static WCHAR g_name[256] = L"sim_service";
static SERVICE_STATUS_HANDLE g_handle;
static SERVICE_STATUS g_status;
static CRITICAL_SECTION g_lock;
static HANDLE g_stop_event;

static int g_refuse_stop;
static int g_fail_start;
static DWORD g_slow_stop;
static DWORD g_slow_start;
static WCHAR g_cmdline[1024];

static void append_line(const WCHAR *file, const char *fmt, va_list ap)
{
    WCHAR path[MAX_PATH + 300];
    char msg[1024];
    char line[1400];
    SYSTEMTIME st;
    HANDLE f;
    DWORD written;
    int n;

    _vsnprintf(msg, sizeof msg - 1, fmt, ap);
    msg[sizeof msg - 1] = 0;
    GetLocalTime(&st);
    n = _snprintf(line, sizeof line - 2, "%02u:%02u:%02u.%03u pid=%lu %s\n", st.wHour, st.wMinute,
                  st.wSecond, st.wMilliseconds, (unsigned long)GetCurrentProcessId(), msg);
    if (n < 0) n = (int)strlen(line);

    CreateDirectoryW(L"C:\\otharden-sim", NULL);
    CreateDirectoryW(L"C:\\otharden-sim\\logs", NULL);
    _snwprintf(path, sizeof path / sizeof path[0] - 1, L"C:\\otharden-sim\\logs\\%ls.log", file);
    path[sizeof path / sizeof path[0] - 1] = 0;
    f = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) return;
    WriteFile(f, line, (DWORD)n, &written, NULL);
    CloseHandle(f);
}

static void log_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append_line(g_name, fmt, ap);
    va_end(ap);
}

/* a behaviour Windows would not have allowed: see the header */
static void log_violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append_line(L"violations", fmt, ap);
    va_end(ap);
}

static void utf8(const WCHAR *w, char *out, int size)
{
    if (WideCharToMultiByte(CP_UTF8, 0, w, -1, out, size, NULL, NULL) <= 0) out[0] = 0;
}

static void report(DWORD state, DWORD exit_code, DWORD specific, DWORD wait_hint)
{
    EnterCriticalSection(&g_lock);
    g_status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    g_status.dwCurrentState = state;
    if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING || state == SERVICE_STOPPED)
        g_status.dwControlsAccepted = 0;
    else if (g_refuse_stop)
        g_status.dwControlsAccepted = 0;
    else
        g_status.dwControlsAccepted = SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN;
    g_status.dwWin32ExitCode = exit_code;
    g_status.dwServiceSpecificExitCode = specific;
    if (state == SERVICE_RUNNING || state == SERVICE_STOPPED)
        g_status.dwCheckPoint = 0;
    else
        g_status.dwCheckPoint++;
    g_status.dwWaitHint = wait_hint;
    if (g_handle && !SetServiceStatus(g_handle, &g_status))
        log_line("SetServiceStatus(state=%lu) failed: %lu", (unsigned long)state,
                 (unsigned long)GetLastError());
    LeaveCriticalSection(&g_lock);
}

/* ---- dependencies (what Wine's SCM does not do) ---------------------------------- */

/* REG_MULTI_SZ DependOnService of service `name`; caller frees. NULL when absent/empty. */
static WCHAR *read_depends(HKEY services, const WCHAR *name)
{
    HKEY key;
    DWORD type = 0, size = 0;
    WCHAR *buf;
    if (RegOpenKeyExW(services, name, 0, KEY_QUERY_VALUE, &key)) return NULL;
    if (RegQueryValueExW(key, L"DependOnService", NULL, &type, NULL, &size) || type != REG_MULTI_SZ ||
        size < sizeof(WCHAR)) {
        RegCloseKey(key);
        return NULL;
    }
    buf = (WCHAR *)calloc(1, size + 2 * sizeof(WCHAR));
    if (RegQueryValueExW(key, L"DependOnService", NULL, &type, (BYTE *)buf, &size)) {
        free(buf);
        buf = NULL;
    }
    RegCloseKey(key);
    if (buf && !buf[0]) { free(buf); buf = NULL; }
    return buf;
}

static HKEY open_services_key(void)
{
    HKEY key = NULL;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Services", 0,
                  KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS, &key);
    return key;
}

static DWORD current_state(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS ssp;
    DWORD need = 0;
    if (!QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&ssp, sizeof ssp, &need)) return 0;
    return ssp.dwCurrentState;
}

/* Start every dependency that is not running. Returns NO_ERROR or the error to report. */
static DWORD start_dependencies(void)
{
    HKEY services = open_services_key();
    WCHAR *deps, *d;
    SC_HANDLE scm;
    DWORD result = NO_ERROR;
    char d8[512];

    if (!services) return NO_ERROR;
    deps = read_depends(services, g_name);
    RegCloseKey(services);
    if (!deps) return NO_ERROR;
    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!scm) { free(deps); return ERROR_SERVICE_DEPENDENCY_FAIL; }

    for (d = deps; *d && result == NO_ERROR; d += wcslen(d) + 1) {
        SC_HANDLE svc;
        DWORD waited = 0, st, err = NO_ERROR;
        utf8(d, d8, sizeof d8);
        if (d[0] == L'+') { log_line("dependency on group %s ignored", d8); continue; }
        svc = OpenServiceW(scm, d, SERVICE_START | SERVICE_QUERY_STATUS);
        if (!svc) {
            log_line("dependency %s: OpenServiceW failed: %lu", d8, (unsigned long)GetLastError());
            result = ERROR_SERVICE_DEPENDENCY_FAIL;
            break;
        }
        st = current_state(svc);
        if (st == SERVICE_STOPPED || st == SERVICE_STOP_PENDING) {
            /* wait out a stop in progress, then start it */
            while (st == SERVICE_STOP_PENDING && waited < 30000) { Sleep(100); waited += 100; st = current_state(svc); }
            waited = 0;
            for (;;) {
                if (StartServiceW(svc, 0, NULL)) { err = NO_ERROR; break; }
                err = GetLastError();
                /* Wine's autostart holds the start lock while it starts every auto service */
                if (err != ERROR_SERVICE_DATABASE_LOCKED || waited >= 60000) break;
                Sleep(200);
                waited += 200;
            }
            if (err == ERROR_SERVICE_ALREADY_RUNNING) err = NO_ERROR;
            if (err == NO_ERROR)
                log_line("dependency %s was not running: started it (the Windows SCM starts dependencies)", d8);
        }
        if (err == NO_ERROR) {
            waited = 0;
            while ((st = current_state(svc)) != SERVICE_RUNNING && waited < 30000) {
                if (st == SERVICE_STOPPED && waited > 1000) break;
                Sleep(100);
                waited += 100;
            }
            if (st != SERVICE_RUNNING) err = ERROR_SERVICE_REQUEST_TIMEOUT;
        }
        if (err != NO_ERROR) {
            log_line("dependency %s could not be started (error %lu): failing with 1068", d8, (unsigned long)err);
            result = ERROR_SERVICE_DEPENDENCY_FAIL;
        }
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    free(deps);
    return result;
}

/* On stop: record any active service that depends on this one (Windows: error 1051). */
static void check_dependents(void)
{
    HKEY services = open_services_key();
    SC_HANDLE scm;
    WCHAR sub[256];
    DWORD i, len;
    char me8[512], d8[512];

    if (!services) return;
    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    utf8(g_name, me8, sizeof me8);
    for (i = 0;; ++i) {
        WCHAR *deps, *d;
        len = sizeof sub / sizeof sub[0];
        if (RegEnumKeyExW(services, i, sub, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS) break;
        deps = read_depends(services, sub);
        if (!deps) continue;
        for (d = deps; *d; d += wcslen(d) + 1) {
            if (_wcsicmp(d, g_name)) continue;
            if (scm) {
                SC_HANDLE svc = OpenServiceW(scm, sub, SERVICE_QUERY_STATUS);
                DWORD st = svc ? current_state(svc) : 0;
                if (svc) CloseServiceHandle(svc);
                if (st && st != SERVICE_STOPPED) {
                    utf8(sub, d8, sizeof d8);
                    log_line("stopping although dependent %s is active (Windows would refuse with 1051)", d8);
                    log_violation("service=%s stop-with-active-dependent=%s windows-error=1051", me8, d8);
                }
            }
            break;
        }
        free(deps);
    }
    if (scm) CloseServiceHandle(scm);
    RegCloseKey(services);
}

static const char *control_name(DWORD c)
{
    switch (c) {
    case SERVICE_CONTROL_STOP: return "stop";
    case SERVICE_CONTROL_PAUSE: return "pause";
    case SERVICE_CONTROL_CONTINUE: return "continue";
    case SERVICE_CONTROL_INTERROGATE: return "interrogate";
    case SERVICE_CONTROL_SHUTDOWN: return "shutdown";
    default: return "other";
    }
}

static DWORD WINAPI handler(DWORD control, DWORD type, void *data, void *ctx)
{
    (void)type; (void)data; (void)ctx;
    log_line("control=%lu (%s)", (unsigned long)control, control_name(control));
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        /* not reached on Windows nor Wine: the SCM refuses first (1052) */
        if (g_refuse_stop) return ERROR_CALL_NOT_IMPLEMENTED;
        if (g_status.dwCurrentState != SERVICE_RUNNING) {
            /* not reached for a pending service (it accepts no controls: Windows answers
             * 1061, Wine 8.0 1052), only for a stop that races with our own stop */
            log_line("stop while not running (state %lu) ignored", (unsigned long)g_status.dwCurrentState);
            return NO_ERROR;
        }
        if (control == SERVICE_CONTROL_STOP) check_dependents();
        report(SERVICE_STOP_PENDING, NO_ERROR, 0, SIM_WAIT_HINT_MS);
        SetEvent(g_stop_event);
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        report(g_status.dwCurrentState, g_status.dwWin32ExitCode, g_status.dwServiceSpecificExitCode,
               g_status.dwWaitHint);
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

/* Hold file C:\otharden-sim\hold\<NAME>.<what> (see the header): stay in the pending
 * state STATE while it exists, reporting a new checkpoint now and then. */
static void hold_while_file(const WCHAR *what, const char *what8, DWORD state)
{
    WCHAR path[512];
    DWORD checks = 0;
    _snwprintf(path, 511, L"C:\\otharden-sim\\hold\\%ls.%ls", g_name, what);
    path[511] = 0;
    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) return;
    log_line("%s held by its hold file", what8);
    while (GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES) {
        Sleep(20);
        if (++checks % 25 == 0) report(state, NO_ERROR, 0, SIM_WAIT_HINT_MS);
    }
    log_line("%s released", what8);
}

static void WINAPI service_main(DWORD argc, WCHAR **argv)
{
    char name8[512], cmd8[2048];
    DWORD i;

    if (argc > 0 && argv[0] && argv[0][0]) {
        wcsncpy(g_name, argv[0], sizeof g_name / sizeof g_name[0] - 1);
    }
    utf8(g_name, name8, sizeof name8);
    utf8(g_cmdline, cmd8, sizeof cmd8);
    g_handle = RegisterServiceCtrlHandlerExW(g_name, handler, NULL);
    if (!g_handle) {
        log_line("RegisterServiceCtrlHandlerExW(%s) failed: %lu", name8, (unsigned long)GetLastError());
        return;
    }
    log_line("start name=%s cmdline=%s", name8, cmd8);
    report(SERVICE_START_PENDING, NO_ERROR, 0, SIM_WAIT_HINT_MS);
    for (i = 0; i < g_slow_start; ++i) {
        Sleep(1000);
        report(SERVICE_START_PENDING, NO_ERROR, 0, SIM_WAIT_HINT_MS);
    }
    hold_while_file(L"start", "start", SERVICE_START_PENDING);
    if (g_fail_start) {
        log_line("fail-start: reporting STOPPED with a service-specific error");
        report(SERVICE_STOPPED, ERROR_SERVICE_SPECIFIC_ERROR, 42, 0);
        return;
    }
    {
        DWORD err = start_dependencies();
        if (err != NO_ERROR) {
            report(SERVICE_STOPPED, err, 0, 0);
            log_line("stopped (dependency failure %lu)", (unsigned long)err);
            return;
        }
    }
    report(SERVICE_RUNNING, NO_ERROR, 0, 0);
    log_line("running%s", g_refuse_stop ? " (refuses stop)" : "");

    WaitForSingleObject(g_stop_event, INFINITE);
    for (i = 0; i < g_slow_stop; ++i) {
        Sleep(1000);
        report(SERVICE_STOP_PENDING, NO_ERROR, 0, SIM_WAIT_HINT_MS);
    }
    hold_while_file(L"stop", "stop", SERVICE_STOP_PENDING);
    log_line("stopped");
    report(SERVICE_STOPPED, NO_ERROR, 0, 0);
}

static int parse_seconds(const WCHAR *s, DWORD *out)
{
    WCHAR *end = NULL;
    unsigned long v;
    if (!s || !*s) return 0;
    v = wcstoul(s, &end, 10);
    if (*end || v > 3600) return 0;
    *out = (DWORD)v;
    return 1;
}

int wmain(int argc, WCHAR **argv)
{
    SERVICE_TABLE_ENTRYW table[2];
    int i;

    InitializeCriticalSection(&g_lock);
    g_stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    g_cmdline[0] = 0;
    for (i = 1; i < argc; ++i) {
        if (i > 1) wcsncat(g_cmdline, L" ", sizeof g_cmdline / sizeof g_cmdline[0] - wcslen(g_cmdline) - 1);
        wcsncat(g_cmdline, argv[i], sizeof g_cmdline / sizeof g_cmdline[0] - wcslen(g_cmdline) - 1);
        if (!wcscmp(argv[i], L"--refuse-stop")) {
            g_refuse_stop = 1;
        } else if (!wcscmp(argv[i], L"--fail-start")) {
            g_fail_start = 1;
        } else if (!wcscmp(argv[i], L"--slow-stop") && i + 1 < argc && parse_seconds(argv[i + 1], &g_slow_stop)) {
            ++i;
            wcsncat(g_cmdline, L" ", 2);
            wcsncat(g_cmdline, argv[i], sizeof g_cmdline / sizeof g_cmdline[0] - wcslen(g_cmdline) - 1);
        } else if (!wcscmp(argv[i], L"--slow-start") && i + 1 < argc && parse_seconds(argv[i + 1], &g_slow_start)) {
            ++i;
            wcsncat(g_cmdline, L" ", 2);
            wcsncat(g_cmdline, argv[i], sizeof g_cmdline / sizeof g_cmdline[0] - wcslen(g_cmdline) - 1);
        } else {
            char a[512];
            utf8(argv[i], a, sizeof a);
            log_line("unknown argument '%s' (ignored)", a);
        }
    }

    /* SERVICE_WIN32_OWN_PROCESS: the SCM ignores the name in the table (one service per
     * process); the real name arrives as argv[0] of ServiceMain. */
    table[0].lpServiceName = g_name;
    table[0].lpServiceProc = service_main;
    table[1].lpServiceName = NULL;
    table[1].lpServiceProc = NULL;
    if (!StartServiceCtrlDispatcherW(table)) {
        DWORD err = GetLastError();
        fwprintf(stderr, L"sim_service.exe: otharden 2008 host SIMULATOR service; run it through the "
                         L"service control manager (StartServiceCtrlDispatcherW failed: %lu)\n",
                 (unsigned long)err);
        return 1;
    }
    return 0;
}
