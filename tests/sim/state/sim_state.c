/*
 * sim_state.c - state reader of the otharden 2008 host SIMULATOR (tests/sim). Test
 * tooling, not product code, and independent of otharden's code: it reads what the
 * tests judge otharden by, in ONE process inside the simulated host's session, instead
 * of one Wine `reg query` / `sc query` process per value (those were slow, and Wine's
 * cmd/reg/sc now and then answered nothing under load).
 *
 *   sim_state.exe [--long] [services NAME...] [firewall]
 *
 * services NAME...  one line per NAME, in the order given:
 *                     NAME start=<auto|demand|disabled|boot|system|missing> state=<running|
 *                     stopped|start_pending|stop_pending|paused|...|missing>
 *                   --long appends: delayed=<0|1> depends=<A,B|-> exit=<WIN32_EXIT_CODE|->
 *                   start, delayed and depends are the registry values under
 *                   HKLM\SYSTEM\CurrentControlSet\Services\NAME (Start, DelayedAutostart,
 *                   DependOnService); state and exit are the service control manager's
 *                   answer (QueryServiceStatusEx). A service that does not exist reads
 *                   "start=missing state=missing".
 * firewall          the firewall's local store in the registry (what the simulator's
 *                   hnetcfg.dll persists; the real firewall service keeps the same key):
 *                     profile=domain enabled=1 inbound=block outbound=allow block_all_inbound=0 notifications_disabled=0
 *                     profile=private ...   (StandardProfile)
 *                     profile=public ...
 *                     rules=N
 *                     rule=ID<TAB>RULE-STRING      sorted by ID (case-insensitive)
 *                   A value that is not there reads "missing".
 *
 * Output: UTF-8, LF. Exit: 0; 1 a named service is missing or its state unreadable;
 * 2 usage; 3 a registry or SCM call failed (named on stderr).
 *
 * Build: x86_64-w64-mingw32-gcc -O1 -municode -static -D_WIN32_WINNT=0x0600 -o sim_state.exe sim_state.c
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services\\"
#define FW_KEY L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\"

static int g_long;
static int g_status;   /* exit status */
static SC_HANDLE g_scm;

static void out_w(const WCHAR *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *buf;
    if (n <= 0) { fputs("?", stdout); return; }
    buf = malloc((size_t)n);
    if (!buf) { fputs("?", stdout); return; }
    WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, n, NULL, NULL);
    fputs(buf, stdout);
    free(buf);
}

static void fail(const char *what, const WCHAR *name, LONG err)
{
    fprintf(stderr, "sim_state: %s ", what);
    if (name) {
        char buf[1024];
        WideCharToMultiByte(CP_UTF8, 0, name, -1, buf, sizeof buf, NULL, NULL);
        buf[sizeof buf - 1] = 0;
        fputs(buf, stderr);
    }
    fprintf(stderr, ": error %ld\n", (long)err);
    g_status = 3;
}

/* DWORD value NAME of KEY: 1 found, 0 missing (a missing value is not an error). */
static int reg_dword(HKEY key, const WCHAR *name, DWORD *out)
{
    DWORD type = 0, size = sizeof *out;
    LONG rc = RegQueryValueExW(key, name, NULL, &type, (BYTE *)out, &size);
    return rc == ERROR_SUCCESS && type == REG_DWORD && size == sizeof *out;
}

static const char *start_name(DWORD s)
{
    switch (s) {
    case 0: return "boot";
    case 1: return "system";
    case 2: return "auto";
    case 3: return "demand";
    case 4: return "disabled";
    default: return NULL;
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

static void one_service(const WCHAR *name)
{
    WCHAR path[512];
    HKEY key;
    LONG rc;
    DWORD start = 0, delayed = 0;
    int have_start;
    WCHAR deps[2048];
    DWORD type = 0, size = sizeof deps - 2 * sizeof(WCHAR);
    SC_HANDLE svc;
    SERVICE_STATUS_PROCESS ssp;
    DWORD need = 0;
    int have_status = 0;

    out_w(name);
    _snwprintf(path, 511, SERVICES_KEY L"%ls", name);
    path[511] = 0;
    rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, &key);
    if (rc != ERROR_SUCCESS) {
        fputs(" start=missing state=missing\n", stdout);
        if (rc != ERROR_FILE_NOT_FOUND) fail("RegOpenKeyExW", path, rc);
        if (!g_status) g_status = 1;
        return;
    }
    have_start = reg_dword(key, L"Start", &start);
    if (!have_start) fputs(" start=missing", stdout);
    else if (start_name(start)) printf(" start=%s", start_name(start));
    else printf(" start=unknown:0x%lx", (unsigned long)start);
    if (!reg_dword(key, L"DelayedAutostart", &delayed)) delayed = 0;
    memset(deps, 0, sizeof deps);
    if (RegQueryValueExW(key, L"DependOnService", NULL, &type, (BYTE *)deps, &size) != ERROR_SUCCESS ||
        type != REG_MULTI_SZ)
        deps[0] = 0;
    RegCloseKey(key);

    svc = OpenServiceW(g_scm, name, SERVICE_QUERY_STATUS);
    if (!svc || !QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&ssp, sizeof ssp, &need)) {
        DWORD err = GetLastError();
        fputs(" state=missing", stdout);
        if (err != ERROR_SERVICE_DOES_NOT_EXIST) fail("OpenServiceW/QueryServiceStatusEx", name, (LONG)err);
        if (!g_status) g_status = 1;
        if (svc) CloseServiceHandle(svc);
    } else {
        printf(" state=%s", state_name(ssp.dwCurrentState));
        have_status = 1;
        CloseServiceHandle(svc);
    }
    if (g_long) {
        printf(" delayed=%d depends=", delayed == 1);
        if (!deps[0]) {
            fputs("-", stdout);
        } else {
            const WCHAR *d;
            int first = 1;
            for (d = deps; *d; d += wcslen(d) + 1) {
                if (!first) fputs(",", stdout);
                out_w(d);
                first = 0;
            }
        }
        if (have_status) printf(" exit=%lu", (unsigned long)ssp.dwWin32ExitCode);
        else fputs(" exit=-", stdout);
    }
    fputs("\n", stdout);
}

static void profile(const char *label, const WCHAR *sub)
{
    WCHAR path[512];
    HKEY key = NULL;
    LONG rc;
    static const WCHAR *names[] = { L"EnableFirewall", L"DefaultInboundAction", L"DefaultOutboundAction",
                                    L"DoNotAllowExceptions", L"DisableNotifications" };
    static const char *labels[] = { "enabled", "inbound", "outbound", "block_all_inbound",
                                    "notifications_disabled" };
    size_t i;

    _snwprintf(path, 511, FW_KEY L"%ls", sub);
    path[511] = 0;
    rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, &key);
    if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) fail("RegOpenKeyExW", path, rc);
    printf("profile=%s", label);
    for (i = 0; i < sizeof names / sizeof names[0]; ++i) {
        DWORD v;
        if (rc != ERROR_SUCCESS || !reg_dword(key, names[i], &v)) printf(" %s=missing", labels[i]);
        else if (i == 1 || i == 2) printf(" %s=%s", labels[i], v ? "block" : "allow");
        else printf(" %s=%lu", labels[i], (unsigned long)v);
    }
    fputs("\n", stdout);
    if (key) RegCloseKey(key);
}

struct rule { WCHAR *id; WCHAR *data; };

static int rule_cmp(const void *a, const void *b)
{
    return _wcsicmp(((const struct rule *)a)->id, ((const struct rule *)b)->id);
}

static void firewall(void)
{
    HKEY key;
    LONG rc;
    DWORD i, count = 0, max_name = 0, max_data = 0, n = 0;
    struct rule *rules = NULL;

    profile("domain", L"DomainProfile");
    profile("private", L"StandardProfile");
    profile("public", L"PublicProfile");
    rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, FW_KEY L"FirewallRules", 0, KEY_QUERY_VALUE, &key);
    if (rc == ERROR_FILE_NOT_FOUND) { fputs("rules=0\n", stdout); return; }
    if (rc != ERROR_SUCCESS) { fail("RegOpenKeyExW", FW_KEY L"FirewallRules", rc); return; }
    rc = RegQueryInfoKeyW(key, NULL, NULL, NULL, NULL, NULL, NULL, &count, &max_name, &max_data, NULL, NULL);
    if (rc != ERROR_SUCCESS) { fail("RegQueryInfoKeyW", FW_KEY L"FirewallRules", rc); RegCloseKey(key); return; }
    rules = calloc(count ? count : 1, sizeof *rules);
    for (i = 0; rules && i < count; ++i) {
        DWORD name_len = max_name + 1, data_len = max_data + sizeof(WCHAR), type = 0;
        WCHAR *name = calloc(name_len + 1, sizeof(WCHAR));
        WCHAR *data = calloc(data_len / sizeof(WCHAR) + 2, sizeof(WCHAR));
        rc = RegEnumValueW(key, i, name, &name_len, NULL, &type, (BYTE *)data, &data_len);
        if (rc != ERROR_SUCCESS) { fail("RegEnumValueW", FW_KEY L"FirewallRules", rc); free(name); free(data); break; }
        if (type != REG_SZ) { free(name); free(data); continue; }
        rules[n].id = name;
        rules[n].data = data;
        ++n;
    }
    RegCloseKey(key);
    if (n) qsort(rules, n, sizeof *rules, rule_cmp);
    printf("rules=%lu\n", (unsigned long)n);
    for (i = 0; i < n; ++i) {
        fputs("rule=", stdout);
        out_w(rules[i].id);
        fputs("\t", stdout);
        out_w(rules[i].data);
        fputs("\n", stdout);
        free(rules[i].id);
        free(rules[i].data);
    }
    free(rules);
}

int wmain(int argc, WCHAR **argv)
{
    int i = 1;
    _setmode(_fileno(stdout), _O_BINARY);
    if (i < argc && !wcscmp(argv[i], L"--long")) { g_long = 1; ++i; }
    if (i >= argc) {
        fputs("usage: sim_state.exe [--long] [services NAME...] [firewall]\n", stderr);
        return 2;
    }
    while (i < argc) {
        if (!wcscmp(argv[i], L"services")) {
            for (++i; i < argc && wcscmp(argv[i], L"firewall"); ++i) {
                if (!g_scm) {
                    g_scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
                    if (!g_scm) { fail("OpenSCManagerW", NULL, (LONG)GetLastError()); fflush(stdout); return 3; }
                }
                one_service(argv[i]);
            }
        } else if (!wcscmp(argv[i], L"firewall")) {
            firewall();
            ++i;
        } else {
            fputs("usage: sim_state.exe [--long] [services NAME...] [firewall]\n", stderr);
            return 2;
        }
    }
    if (g_scm) CloseServiceHandle(g_scm);
    fflush(stdout);
    return g_status;
}
