/*
 * probe.c - test probe for the otharden 2008 host SIMULATOR (tests/sim).
 *
 * The simulator builds Wine prefixes that stand in for Windows Server 2008
 * hosts.  This program runs inside such a prefix and prints, one
 * "key=value" per line (UTF-8, LF line ends), what a Windows program sees:
 *
 *   - RtlGetVersion (resolved with GetProcAddress on ntdll)
 *   - HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion values, in the
 *     64-bit and 32-bit registry views
 *   - ProductOptions\ProductType and Control\Windows\CSDVersion
 *   - the file version (VS_FIXEDFILEINFO) of %SystemRoot%\System32\ntoskrnl.exe,
 *     and, in a WOW64 process, of %SystemRoot%\Sysnative\ntoskrnl.exe and of
 *     System32 with Wow64DisableWow64FsRedirection
 *   - process / native architecture (GetNativeSystemInfo, IsWow64Process)
 *   - GetComputerNameExW for every COMPUTER_NAME_FORMAT
 *   - NetGetJoinInformation
 *   - the Component Based Servicing Packages key (KEY_WOW64_64KEY), one line
 *     per package with its CurrentState
 *
 * It is a test tool, not part of the product: it may use any API Wine has.
 * Build (see selftest.sh):
 *   x86_64-w64-mingw32-gcc -O1 -municode -o probe.exe probe.c -lversion
 *   i686-w64-mingw32-gcc   -O1 -municode -o probe32.exe probe.c -lversion
 *
 * Exit code: 0 when everything could be printed (missing values are printed
 * as "<missing:ERR>"), 4 when RtlGetVersion could not be resolved.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <io.h>
#include <fcntl.h>

#ifndef KEY_WOW64_64KEY
#define KEY_WOW64_64KEY 0x0100
#endif
#ifndef KEY_WOW64_32KEY
#define KEY_WOW64_32KEY 0x0200
#endif

/* ---- output helpers: UTF-16 -> UTF-8, LF only ---------------------------- */

static void put_kv_w(const char *key, const WCHAR *value)
{
    char buf[4096];
    int n = WideCharToMultiByte(CP_UTF8, 0, value, -1, buf, sizeof buf, NULL, NULL);
    if (n <= 0) strcpy(buf, "<unconvertible>");
    printf("%s=%s\n", key, buf);
}

static void put_kv_a(const char *key, const char *value)
{
    printf("%s=%s\n", key, value);
}

static void put_kv_u(const char *key, unsigned long value)
{
    printf("%s=%lu\n", key, value);
}

static void put_missing(const char *key, DWORD err)
{
    printf("%s=<missing:%lu>\n", key, (unsigned long)err);
}

/* ---- RtlGetVersion ------------------------------------------------------- */

typedef LONG (WINAPI *RtlGetVersion_fn)(OSVERSIONINFOEXW *);

static int probe_rtl(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    RtlGetVersion_fn fn = ntdll ? (RtlGetVersion_fn)(void *)GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    OSVERSIONINFOEXW vi;
    LONG st;

    if (!fn) {
        put_missing("rtl.status", GetLastError());
        return 0;
    }
    ZeroMemory(&vi, sizeof vi);
    vi.dwOSVersionInfoSize = sizeof vi;
    st = fn(&vi);
    printf("rtl.status=0x%08lx\n", (unsigned long)st);
    put_kv_u("rtl.major", vi.dwMajorVersion);
    put_kv_u("rtl.minor", vi.dwMinorVersion);
    put_kv_u("rtl.build", vi.dwBuildNumber);
    put_kv_u("rtl.platform", vi.dwPlatformId);
    put_kv_w("rtl.csd", vi.szCSDVersion);
    put_kv_u("rtl.sp_major", vi.wServicePackMajor);
    put_kv_u("rtl.sp_minor", vi.wServicePackMinor);
    printf("rtl.suite_mask=0x%04x\n", (unsigned)vi.wSuiteMask);
    put_kv_u("rtl.product_type", vi.wProductType);
    return 1;
}

/* ---- registry ------------------------------------------------------------ */

static void probe_reg_value(const char *prefix, HKEY root, const WCHAR *path, REGSAM view,
                            const WCHAR *name)
{
    char key[256];
    HKEY h;
    DWORD type = 0, size = 0;
    LONG rc;
    BYTE *data;

    snprintf(key, sizeof key, "%s.", prefix);
    WideCharToMultiByte(CP_UTF8, 0, name, -1, key + strlen(key), (int)(sizeof key - strlen(key)), NULL, NULL);

    rc = RegOpenKeyExW(root, path, 0, KEY_QUERY_VALUE | view, &h);
    if (rc != ERROR_SUCCESS) { put_missing(key, (DWORD)rc); return; }
    rc = RegQueryValueExW(h, name, NULL, &type, NULL, &size);
    if (rc != ERROR_SUCCESS) { put_missing(key, (DWORD)rc); RegCloseKey(h); return; }
    data = (BYTE *)calloc(1, size + 4);
    rc = RegQueryValueExW(h, name, NULL, &type, data, &size);
    RegCloseKey(h);
    if (rc != ERROR_SUCCESS) { put_missing(key, (DWORD)rc); free(data); return; }
    if (type == REG_SZ || type == REG_EXPAND_SZ) {
        put_kv_w(key, (const WCHAR *)data);
    } else if (type == REG_DWORD && size >= 4) {
        printf("%s=0x%lx\n", key, (unsigned long)*(DWORD *)data);
    } else {
        printf("%s=<type %lu, %lu bytes>\n", key, (unsigned long)type, (unsigned long)size);
    }
    free(data);
}

static const WCHAR *const kCurrentVersion = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

static void probe_registry(void)
{
    static const WCHAR *const names[] = {
        L"CurrentVersion", L"CurrentBuildNumber", L"CurrentBuild", L"CSDVersion",
        L"BuildLab", L"BuildLabEx", L"ProductName", L"CurrentMajorVersionNumber",
        L"CurrentMinorVersionNumber", L"UBR",
    };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; ++i)
        probe_reg_value("reg64", HKEY_LOCAL_MACHINE, kCurrentVersion, KEY_WOW64_64KEY, names[i]);
    for (i = 0; i < sizeof names / sizeof names[0]; ++i)
        probe_reg_value("reg32", HKEY_LOCAL_MACHINE, kCurrentVersion, KEY_WOW64_32KEY, names[i]);
    probe_reg_value("reg", HKEY_LOCAL_MACHINE,
                    L"SYSTEM\\CurrentControlSet\\Control\\ProductOptions", 0, L"ProductType");
    probe_reg_value("reg.windows", HKEY_LOCAL_MACHINE,
                    L"SYSTEM\\CurrentControlSet\\Control\\Windows", 0, L"CSDVersion");
}

/* ---- ntoskrnl file version ---------------------------------------------- */

static void probe_file_version(const char *prefix, const WCHAR *path)
{
    char key[128];
    DWORD handle = 0, size;
    void *buf;
    VS_FIXEDFILEINFO *ffi = NULL;
    UINT len = 0;

    snprintf(key, sizeof key, "%s.path", prefix);
    put_kv_w(key, path);
    snprintf(key, sizeof key, "%s.file_version", prefix);
    size = GetFileVersionInfoSizeW(path, &handle);
    if (!size) { put_missing(key, GetLastError()); return; }
    buf = malloc(size);
    if (!GetFileVersionInfoW(path, 0, size, buf)) { put_missing(key, GetLastError()); free(buf); return; }
    if (!VerQueryValueW(buf, L"\\", (void **)&ffi, &len) || !ffi || len < sizeof *ffi) {
        put_missing(key, GetLastError());
        free(buf);
        return;
    }
    printf("%s=%u.%u.%u.%u\n", key,
           (unsigned)HIWORD(ffi->dwFileVersionMS), (unsigned)LOWORD(ffi->dwFileVersionMS),
           (unsigned)HIWORD(ffi->dwFileVersionLS), (unsigned)LOWORD(ffi->dwFileVersionLS));
    snprintf(key, sizeof key, "%s.product_version", prefix);
    printf("%s=%u.%u.%u.%u\n", key,
           (unsigned)HIWORD(ffi->dwProductVersionMS), (unsigned)LOWORD(ffi->dwProductVersionMS),
           (unsigned)HIWORD(ffi->dwProductVersionLS), (unsigned)LOWORD(ffi->dwProductVersionLS));
    free(buf);
}

typedef BOOL (WINAPI *IsWow64Process_fn)(HANDLE, PBOOL);
typedef BOOL (WINAPI *Wow64Disable_fn)(PVOID *);
typedef BOOL (WINAPI *Wow64Revert_fn)(PVOID);

static BOOL is_wow64(void)
{
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    IsWow64Process_fn fn = (IsWow64Process_fn)(void *)GetProcAddress(k32, "IsWow64Process");
    BOOL w = FALSE;
    if (fn && !fn(GetCurrentProcess(), &w)) w = FALSE;
    return w;
}

static void probe_ntoskrnl(BOOL wow64)
{
    WCHAR root[MAX_PATH], path[MAX_PATH + 64];
    UINT n = GetSystemWindowsDirectoryW(root, MAX_PATH);
    if (!n || n >= MAX_PATH) { put_missing("ntoskrnl.system32.file_version", GetLastError()); return; }

    swprintf(path, MAX_PATH + 64, L"%ls\\System32\\ntoskrnl.exe", root);
    probe_file_version("ntoskrnl.system32", path);   /* redirected to SysWOW64 in a WOW64 process */

    if (wow64) {
        HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
        Wow64Disable_fn dis = (Wow64Disable_fn)(void *)GetProcAddress(k32, "Wow64DisableWow64FsRedirection");
        Wow64Revert_fn rev = (Wow64Revert_fn)(void *)GetProcAddress(k32, "Wow64RevertWow64FsRedirection");
        PVOID old = NULL;

        swprintf(path, MAX_PATH + 64, L"%ls\\Sysnative\\ntoskrnl.exe", root);
        probe_file_version("ntoskrnl.sysnative", path);

        swprintf(path, MAX_PATH + 64, L"%ls\\System32\\ntoskrnl.exe", root);
        if (dis && rev && dis(&old)) {
            probe_file_version("ntoskrnl.noredirect", path);
            rev(old);
        } else {
            put_missing("ntoskrnl.noredirect.file_version", GetLastError());
        }
    }
}

/* ---- architecture, names, join ------------------------------------------ */

static const char *arch_name(WORD a)
{
    switch (a) {
    case PROCESSOR_ARCHITECTURE_INTEL: return "x86";
    case PROCESSOR_ARCHITECTURE_AMD64: return "x64";
    case PROCESSOR_ARCHITECTURE_IA64: return "ia64";
    case 12 /* PROCESSOR_ARCHITECTURE_ARM64 */: return "arm64";
    default: return "unknown";
    }
}

static void probe_arch(BOOL wow64)
{
    SYSTEM_INFO si, nsi;
    GetSystemInfo(&si);
    GetNativeSystemInfo(&nsi);
    put_kv_a("arch.process", arch_name(si.wProcessorArchitecture));
    put_kv_a("arch.native", arch_name(nsi.wProcessorArchitecture));
    put_kv_u("arch.wow64", wow64 ? 1 : 0);
}

static void probe_names(void)
{
    static const struct { COMPUTER_NAME_FORMAT f; const char *key; } fmts[] = {
        { ComputerNameNetBIOS, "name.netbios" },
        { ComputerNameDnsHostname, "name.dns_hostname" },
        { ComputerNameDnsDomain, "name.dns_domain" },
        { ComputerNameDnsFullyQualified, "name.dns_fqdn" },
        { ComputerNamePhysicalNetBIOS, "name.physical_netbios" },
        { ComputerNamePhysicalDnsHostname, "name.physical_dns_hostname" },
        { ComputerNamePhysicalDnsDomain, "name.physical_dns_domain" },
        { ComputerNamePhysicalDnsFullyQualified, "name.physical_dns_fqdn" },
    };
    size_t i;
    for (i = 0; i < sizeof fmts / sizeof fmts[0]; ++i) {
        WCHAR buf[512];
        DWORD len = 512;
        if (GetComputerNameExW(fmts[i].f, buf, &len)) put_kv_w(fmts[i].key, buf);
        else put_missing(fmts[i].key, GetLastError());
    }
}

typedef DWORD (WINAPI *NetGetJoinInformation_fn)(LPCWSTR, LPWSTR *, DWORD *);
typedef DWORD (WINAPI *NetApiBufferFree_fn)(LPVOID);

static void probe_join(void)
{
    HMODULE net = LoadLibraryW(L"netapi32.dll");
    NetGetJoinInformation_fn fn = net ? (NetGetJoinInformation_fn)(void *)GetProcAddress(net, "NetGetJoinInformation") : NULL;
    NetApiBufferFree_fn fr = net ? (NetApiBufferFree_fn)(void *)GetProcAddress(net, "NetApiBufferFree") : NULL;
    LPWSTR name = NULL;
    DWORD status = 0, rc;
    static const char *const names[] = { "unknown", "unjoined", "workgroup", "domain" };

    if (!fn) { put_missing("join.rc", GetLastError()); return; }
    rc = fn(NULL, &name, &status);
    put_kv_u("join.rc", rc);
    if (rc != 0) return;
    put_kv_u("join.status", status);
    put_kv_a("join.status_name", status < 4 ? names[status] : "other");
    put_kv_w("join.name", name ? name : L"");
    if (name && fr) fr(name);
}

/* ---- Component Based Servicing packages ---------------------------------- */

static void probe_cbs(void)
{
    const WCHAR *path = L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages";
    HKEY h;
    DWORD i, count = 0;
    LONG rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0,
                            KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE | KEY_WOW64_64KEY, &h);
    if (rc != ERROR_SUCCESS) {
        put_missing("cbs.count", (DWORD)rc);
        return;
    }
    for (i = 0;; ++i) {
        WCHAR name[512];
        char key[700];
        DWORD len = 512, state = 0, size = sizeof state, type = 0;
        HKEY sub;
        rc = RegEnumKeyExW(h, i, name, &len, NULL, NULL, NULL, NULL);
        if (rc == ERROR_NO_MORE_ITEMS) break;
        if (rc != ERROR_SUCCESS) { put_missing("cbs.enum", (DWORD)rc); break; }
        ++count;
        strcpy(key, "cbs.package.");
        WideCharToMultiByte(CP_UTF8, 0, name, -1, key + strlen(key), (int)(sizeof key - strlen(key)), NULL, NULL);
        if (RegOpenKeyExW(h, name, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &sub) == ERROR_SUCCESS) {
            rc = RegQueryValueExW(sub, L"CurrentState", NULL, &type, (BYTE *)&state, &size);
            RegCloseKey(sub);
            if (rc == ERROR_SUCCESS && type == REG_DWORD) printf("%s=0x%lx\n", key, (unsigned long)state);
            else put_missing(key, (DWORD)rc);
        } else {
            put_missing(key, GetLastError());
        }
    }
    RegCloseKey(h);
    put_kv_u("cbs.count", count);
}

int wmain(void)
{
    BOOL wow64;
    int ok;

    _setmode(_fileno(stdout), _O_BINARY);   /* LF, not CRLF: the selftest greps lines */
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);

    put_kv_a("probe", "otharden 2008 host simulator probe");
#ifdef _WIN64
    put_kv_a("probe.bits", "64");
#else
    put_kv_a("probe.bits", "32");
#endif
    wow64 = is_wow64();
    ok = probe_rtl();
    probe_registry();
    probe_arch(wow64);
    probe_ntoskrnl(wow64);
    probe_names();
    probe_join();
    probe_cbs();
    put_kv_a("probe.end", "1");
    fflush(stdout);
    return ok ? 0 : 4;
}
