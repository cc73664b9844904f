/*
 * sim_scm.c - service-control helper of the otharden 2008 host SIMULATOR (tests/sim).
 * Test tooling, not product code. It runs inside a simulated host (a Wine prefix) and
 * talks to Wine's real service control manager. make-host.sh uses it to register the
 * simulated services (all backed by sim_service.exe), session.sh/run-in-host.sh to bring
 * them into their described running state at session start, selftest.sh to check what
 * the SCM API reports. Wine's own sc.exe cannot do these jobs: in Wine 8.0 it has no
 * `qc`/`config`/`queryex`, and `sc create ... depend=` writes a corrupt DependOnService
 * (the string is passed without the REG_MULTI_SZ double NUL).
 *
 *   sim_scm.exe install SPECFILE      create (or replace) services; SPECFILE is UTF-8, one
 *                                     service per line, TAB-separated fields:
 *                                     NAME START DISPLAY DEPENDS BINPATH DELAYED
 *                                     START 0..4 (boot system auto demand disabled),
 *                                     DEPENDS comma-separated or "-", DELAYED 0/1.
 *                                     An existing service of that name is deleted first.
 *   sim_scm.exe start NAME...         StartServiceW, wait (<= 30 s) until RUNNING
 *   sim_scm.exe stop NAME...          ControlService(STOP), wait (<= 30 s) until STOPPED
 *                                     (a service still START_PENDING is awaited first)
 *   sim_scm.exe ensure NAME=running|stopped:START...
 *                                     session start: in the order given (make-host.sh
 *                                     orders the list), bring each service into the state
 *                                     described, if its start type is still START (see
 *                                     cmd_ensure). A disabled service that must run is
 *                                     switched to demand, started and switched back.
 *   sim_scm.exe query NAME...         what the SCM API says, one line per service:
 *                                     NAME start=auto state=running type=0x10 pid=N
 *                                     accepts=0x5 exit=0 deps=A,B dependents=X,Y
 *                                     delayed=<0|1|err:N> delayed_reg=<0|1|missing>
 *   sim_scm.exe wait NAME STATE       until NAME is in STATE (<= 30 s); exit 1 if it is not
 *   sim_scm.exe control NAME CODE     ControlService(CODE); prints rc/error/status
 *   sim_scm.exe set-start NAME auto|demand|disabled|boot|system
 *                                     ChangeServiceConfigW (start type only)
 *   sim_scm.exe set-delayed NAME 0|1  ChangeServiceConfig2W(SERVICE_CONFIG_DELAYED_AUTO_START_INFO)
 *
 * Output: one "key=value" group per line, UTF-8, LF. Errors are Win32 error numbers.
 * Exit: 0 all operations succeeded, 1 at least one failed, 2 usage.
 *
 * Build: x86_64-w64-mingw32-gcc -O1 -municode -D_WIN32_WINNT=0x0600 -o sim_scm.exe sim_scm.c
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef SERVICE_CONFIG_DELAYED_AUTO_START_INFO
#define SERVICE_CONFIG_DELAYED_AUTO_START_INFO 3
typedef struct _SERVICE_DELAYED_AUTO_START_INFO { BOOL fDelayedAutostart; } SERVICE_DELAYED_AUTO_START_INFO;
#endif

#define WAIT_LIMIT_MS 30000

static SC_HANDLE g_scm;

static void out_w(const WCHAR *w)
{
    char buf[8192];
    if (WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, sizeof buf, NULL, NULL) <= 0) strcpy(buf, "?");
    fputs(buf, stdout);
}

static const char *start_name(DWORD s)
{
    switch (s) {
    case SERVICE_BOOT_START: return "boot";
    case SERVICE_SYSTEM_START: return "system";
    case SERVICE_AUTO_START: return "auto";
    case SERVICE_DEMAND_START: return "demand";
    case SERVICE_DISABLED: return "disabled";
    default: return "unknown";
    }
}

static const char *state_name(DWORD s)
{
    switch (s) {
    case SERVICE_STOPPED: return "stopped";
    case SERVICE_START_PENDING: return "start_pending";
    case SERVICE_STOP_PENDING: return "stop_pending";
    case SERVICE_RUNNING: return "running";
    case SERVICE_CONTINUE_PENDING: return "continue_pending";
    case SERVICE_PAUSE_PENDING: return "pause_pending";
    case SERVICE_PAUSED: return "paused";
    default: return "unknown";
    }
}

static int parse_start(const WCHAR *s, DWORD *out)
{
    static const struct { const WCHAR *n; DWORD v; } t[] = {
        { L"boot", 0 }, { L"system", 1 }, { L"auto", 2 }, { L"demand", 3 }, { L"disabled", 4 },
        { L"0", 0 }, { L"1", 1 }, { L"2", 2 }, { L"3", 3 }, { L"4", 4 },
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; ++i)
        if (!_wcsicmp(s, t[i].n)) { *out = t[i].v; return 1; }
    return 0;
}

static int query_status(SC_HANDLE svc, SERVICE_STATUS_PROCESS *ssp)
{
    DWORD need = 0;
    return QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)ssp, sizeof *ssp, &need);
}

/* Wait until the service leaves `pending` (or reaches `want`). Returns final state. */
static DWORD wait_state(SC_HANDLE svc, DWORD want, DWORD limit_ms)
{
    SERVICE_STATUS_PROCESS ssp;
    DWORD waited = 0;
    for (;;) {
        if (!query_status(svc, &ssp)) return 0;
        if (ssp.dwCurrentState == want || waited >= limit_ms) return ssp.dwCurrentState;
        if (want == SERVICE_RUNNING && ssp.dwCurrentState == SERVICE_STOPPED && waited > 500)
            return ssp.dwCurrentState;     /* failed to start */
        Sleep(100);
        waited += 100;
    }
}

/* ---- install ---------------------------------------------------------------------- */

static WCHAR *next_field(WCHAR **p)
{
    WCHAR *s = *p, *t;
    if (!s) return NULL;
    t = wcschr(s, L'\t');
    if (t) { *t = 0; *p = t + 1; } else { *p = NULL; }
    return s;
}

static int write_delayed_reg(const WCHAR *name, DWORD value)
{
    WCHAR path[512];
    HKEY key;
    LONG rc;
    _snwprintf(path, 511, L"SYSTEM\\CurrentControlSet\\Services\\%ls", name);
    path[511] = 0;
    rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_SET_VALUE, &key);
    if (rc) return (int)rc;
    rc = RegSetValueExW(key, L"DelayedAutostart", 0, REG_DWORD, (const BYTE *)&value, sizeof value);
    RegCloseKey(key);
    return (int)rc;
}

static int install_one(WCHAR *line)
{
    WCHAR *p = line, *name, *start_s, *display, *deps, *bin, *delayed_s;
    WCHAR depbuf[2048];
    DWORD start, n = 0;
    SC_HANDLE svc;
    int replaced = 0, ok = 1;

    name = next_field(&p); start_s = next_field(&p); display = next_field(&p);
    deps = next_field(&p); bin = next_field(&p); delayed_s = next_field(&p);
    if (!name || !start_s || !display || !deps || !bin || !delayed_s || !parse_start(start_s, &start)) {
        fputs("install: bad spec line\n", stdout);
        return 0;
    }
    /* DEPENDS "A,B" -> REG_MULTI_SZ "A\0B\0\0" */
    memset(depbuf, 0, sizeof depbuf);
    if (wcscmp(deps, L"-")) {
        WCHAR *d;
        for (d = deps; *d && n < 2040; ++d) depbuf[n++] = (*d == L',') ? 0 : *d;
        depbuf[n++] = 0;
        depbuf[n++] = 0;
    }

    svc = OpenServiceW(g_scm, name, DELETE | SERVICE_QUERY_STATUS | SERVICE_STOP);
    if (svc) {
        SERVICE_STATUS st;
        SERVICE_STATUS_PROCESS ssp;
        if (query_status(svc, &ssp) && ssp.dwCurrentState != SERVICE_STOPPED) {
            ControlService(svc, SERVICE_CONTROL_STOP, &st);
            wait_state(svc, SERVICE_STOPPED, 10000);
        }
        if (!DeleteService(svc)) {
            fputs("service=", stdout); out_w(name);
            printf(" install=failed step=DeleteService error=%lu\n", (unsigned long)GetLastError());
            CloseServiceHandle(svc);
            return 0;
        }
        CloseServiceHandle(svc);
        replaced = 1;
    }
    svc = CreateServiceW(g_scm, name, display, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, start,
                         SERVICE_ERROR_NORMAL, bin, NULL, NULL, n ? depbuf : NULL, NULL, NULL);
    fputs("service=", stdout); out_w(name);
    if (!svc) {
        DWORD err = GetLastError();
        printf(" install=failed step=CreateServiceW error=%lu%s\n", (unsigned long)err,
               err == ERROR_SERVICE_MARKED_FOR_DELETE
                   ? " (the old service is still in use: install needs a freshly booted prefix)" : "");
        return 0;
    }
    printf(" install=%s", replaced ? "replaced" : "created");
    if (!wcscmp(delayed_s, L"1")) {
        SERVICE_DELAYED_AUTO_START_INFO di;
        di.fDelayedAutostart = TRUE;
        if (ChangeServiceConfig2W(svc, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &di)) {
            fputs(" delayed=api", stdout);
        } else {
            DWORD err = GetLastError();
            int rc = write_delayed_reg(name, 1);
            printf(" delayed_api_error=%lu delayed=%s", (unsigned long)err, rc ? "failed" : "registry");
            if (rc) ok = 0;
        }
    }
    fputs("\n", stdout);
    CloseServiceHandle(svc);
    return ok;
}

static int cmd_install(const WCHAR *file)
{
    FILE *f = _wfopen(file, L"rb");
    char line[8192];
    WCHAR wline[8192];
    int ok = 1;
    if (!f) { fputs("install: cannot open spec file\n", stdout); return 0; }
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len || line[0] == '#') continue;
        if (!MultiByteToWideChar(CP_UTF8, 0, line, -1, wline, 8192)) { ok = 0; continue; }
        if (!install_one(wline)) ok = 0;
    }
    fclose(f);
    return ok;
}

/* ---- start / stop ---------------------------------------------------------------- */

static int cmd_start(const WCHAR *name)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_START | SERVICE_QUERY_STATUS);
    DWORD st;
    fputs("service=", stdout); out_w(name);
    if (!svc) { printf(" start=failed step=OpenServiceW error=%lu\n", (unsigned long)GetLastError()); return 0; }
    if (!StartServiceW(svc, 0, NULL)) {
        DWORD err = GetLastError();
        if (err != ERROR_SERVICE_ALREADY_RUNNING) {
            printf(" start=failed step=StartServiceW error=%lu\n", (unsigned long)err);
            CloseServiceHandle(svc);
            return 0;
        }
    }
    st = wait_state(svc, SERVICE_RUNNING, WAIT_LIMIT_MS);
    printf(" start=%s state=%s\n", st == SERVICE_RUNNING ? "ok" : "failed", state_name(st));
    CloseServiceHandle(svc);
    return st == SERVICE_RUNNING;
}

static int cmd_stop(const WCHAR *name)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_STOP | SERVICE_QUERY_STATUS);
    SERVICE_STATUS ss;
    SERVICE_STATUS_PROCESS ssp;
    DWORD st;
    fputs("service=", stdout); out_w(name);
    if (!svc) { printf(" stop=failed step=OpenServiceW error=%lu\n", (unsigned long)GetLastError()); return 0; }
    /* a START_PENDING service accepts no controls (Windows: 1061, Wine 8.0: 1052), so let
     * a start in progress (Wine's autostart, a slow start) finish first */
    if (query_status(svc, &ssp) && ssp.dwCurrentState == SERVICE_START_PENDING)
        wait_state(svc, SERVICE_RUNNING, WAIT_LIMIT_MS);
    if (query_status(svc, &ssp) && ssp.dwCurrentState == SERVICE_STOPPED) {
        printf(" stop=ok state=stopped\n");
        CloseServiceHandle(svc);
        return 1;
    }
    if (!ControlService(svc, SERVICE_CONTROL_STOP, &ss)) {
        printf(" stop=failed step=ControlService error=%lu\n", (unsigned long)GetLastError());
        CloseServiceHandle(svc);
        return 0;
    }
    st = wait_state(svc, SERVICE_STOPPED, WAIT_LIMIT_MS);
    printf(" stop=%s state=%s\n", st == SERVICE_STOPPED ? "ok" : "failed", state_name(st));
    CloseServiceHandle(svc);
    return st == SERVICE_STOPPED;
}

static int set_start_type(const WCHAR *name, DWORD start)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_CHANGE_CONFIG);
    BOOL r;
    if (!svc) return 0;
    r = ChangeServiceConfigW(svc, SERVICE_NO_CHANGE, start, SERVICE_NO_CHANGE, NULL, NULL, NULL, NULL, NULL,
                             NULL, NULL);
    CloseServiceHandle(svc);
    return r != 0;
}

static DWORD get_start_type(const WCHAR *name)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_QUERY_CONFIG);
    DWORD need = 0, start_type = 0xffffffff;
    if (svc) {
        BYTE *buf;
        QueryServiceConfigW(svc, NULL, 0, &need);
        buf = (BYTE *)calloc(1, need + 16);
        if (QueryServiceConfigW(svc, (QUERY_SERVICE_CONFIGW *)buf, need, &need))
            start_type = ((QUERY_SERVICE_CONFIGW *)buf)->dwStartType;
        free(buf);
        CloseServiceHandle(svc);
    }
    return start_type;
}

/* ensure NAME=STATE:START ... (STATE running|stopped, START the described start type).
 * A service whose start type is still the described one is brought into the described
 * state ("the host as found"); one whose start type was changed (by the tool under test)
 * is left as Windows would boot it: auto -> running (Wine starts the non-delayed ones
 * itself; delayed ones are started here), demand/disabled -> left alone (stopped unless
 * started as a dependency). Failures are fatal only while every listed service still has
 * its described start type (a pristine host); afterwards a service may fail to start at
 * boot just as on Windows (e.g. a disabled dependency), which is reported as a warning. */
static int cmd_ensure(int argc, WCHAR **argv)
{
    int i, pristine = 1, ok = 1;
    for (i = 0; i < argc; ++i) {
        WCHAR *eq = wcschr(argv[i], L'='), *colon = eq ? wcschr(eq, L':') : NULL;
        DWORD want;
        if (!eq || !colon || !parse_start(colon + 1, &want) ||
            (wcsncmp(eq + 1, L"running:", 8) && wcsncmp(eq + 1, L"stopped:", 8))) {
            fputs("ensure: expected NAME=running|stopped:START\n", stdout);
            return 0;
        }
        *eq = 0;
        if (get_start_type(argv[i]) != want) pristine = 0;
        *eq = L'=';
    }
    printf("ensure: %s\n", pristine ? "pristine host (every start type as described)"
                                     : "start types changed since make-host: changed services boot as on Windows");
    for (i = 0; i < argc; ++i) {
        WCHAR *name = argv[i], *eq = wcschr(name, L'='), *colon = wcschr(eq, L':');
        DWORD want, cur;
        int running, r;
        *eq = 0;
        *colon = 0;
        running = !wcscmp(eq + 1, L"running");
        parse_start(colon + 1, &want);
        cur = get_start_type(name);
        if (cur != want) {
            fputs("service=", stdout); out_w(name);
            printf(" start type changed (%s, described %s):", start_name(cur), start_name(want));
            if (cur != SERVICE_AUTO_START) { fputs(" left alone\n", stdout); continue; }
            fputs(" started as an auto-start service\n", stdout);
            running = 1;
        }
        if (!running) {
            r = cmd_stop(name);
        } else if (cur != SERVICE_DISABLED) {
            r = cmd_start(name);
        } else {
            /* "disabled but still running" (disabled after it was started): start as demand */
            if (!set_start_type(name, SERVICE_DEMAND_START)) {
                fputs("service=", stdout); out_w(name);
                printf(" start=failed step=ChangeServiceConfigW error=%lu\n", (unsigned long)GetLastError());
                r = 0;
            } else {
                r = cmd_start(name);
                if (!set_start_type(name, SERVICE_DISABLED)) {
                    fputs("service=", stdout); out_w(name);
                    printf(" restore-disabled=failed error=%lu\n", (unsigned long)GetLastError());
                    r = 0;
                    pristine = 1;      /* our own failure: always fatal */
                }
            }
        }
        if (!r) {
            if (pristine) ok = 0;
            else { fputs("service=", stdout); out_w(name); fputs(" warning=not in the wanted state (a changed host)\n", stdout); }
        }
    }
    return ok;
}

/* ---- query ----------------------------------------------------------------------- */

static void print_multisz_commas(const WCHAR *m)
{
    int first = 1;
    if (!m || !*m) { fputs("-", stdout); return; }
    while (*m) {
        if (!first) fputs(",", stdout);
        /* SC_GROUP_IDENTIFIER '+' prefixes group dependencies; kept as is */
        out_w(m);
        first = 0;
        m += wcslen(m) + 1;
    }
}

static int cmd_query(const WCHAR *name)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS |
                                 SERVICE_ENUMERATE_DEPENDENTS);
    BYTE *buf;
    DWORD need = 0, count = 0, i;
    QUERY_SERVICE_CONFIGW *qc;
    SERVICE_STATUS_PROCESS ssp;
    int ok = 1;

    out_w(name);
    if (!svc) { printf(" error=%lu\n", (unsigned long)GetLastError()); return 0; }

    QueryServiceConfigW(svc, NULL, 0, &need);
    buf = (BYTE *)calloc(1, need + 16);
    qc = (QUERY_SERVICE_CONFIGW *)buf;
    if (QueryServiceConfigW(svc, qc, need, &need)) {
        printf(" start=%s", start_name(qc->dwStartType));
    } else {
        printf(" start=err:%lu", (unsigned long)GetLastError());
        qc = NULL;
        ok = 0;
    }
    if (query_status(svc, &ssp)) {
        printf(" state=%s type=0x%lx pid=%lu accepts=0x%lx exit=%lu", state_name(ssp.dwCurrentState),
               (unsigned long)ssp.dwServiceType, (unsigned long)ssp.dwProcessId,
               (unsigned long)ssp.dwControlsAccepted, (unsigned long)ssp.dwWin32ExitCode);
    } else {
        printf(" state=err:%lu", (unsigned long)GetLastError());
        ok = 0;
    }
    fputs(" deps=", stdout);
    if (qc) print_multisz_commas(qc->lpDependencies); else fputs("?", stdout);
    free(buf);

    fputs(" dependents=", stdout);
    need = 0;
    if (EnumDependentServicesW(svc, SERVICE_STATE_ALL, NULL, 0, &need, &count)) {
        fputs("-", stdout);
    } else if (GetLastError() == ERROR_MORE_DATA) {
        ENUM_SERVICE_STATUSW *es = (ENUM_SERVICE_STATUSW *)calloc(1, need + 16);
        if (EnumDependentServicesW(svc, SERVICE_STATE_ALL, es, need, &need, &count)) {
            if (!count) fputs("-", stdout);
            for (i = 0; i < count; ++i) {
                if (i) fputs(",", stdout);
                out_w(es[i].lpServiceName);
            }
        } else {
            printf("err:%lu", (unsigned long)GetLastError());
        }
        free(es);
    } else {
        printf("err:%lu", (unsigned long)GetLastError());
    }

    {
        BYTE dbuf[64];
        SERVICE_DELAYED_AUTO_START_INFO *di = (SERVICE_DELAYED_AUTO_START_INFO *)dbuf;
        need = 0;
        memset(dbuf, 0, sizeof dbuf);
        if (QueryServiceConfig2W(svc, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, dbuf, sizeof dbuf, &need))
            printf(" delayed=%d", di->fDelayedAutostart ? 1 : 0);
        else
            printf(" delayed=err:%lu", (unsigned long)GetLastError());
    }
    {
        WCHAR path[512];
        DWORD v = 0, sz = sizeof v, type = 0;
        HKEY key;
        _snwprintf(path, 511, L"SYSTEM\\CurrentControlSet\\Services\\%ls", name);
        path[511] = 0;
        if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, &key)) {
            if (!RegQueryValueExW(key, L"DelayedAutostart", NULL, &type, (BYTE *)&v, &sz) && type == REG_DWORD)
                printf(" delayed_reg=%lu", (unsigned long)v);
            else
                fputs(" delayed_reg=missing", stdout);
            RegCloseKey(key);
        } else {
            fputs(" delayed_reg=nokey", stdout);
        }
    }
    fputs("\n", stdout);
    CloseServiceHandle(svc);
    return ok;
}

/* ---- single API calls ------------------------------------------------------------- */

static int cmd_control(const WCHAR *name, const WCHAR *code_s)
{
    DWORD code = (DWORD)wcstoul(code_s, NULL, 0);
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_STOP | SERVICE_PAUSE_CONTINUE | SERVICE_INTERROGATE |
                                 SERVICE_USER_DEFINED_CONTROL | SERVICE_QUERY_STATUS);
    SERVICE_STATUS ss;
    BOOL r;
    DWORD err;
    fputs("service=", stdout); out_w(name);
    if (!svc) { printf(" control=failed step=OpenServiceW error=%lu\n", (unsigned long)GetLastError()); return 0; }
    memset(&ss, 0, sizeof ss);
    SetLastError(0);
    r = ControlService(svc, code, &ss);
    err = r ? 0 : GetLastError();
    printf(" control=%lu rc=%d error=%lu state=%s accepts=0x%lx\n", (unsigned long)code, r ? 1 : 0,
           (unsigned long)err, state_name(ss.dwCurrentState), (unsigned long)ss.dwControlsAccepted);
    CloseServiceHandle(svc);
    return r != 0;
}

static int cmd_set_start(const WCHAR *name, const WCHAR *start_s)
{
    DWORD start;
    SC_HANDLE svc;
    BOOL r;
    if (!parse_start(start_s, &start)) { fputs("set-start: bad start type\n", stdout); return 0; }
    svc = OpenServiceW(g_scm, name, SERVICE_CHANGE_CONFIG);
    fputs("service=", stdout); out_w(name);
    if (!svc) { printf(" set-start=failed step=OpenServiceW error=%lu\n", (unsigned long)GetLastError()); return 0; }
    r = ChangeServiceConfigW(svc, SERVICE_NO_CHANGE, start, SERVICE_NO_CHANGE, NULL, NULL, NULL, NULL, NULL,
                             NULL, NULL);
    printf(" set-start=%s rc=%d error=%lu\n", start_name(start), r ? 1 : 0, r ? 0UL : (unsigned long)GetLastError());
    CloseServiceHandle(svc);
    return r != 0;
}

static int cmd_set_delayed(const WCHAR *name, const WCHAR *v)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_CHANGE_CONFIG);
    SERVICE_DELAYED_AUTO_START_INFO di;
    BOOL r;
    fputs("service=", stdout); out_w(name);
    if (!svc) { printf(" set-delayed=failed step=OpenServiceW error=%lu\n", (unsigned long)GetLastError()); return 0; }
    di.fDelayedAutostart = wcscmp(v, L"0") ? TRUE : FALSE;
    SetLastError(0);
    r = ChangeServiceConfig2W(svc, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &di);
    printf(" set-delayed=%d rc=%d error=%lu\n", di.fDelayedAutostart ? 1 : 0, r ? 1 : 0,
           r ? 0UL : (unsigned long)GetLastError());
    CloseServiceHandle(svc);
    return r != 0;
}

/* wait NAME STATE: until the service is in STATE (running, stopped, stop_pending, ...),
 * at most WAIT_LIMIT_MS; prints the state reached. A test waits on a state, never on a
 * time of its own. */
static int cmd_wait(const WCHAR *name, const WCHAR *want_s)
{
    SC_HANDLE svc = OpenServiceW(g_scm, name, SERVICE_QUERY_STATUS);
    SERVICE_STATUS_PROCESS ssp;
    DWORD waited = 0, want;
    char want8[64];
    fputs("service=", stdout); out_w(name);
    if (!svc) { printf(" wait=failed step=OpenServiceW error=%lu\n", (unsigned long)GetLastError()); return 0; }
    WideCharToMultiByte(CP_UTF8, 0, want_s, -1, want8, sizeof want8, NULL, NULL);
    want8[sizeof want8 - 1] = 0;
    for (want = 1; want <= 7 && strcmp(state_name(want), want8); ++want) {}
    if (want > 7) { printf(" wait=failed bad-state=%s\n", want8); CloseServiceHandle(svc); return 0; }
    for (;;) {
        if (!query_status(svc, &ssp)) {
            printf(" wait=failed step=QueryServiceStatusEx error=%lu\n", (unsigned long)GetLastError());
            CloseServiceHandle(svc);
            return 0;
        }
        if (ssp.dwCurrentState == want || waited >= WAIT_LIMIT_MS) break;
        Sleep(20);
        waited += 20;
    }
    printf(" state=%s exit=%lu\n", state_name(ssp.dwCurrentState), (unsigned long)ssp.dwWin32ExitCode);
    CloseServiceHandle(svc);
    return ssp.dwCurrentState == want;
}

static int usage(void)
{
    fputs("usage: sim_scm.exe install SPECFILE | start NAME... | stop NAME... | ensure NAME=STATE:START... |\n"
          "       query NAME... | wait NAME STATE |\n"
          "       control NAME CODE | set-start NAME TYPE | set-delayed NAME 0|1\n"
          "(otharden 2008 host SIMULATOR helper)\n", stderr);
    return 2;
}

int wmain(int argc, WCHAR **argv)
{
    int ok = 1, i;
    const WCHAR *cmd;
    if (argc < 3) return usage();
    cmd = argv[1];
    g_scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    if (!g_scm) {
        printf("OpenSCManagerW failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    if (!wcscmp(cmd, L"install") && argc == 3) ok = cmd_install(argv[2]);
    else if (!wcscmp(cmd, L"start")) for (i = 2; i < argc; ++i) ok &= cmd_start(argv[i]);
    else if (!wcscmp(cmd, L"stop")) for (i = 2; i < argc; ++i) ok &= cmd_stop(argv[i]);
    else if (!wcscmp(cmd, L"ensure")) ok = cmd_ensure(argc - 2, argv + 2);
    else if (!wcscmp(cmd, L"query")) for (i = 2; i < argc; ++i) ok &= cmd_query(argv[i]);
    else if (!wcscmp(cmd, L"wait") && argc == 4) ok = cmd_wait(argv[2], argv[3]);
    else if (!wcscmp(cmd, L"control") && argc == 4) ok = cmd_control(argv[2], argv[3]);
    else if (!wcscmp(cmd, L"set-start") && argc == 4) ok = cmd_set_start(argv[2], argv[3]);
    else if (!wcscmp(cmd, L"set-delayed") && argc == 4) ok = cmd_set_delayed(argv[2], argv[3]);
    else { CloseServiceHandle(g_scm); return usage(); }
    fflush(stdout);
    CloseServiceHandle(g_scm);
    return ok ? 0 : 1;
}
