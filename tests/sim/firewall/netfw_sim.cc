// netfw_sim.cc - otharden 2008 host SIMULATOR: a stand-in for the Windows Firewall COM
// API (NetFwPolicy2 / NetFwRule) inside a Wine prefix. NOT Windows, NOT a firewall: no
// packet is ever filtered. It exists so that otharden.exe's real COM code path
// (CoCreateInstance(CLSID_NetFwPolicy2) -> INetFwPolicy2 / INetFwRules / INetFwRule)
// runs in tests against the documented NT 6.0 semantics, because Wine 8.0's own
// hnetcfg.dll answers E_NOTIMPL (see tests/sim/README.md "Firewall").
//
// - Built by tests/sim/firewall/firewall.sh as C:\windows\system32\hnetcfg.dll (Wine
//   registers CLSID_NetFwPolicy2/CLSID_NetFwRule with InprocServer32 = hnetcfg.dll; on
//   Windows it is FirewallAPI.dll) and loaded only by the apps that get the per-app
//   override AppDefaults\<app>\DllOverrides "hnetcfg"="native"; every other process
//   keeps Wine's builtin (global override "hnetcfg"="builtin").
// - Only the Vista/Server 2008 interfaces: INetFwPolicy2, INetFwRules, INetFwRule.
//   QueryInterface for INetFwRule2/INetFwRule3 (Windows 7+) fails with E_NOINTERFACE,
//   as on 2008.
// - State lives in the local-store registry format and is read back on every call, so
//   `wine reg query`/`wine reg add` and this DLL always agree and state survives
//   process restarts:
//     HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy
//       \FirewallRules   value name = rule id, data = MS-GPFAS 2.2.2.19 rule string
//       \DomainProfile, \StandardProfile (= private), \PublicProfile:
//         EnableFirewall, DefaultInboundAction, DefaultOutboundAction (0 allow, 1 block:
//         MS-GPFAS 2.2.3.16/2.2.3.17), DoNotAllowExceptions (2.2.3.3), DisableNotifications
//         (2.2.3.10), DisableUnicastResponsesToMulticastBroadcast (2.2.3.4),
//         DisabledInterfaces (2.2.3.15)
//   plus the simulator's own settings (never Windows keys) under
//     HKLM\SOFTWARE\otharden-simulator\Firewall (64-bit view): CurrentProfileTypes,
//     RulesRemove (first|all), IndirectStrings\, Interfaces\, FactoryRules\.
// - Every change is appended to C:\otharden-sim\logs\firewall.log.
// The rule-string parser/formatter here is the simulator's own, deliberately
// independent of the toolkit's codec. Sources and confidence of every semantic are in
// tests/sim/README.md ("Firewall").

#include <initguid.h>
#include <windows.h>
#include <ole2.h>
#include <oleauto.h>
#include <netfw.h>

#include <cstdarg>
#include <cstdio>
#include <cwchar>
#include <string>
#include <utility>
#include <vector>

namespace {

const long kProtocolAny = 256;       // NET_FW_IP_PROTOCOL_ANY (missing from MinGW's icftypes.h)
const long kProfilesAll = NET_FW_PROFILE2_ALL;
const long kProfileBits = NET_FW_PROFILE2_DOMAIN | NET_FW_PROFILE2_PRIVATE | NET_FW_PROFILE2_PUBLIC;

const wchar_t kPolicyKey[] =
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy";
const wchar_t kRulesKey[] =
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules";
const wchar_t kSimKey[] = L"SOFTWARE\\otharden-simulator\\Firewall";
const wchar_t kLogFile[] = L"C:\\otharden-sim\\logs\\firewall.log";

// Private interface: lets INetFwRules::Add recognise the simulator's own rule objects.
// {7A1C2E5B-0D4F-4E8A-9B61-3C2F5E8D0A17}
DEFINE_GUID(IID_ISimRuleImpl, 0x7a1c2e5b, 0x0d4f, 0x4e8a, 0x9b, 0x61, 0x3c, 0x2f, 0x5e, 0x8d, 0x0a, 0x17);

volatile LONG g_objects = 0;

// ---------------------------------------------------------------------------------------
// small string helpers
// ---------------------------------------------------------------------------------------
bool ieq(const std::wstring& a, const wchar_t* b) { return lstrcmpiW(a.c_str(), b) == 0; }
bool ieq(const std::wstring& a, const std::wstring& b) { return lstrcmpiW(a.c_str(), b.c_str()) == 0; }

std::wstring trim(const std::wstring& s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == L' ' || s[b] == L'\t')) ++b;
    while (e > b && (s[e - 1] == L' ' || s[e - 1] == L'\t')) --e;
    return s.substr(b, e - b);
}

std::vector<std::wstring> split(const std::wstring& s, const wchar_t* seps) {
    std::vector<std::wstring> out;
    std::wstring cur;
    for (wchar_t c : s) {
        if (wcschr(seps, c)) { out.push_back(cur); cur.clear(); } else cur += c;
    }
    out.push_back(cur);
    return out;
}

std::wstring join(const std::vector<std::wstring>& v, const wchar_t* sep) {
    std::wstring out;
    for (size_t i = 0; i < v.size(); ++i) { if (i) out += sep; out += v[i]; }
    return out;
}

bool all_digits(const std::wstring& s, size_t max_len) {
    if (s.empty() || s.size() > max_len) return false;
    for (wchar_t c : s) if (c < L'0' || c > L'9') return false;
    return true;
}

std::wstring bstr_string(BSTR b) { return b ? std::wstring(b, SysStringLen(b)) : std::wstring(); }

HRESULT out_bstr(BSTR* out, const std::wstring* value) {   // nullptr value -> NULL BSTR
    if (!out) return E_POINTER;
    *out = nullptr;
    if (!value) return S_OK;
    *out = SysAllocStringLen(value->data(), static_cast<UINT>(value->size()));
    return *out ? S_OK : E_OUTOFMEMORY;
}

std::string utf8(const std::wstring& w) {
    if (w.empty()) return std::string();
    int n = WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
    std::string s(n > 0 ? n : 0, '\0');
    if (n > 0) WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), &s[0], n, nullptr, nullptr);
    return s;
}

// ---------------------------------------------------------------------------------------
// the simulator's change log (C:\otharden-sim\logs\firewall.log, UTF-8, LF)
// ---------------------------------------------------------------------------------------
void sim_log(const std::wstring& what) {
    HANDLE h = CreateFileW(kLogFile, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) return;        // no log directory: not a simulated host
    wchar_t exe[MAX_PATH] = L"?";
    GetModuleFileNameW(nullptr, exe, MAX_PATH);
    const wchar_t* base = wcsrchr(exe, L'\\');
    SYSTEMTIME t;
    GetLocalTime(&t);
    wchar_t head[128];
    _snwprintf(head, 127, L"%02u:%02u:%02u.%03u pid=%lu exe=%ls ", t.wHour, t.wMinute, t.wSecond,
               t.wMilliseconds, GetCurrentProcessId(), base ? base + 1 : exe);
    head[127] = 0;
    std::string line = utf8(head) + utf8(what) + "\n";
    DWORD written = 0;
    WriteFile(h, line.data(), static_cast<DWORD>(line.size()), &written, nullptr);
    CloseHandle(h);
}

// ---------------------------------------------------------------------------------------
// registry access (Reg* return error codes; missing values are "absent", not errors)
// ---------------------------------------------------------------------------------------
// The simulator's own key (under SOFTWARE) is read in the 64-bit view from 32-bit processes too.
REGSAM view(const wchar_t* path) { return wcsncmp(path, L"SOFTWARE", 8) == 0 ? KEY_WOW64_64KEY : 0; }

class Key {
 public:
    Key() = default;
    ~Key() { if (h_) RegCloseKey(h_); }
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
    LONG open(const std::wstring& path, bool write, bool create) {
        REGSAM sam = (write ? KEY_READ | KEY_WRITE : KEY_READ) | view(path.c_str());
        if (create)
            return RegCreateKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, nullptr, 0, sam, nullptr, &h_, nullptr);
        return RegOpenKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, sam, &h_);
    }
    HKEY get() const { return h_; }
 private:
    HKEY h_ = nullptr;
};

// REG_SZ/REG_EXPAND_SZ value; the data may lack its terminating NUL: always bounded.
bool read_string(HKEY key, const wchar_t* name, std::wstring* out) {
    DWORD type = 0, size = 0;
    if (RegQueryValueExW(key, name, nullptr, &type, nullptr, &size) != ERROR_SUCCESS) return false;
    if (type != REG_SZ && type != REG_EXPAND_SZ) return false;
    std::vector<wchar_t> buf(size / sizeof(wchar_t) + 1, L'\0');
    if (RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE*>(buf.data()), &size) != ERROR_SUCCESS)
        return false;
    size_t n = size / sizeof(wchar_t);
    while (n > 0 && buf[n - 1] == L'\0') --n;
    out->assign(buf.data(), n);
    return true;
}

bool get_string(const std::wstring& path, const std::wstring& name, std::wstring* out) {
    Key k;
    if (k.open(path, false, false) != ERROR_SUCCESS) return false;
    return read_string(k.get(), name.c_str(), out);
}

LONG set_string(const std::wstring& path, const std::wstring& name, const std::wstring& value) {
    Key k;
    LONG rc = k.open(path, true, true);
    if (rc != ERROR_SUCCESS) return rc;
    return RegSetValueExW(k.get(), name.c_str(), 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()),
                          static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
}

bool get_dword(const std::wstring& path, const wchar_t* name, DWORD* out) {
    Key k;
    if (k.open(path, false, false) != ERROR_SUCCESS) return false;
    DWORD type = 0, v = 0, size = sizeof v;
    if (RegQueryValueExW(k.get(), name, nullptr, &type, reinterpret_cast<BYTE*>(&v), &size) != ERROR_SUCCESS ||
        type != REG_DWORD || size != sizeof v)
        return false;
    *out = v;
    return true;
}

LONG set_dword(const std::wstring& path, const wchar_t* name, DWORD v) {
    Key k;
    LONG rc = k.open(path, true, true);
    if (rc != ERROR_SUCCESS) return rc;
    return RegSetValueExW(k.get(), name, 0, REG_DWORD, reinterpret_cast<const BYTE*>(&v), sizeof v);
}

LONG delete_value(const std::wstring& path, const std::wstring& name) {
    Key k;
    LONG rc = k.open(path, true, false);
    if (rc != ERROR_SUCCESS) return rc;
    return RegDeleteValueW(k.get(), name.c_str());
}

// All string values of a key, in registry enumeration order.
std::vector<std::pair<std::wstring, std::wstring>> enum_strings(const std::wstring& path) {
    std::vector<std::pair<std::wstring, std::wstring>> out;
    Key k;
    if (k.open(path, false, false) != ERROR_SUCCESS) return out;
    DWORD max_name = 0;
    if (RegQueryInfoKeyW(k.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &max_name,
                         nullptr, nullptr, nullptr) != ERROR_SUCCESS)
        return out;
    std::vector<wchar_t> name(max_name + 2);
    for (DWORD i = 0;; ++i) {
        DWORD len = static_cast<DWORD>(name.size());
        LONG rc = RegEnumValueW(k.get(), i, name.data(), &len, nullptr, nullptr, nullptr, nullptr);
        if (rc == ERROR_NO_MORE_ITEMS) break;
        if (rc != ERROR_SUCCESS) continue;
        std::wstring n(name.data(), len), v;
        if (read_string(k.get(), n.c_str(), &v)) out.emplace_back(n, v);
    }
    return out;
}

HRESULT hr_from(LONG rc) { return rc == ERROR_SUCCESS ? S_OK : HRESULT_FROM_WIN32(rc); }

// ---------------------------------------------------------------------------------------
// simulator settings
// ---------------------------------------------------------------------------------------
std::wstring sim_subkey(const wchar_t* sub) { return std::wstring(kSimKey) + L"\\" + sub; }

// "@FirewallAPI.dll,-28511" -> the string a 2008 host shows (IndirectStrings table);
// anything else, or an unknown indirect string, is returned as it is.
std::wstring resolve_indirect(const std::wstring& s) {
    std::wstring r;
    if (!s.empty() && s[0] == L'@' && get_string(sim_subkey(L"IndirectStrings"), s, &r)) return r;
    return s;
}

// simulated network adapters: friendly name -> "{GUID}" (Interfaces table)
std::vector<std::pair<std::wstring, std::wstring>> sim_interfaces() { return enum_strings(sim_subkey(L"Interfaces")); }

// ---------------------------------------------------------------------------------------
// the rule string (MS-GPFAS 2.2.2.19): parse and format
// ---------------------------------------------------------------------------------------
struct Rule {
    std::wstring version = L"v2.0";   // kept as read; new rules are v2.0 (NT 6.0)
    long action = NET_FW_ACTION_ALLOW;
    bool active = false;              // "If the Active= token does not appear ... false"
    long dir = NET_FW_RULE_DIR_IN;
    long protocol = kProtocolAny;     // no Protocol= token: any (256)
    long profiles = 0;                // Profile= bits; none: all profiles
    std::vector<std::wstring> lport, rport, icmp4, icmp6, la4, la6, ra4, ra6, ifs, iftypes;
    std::wstring app, svc, name, desc, ctx;
    int edge = -1;                    // -1: no Edge= token
    std::vector<std::wstring> extra;  // tokens this simulator does not interpret, verbatim

    long profile_mask() const { return profiles ? profiles : kProfilesAll; }
};

bool parse_bool(const std::wstring& v, bool* out) {
    if (ieq(v, L"TRUE")) { *out = true; return true; }
    if (ieq(v, L"FALSE")) { *out = false; return true; }
    return false;
}

// Tolerant: unknown tokens (newer schema versions, IPsec fields) are kept verbatim in
// `extra`. A bad value of a field the API exposes makes the whole string invalid: such a
// value is not a rule for the API (prefer no result to a wrong result).
bool parse_rule(const std::wstring& s, Rule* r) {
    *r = Rule();
    std::vector<std::wstring> tok = split(s, L"|");
    if (tok.size() < 2 || tok[0].size() < 4 || (tok[0][0] != L'v' && tok[0][0] != L'V')) return false;
    {
        std::vector<std::wstring> ver = split(tok[0].substr(1), L".");
        if (ver.size() != 2 || !all_digits(ver[0], 3) || !all_digits(ver[1], 3)) return false;
    }
    r->version = tok[0];
    for (size_t i = 1; i < tok.size(); ++i) {
        const std::wstring& t = tok[i];
        if (t.empty()) continue;             // the final "|" leaves an empty token
        size_t eq = t.find(L'=');
        if (eq == std::wstring::npos) { r->extra.push_back(t); continue; }
        std::wstring k = t.substr(0, eq), v = t.substr(eq + 1);
        if (ieq(k, L"Action")) {
            if (ieq(v, L"Allow") || ieq(v, L"ByPass")) r->action = NET_FW_ACTION_ALLOW;
            else if (ieq(v, L"Block")) r->action = NET_FW_ACTION_BLOCK;
            else return false;
        } else if (ieq(k, L"Active")) {
            if (!parse_bool(v, &r->active)) return false;
        } else if (ieq(k, L"Dir")) {
            if (ieq(v, L"In")) r->dir = NET_FW_RULE_DIR_IN;
            else if (ieq(v, L"Out")) r->dir = NET_FW_RULE_DIR_OUT;
            else return false;
        } else if (ieq(k, L"Protocol")) {
            if (!all_digits(v, 3) || _wtoi(v.c_str()) > 255) return false;
            r->protocol = _wtoi(v.c_str());
        } else if (ieq(k, L"Profile")) {
            if (ieq(v, L"Domain")) r->profiles |= NET_FW_PROFILE2_DOMAIN;
            else if (ieq(v, L"Private")) r->profiles |= NET_FW_PROFILE2_PRIVATE;
            else if (ieq(v, L"Public")) r->profiles |= NET_FW_PROFILE2_PUBLIC;
            else return false;
        } else if (ieq(k, L"LPort")) r->lport.push_back(v);
        else if (ieq(k, L"RPort")) r->rport.push_back(v);
        else if (ieq(k, L"ICMP4")) r->icmp4.push_back(v);
        else if (ieq(k, L"ICMP6")) r->icmp6.push_back(v);
        else if (ieq(k, L"LA4")) r->la4.push_back(v);
        else if (ieq(k, L"LA6")) r->la6.push_back(v);
        else if (ieq(k, L"RA4")) r->ra4.push_back(v);
        else if (ieq(k, L"RA6")) r->ra6.push_back(v);
        else if (ieq(k, L"IF")) r->ifs.push_back(v);
        else if (ieq(k, L"IFType")) r->iftypes.push_back(v);
        else if (ieq(k, L"App")) r->app = v;
        else if (ieq(k, L"Svc")) r->svc = v;
        else if (ieq(k, L"Name")) r->name = v;
        else if (ieq(k, L"Desc")) r->desc = v;
        else if (ieq(k, L"EmbedCtxt")) r->ctx = v;
        else if (ieq(k, L"Edge")) {
            bool b = false;
            if (!parse_bool(v, &b)) return false;
            r->edge = b ? 1 : 0;
        } else r->extra.push_back(t);
    }
    return true;
}

// Field order as Windows writes local-store rules (Action, Active, Dir, Protocol,
// Profile, ports/ICMP, addresses, App, Svc, Name, Desc, EmbedCtxt, Edge); tokens this
// simulator does not interpret follow, in their original order.
std::wstring format_rule(const Rule& r) {
    std::wstring s = r.version + L"|";
    auto add = [&s](const wchar_t* k, const std::wstring& v) { s += k; s += L'='; s += v; s += L'|'; };
    auto add_all = [&add](const wchar_t* k, const std::vector<std::wstring>& v) { for (auto& x : v) add(k, x); };
    add(L"Action", r.action == NET_FW_ACTION_BLOCK ? L"Block" : L"Allow");
    add(L"Active", r.active ? L"TRUE" : L"FALSE");
    add(L"Dir", r.dir == NET_FW_RULE_DIR_OUT ? L"Out" : L"In");
    if (r.protocol != kProtocolAny) add(L"Protocol", std::to_wstring(r.protocol));
    if (r.profiles & NET_FW_PROFILE2_DOMAIN) add(L"Profile", L"Domain");
    if (r.profiles & NET_FW_PROFILE2_PRIVATE) add(L"Profile", L"Private");
    if (r.profiles & NET_FW_PROFILE2_PUBLIC) add(L"Profile", L"Public");
    add_all(L"LPort", r.lport);
    add_all(L"RPort", r.rport);
    add_all(L"ICMP4", r.icmp4);
    add_all(L"ICMP6", r.icmp6);
    add_all(L"LA4", r.la4);
    add_all(L"LA6", r.la6);
    add_all(L"RA4", r.ra4);
    add_all(L"RA6", r.ra6);
    if (!r.app.empty()) add(L"App", r.app);
    if (!r.svc.empty()) add(L"Svc", r.svc);
    add_all(L"IF", r.ifs);
    add_all(L"IFType", r.iftypes);
    if (!r.name.empty()) add(L"Name", r.name);
    if (!r.desc.empty()) add(L"Desc", r.desc);
    if (!r.ctx.empty()) add(L"EmbedCtxt", r.ctx);
    if (r.edge >= 0) add(L"Edge", r.edge ? L"TRUE" : L"FALSE");
    for (auto& x : r.extra) { s += x; s += L'|'; }
    return s;
}

// ---------------------------------------------------------------------------------------
// property values: validation and conversion between the API and the rule string
// ---------------------------------------------------------------------------------------
bool is_ip_proto_with_ports(long p) { return p == NET_FW_IP_PROTOCOL_TCP || p == NET_FW_IP_PROTOCOL_UDP; }
bool is_icmp(long p) { return p == 1 || p == 58; }

// "", "*" or NULL clear a list property.
bool is_any(const std::wstring& s) { std::wstring t = trim(s); return t.empty() || t == L"*"; }

// LocalPorts/RemotePorts: comma-separated port numbers; local ports also take the
// keywords RPC, RPC-EPMap (TCP) and Teredo (UDP). Port ranges are refused: the NT 6.0
// schema (v2.0) has only single ports (LPort=/RPort= PORT-VAL; ranges are the v2.10
// LPort2_10=/RPort2_10= tokens, MS-GPFAS 2.2.2.2/2.2.2.19).
HRESULT parse_ports(const std::wstring& in, long protocol, bool local, std::vector<std::wstring>* out) {
    out->clear();
    if (is_any(in)) return S_OK;
    if (!is_ip_proto_with_ports(protocol)) return E_INVALIDARG;   // "Protocol must be set before LocalPorts"
    for (auto& raw : split(in, L",")) {
        std::wstring t = trim(raw);
        if (all_digits(t, 5) && _wtoi(t.c_str()) <= 65535) { out->push_back(std::to_wstring(_wtoi(t.c_str()))); continue; }
        if (local && protocol == NET_FW_IP_PROTOCOL_TCP && ieq(t, L"RPC")) { out->push_back(L"RPC"); continue; }
        if (local && protocol == NET_FW_IP_PROTOCOL_TCP && ieq(t, L"RPC-EPMap")) { out->push_back(L"RPC-EPMap"); continue; }
        if (local && protocol == NET_FW_IP_PROTOCOL_UDP && ieq(t, L"Teredo")) { out->push_back(L"Teredo"); continue; }
        return E_INVALIDARG;
    }
    return S_OK;
}

// IcmpTypesAndCodes: "type:code" pairs (code a number or "*"), separated by ";" (the
// documented separator) or ","; "*" = all types and codes. Needs Protocol 1 or 58.
HRESULT parse_icmp(const std::wstring& in, long protocol, std::vector<std::wstring>* out) {
    out->clear();
    if (is_any(in)) return S_OK;
    if (!is_icmp(protocol)) return E_INVALIDARG;
    for (auto& raw : split(in, L";,")) {
        std::vector<std::wstring> tc = split(trim(raw), L":");
        if (tc.size() != 2 || !all_digits(tc[0], 3) || _wtoi(tc[0].c_str()) > 255) return E_INVALIDARG;
        std::wstring code = tc[1];
        if (code != L"*" && (!all_digits(code, 3) || _wtoi(code.c_str()) > 255)) return E_INVALIDARG;
        out->push_back(std::to_wstring(_wtoi(tc[0].c_str())) + L":" + (code == L"*" ? code : std::to_wstring(_wtoi(code.c_str()))));
    }
    return S_OK;
}

bool parse_v4(const std::wstring& s, DWORD* addr) {
    std::vector<std::wstring> p = split(s, L".");
    if (p.size() != 4) return false;
    DWORD a = 0;
    for (auto& x : p) {
        if (!all_digits(x, 3) || _wtoi(x.c_str()) > 255) return false;
        a = (a << 8) | static_cast<DWORD>(_wtoi(x.c_str()));
    }
    *addr = a;
    return true;
}

std::wstring format_v4(DWORD a) {
    return std::to_wstring(a >> 24) + L"." + std::to_wstring((a >> 16) & 255) + L"." +
           std::to_wstring((a >> 8) & 255) + L"." + std::to_wstring(a & 255);
}

DWORD prefix_mask(int bits) { return bits <= 0 ? 0 : bits >= 32 ? 0xFFFFFFFFu : ~((1u << (32 - bits)) - 1); }

// An IPv6 address as RFC 4291 text (hex groups, one "::", optional trailing dotted quad).
bool parse_v6(const std::wstring& s) {
    if (s.empty() || s.size() > 45) return false;
    size_t dbl = s.find(L"::");
    if (dbl != std::wstring::npos && s.find(L"::", dbl + 1) != std::wstring::npos) return false;
    std::vector<std::wstring> groups = split(s, L":");
    int count = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
        const std::wstring& g = groups[i];
        if (g.empty()) continue;                     // part of "::" (checked above) or leading/trailing ':'
        if (i + 1 == groups.size() && g.find(L'.') != std::wstring::npos) {
            DWORD v4;
            if (!parse_v4(g, &v4)) return false;
            count += 2;
            continue;
        }
        if (g.size() > 4) return false;
        for (wchar_t c : g) if (!iswxdigit(c)) return false;
        ++count;
    }
    if (dbl == std::wstring::npos) {
        if (count != 8) return false;
        if (s.front() == L':' || s.back() == L':') return false;
    } else {
        if (count > 7) return false;
        if ((s.front() == L':' && s.compare(0, 2, L"::") != 0) ||
            (s.back() == L':' && s.compare(s.size() - 2, 2, L"::") != 0))
            return false;
    }
    return true;
}

const wchar_t* const kAddressKeywords[] = {L"LocalSubnet", L"DNS", L"DHCP", L"WINS", L"DefaultGateway"};

// LocalAddresses/RemoteAddresses (documented token list; stored as LA4/LA6/RA4/RA6,
// MS-GPFAS 2.2.2.9-2.2.2.13): "*" alone, keywords (remote only: the v2.0 grammar has no
// keyword for LA4/LA6), IPv4 address, range "a-b", subnet "a/bits" or "a/mask" (stored
// with a dotted mask), IPv6 address, range or "addr/bits".
HRESULT parse_addresses(const std::wstring& in, bool remote, std::vector<std::wstring>* v4,
                        std::vector<std::wstring>* v6) {
    v4->clear();
    v6->clear();
    std::wstring all = trim(in);
    if (all.empty() || all == L"*") return S_OK;
    for (auto& raw : split(all, L",")) {
        std::wstring t = trim(raw);
        if (t.empty() || t == L"*") return E_INVALIDARG;   // "*" must be the only token
        bool keyword = false;
        for (const wchar_t* k : kAddressKeywords) {
            if (ieq(t, k)) {
                if (!remote) return E_INVALIDARG;
                v4->push_back(k);
                v6->push_back(k);
                keyword = true;
                break;
            }
        }
        if (keyword) continue;
        if (t.find(L':') != std::wstring::npos) {            // IPv6
            size_t dash = t.find(L'-'), slash = t.find(L'/');
            if (dash != std::wstring::npos) {
                if (!parse_v6(t.substr(0, dash)) || !parse_v6(t.substr(dash + 1))) return E_INVALIDARG;
            } else if (slash != std::wstring::npos) {
                std::wstring bits = t.substr(slash + 1);
                if (!parse_v6(t.substr(0, slash)) || !all_digits(bits, 3) || _wtoi(bits.c_str()) > 128) return E_INVALIDARG;
            } else if (!parse_v6(t)) {
                return E_INVALIDARG;
            }
            for (auto& c : t) c = static_cast<wchar_t>(towlower(c));
            v6->push_back(t);
            continue;
        }
        DWORD a = 0, b = 0;
        size_t dash = t.find(L'-'), slash = t.find(L'/');
        if (dash != std::wstring::npos) {
            if (!parse_v4(t.substr(0, dash), &a) || !parse_v4(t.substr(dash + 1), &b) || a > b) return E_INVALIDARG;
            v4->push_back(format_v4(a) + L"-" + format_v4(b));
        } else if (slash != std::wstring::npos) {
            std::wstring m = t.substr(slash + 1);
            DWORD mask = 0;
            if (!parse_v4(t.substr(0, slash), &a)) return E_INVALIDARG;
            if (all_digits(m, 2)) {
                int bits = _wtoi(m.c_str());
                if (bits < 1 || bits > 32) return E_INVALIDARG;
                mask = prefix_mask(bits);
            } else if (!parse_v4(m, &mask) || mask == 0 || (~mask & (~mask + 1)) != 0) {
                return E_INVALIDARG;                           // not a contiguous mask
            }
            v4->push_back(format_v4(a) + L"/" + format_v4(mask));
        } else {
            if (!parse_v4(t, &a)) return E_INVALIDARG;
            v4->push_back(format_v4(a));
        }
    }
    return S_OK;
}

// The API's view of stored addresses: "*" when none; keywords once (they are stored for
// both families); a single IPv4 address as "a/255.255.255.255" (its default mask, as the
// documentation describes it); "a/bits" as "a/mask".
std::wstring show_addresses(const std::vector<std::wstring>& v4, const std::vector<std::wstring>& v6) {
    std::vector<std::wstring> out;
    auto seen = [&out](const std::wstring& t) {
        for (auto& o : out) if (ieq(o, t)) return true;
        return false;
    };
    for (auto& t : v4) {
        bool keyword = false;
        for (const wchar_t* k : kAddressKeywords) if (ieq(t, k)) { if (!seen(k)) out.push_back(k); keyword = true; }
        if (keyword) continue;
        DWORD a = 0;
        size_t slash = t.find(L'/');
        if (t.find(L'-') == std::wstring::npos && slash == std::wstring::npos && parse_v4(t, &a)) {
            out.push_back(format_v4(a) + L"/255.255.255.255");
        } else if (slash != std::wstring::npos && all_digits(t.substr(slash + 1), 2) && parse_v4(t.substr(0, slash), &a)) {
            out.push_back(format_v4(a) + L"/" + format_v4(prefix_mask(_wtoi(t.substr(slash + 1).c_str()))));
        } else {
            out.push_back(t);
        }
    }
    for (auto& t : v6) {
        bool keyword = false;
        for (const wchar_t* k : kAddressKeywords) if (ieq(t, k)) { if (!seen(k)) out.push_back(k); keyword = true; }
        if (!keyword) out.push_back(t);
    }
    return out.empty() ? std::wstring(L"*") : join(out, L",");
}

// InterfaceTypes: "All" or a comma list of RemoteAccess, Wireless, Lan (IFType= tokens,
// MS-GPFAS 2.2.2.8).
HRESULT parse_iftypes(const std::wstring& in, std::vector<std::wstring>* out) {
    out->clear();
    std::wstring all = trim(in);
    if (all.empty() || ieq(all, L"All")) return S_OK;
    for (auto& raw : split(all, L",")) {
        std::wstring t = trim(raw);
        if (ieq(t, L"RemoteAccess")) out->push_back(L"RemoteAccess");
        else if (ieq(t, L"Wireless")) out->push_back(L"Wireless");
        else if (ieq(t, L"Lan")) out->push_back(L"Lan");
        else return E_INVALIDARG;
    }
    return S_OK;
}

bool has_bar(const std::wstring& s) { return s.find(L'|') != std::wstring::npos; }

// Interfaces / ExcludedInterfaces: VT_EMPTY clears; otherwise an array of friendly names
// (VT_ARRAY of VT_VARIANT holding VT_BSTR, or of VT_BSTR) of the simulated adapters.
HRESULT names_to_guids(const VARIANT& v, std::vector<std::wstring>* guids) {
    guids->clear();
    if (V_VT(&v) == VT_EMPTY || V_VT(&v) == VT_NULL) return S_OK;
    if (!(V_VT(&v) & VT_ARRAY) || !V_ARRAY(&v)) return E_INVALIDARG;
    VARTYPE elem = V_VT(&v) & VT_TYPEMASK;
    if (elem != VT_VARIANT && elem != VT_BSTR) return E_INVALIDARG;
    SAFEARRAY* sa = V_ARRAY(&v);
    LONG lo = 0, hi = -1;
    if (SafeArrayGetDim(sa) != 1 || FAILED(SafeArrayGetLBound(sa, 1, &lo)) || FAILED(SafeArrayGetUBound(sa, 1, &hi)))
        return E_INVALIDARG;
    auto adapters = sim_interfaces();
    for (LONG i = lo; i <= hi; ++i) {
        std::wstring name;
        if (elem == VT_VARIANT) {
            VARIANT e;
            VariantInit(&e);
            if (FAILED(SafeArrayGetElement(sa, &i, &e))) return E_INVALIDARG;
            if (V_VT(&e) != VT_BSTR) { VariantClear(&e); return E_INVALIDARG; }
            name = bstr_string(V_BSTR(&e));
            VariantClear(&e);
        } else {
            BSTR b = nullptr;
            if (FAILED(SafeArrayGetElement(sa, &i, &b))) return E_INVALIDARG;
            name = bstr_string(b);
            SysFreeString(b);
        }
        bool found = false;
        for (auto& a : adapters) if (ieq(a.first, name)) { guids->push_back(a.second); found = true; break; }
        if (!found) return E_INVALIDARG;       // no such adapter on the simulated host
    }
    return S_OK;
}

HRESULT guids_to_names(const std::vector<std::wstring>& guids, VARIANT* out) {
    if (!out) return E_POINTER;
    VariantInit(out);
    if (guids.empty()) return S_OK;            // VT_EMPTY
    auto adapters = sim_interfaces();
    SAFEARRAY* sa = SafeArrayCreateVector(VT_VARIANT, 0, static_cast<ULONG>(guids.size()));
    if (!sa) return E_OUTOFMEMORY;
    for (LONG i = 0; i < static_cast<LONG>(guids.size()); ++i) {
        std::wstring name = guids[i];
        for (auto& a : adapters) if (ieq(a.second, guids[i])) { name = a.first; break; }
        VARIANT e;
        VariantInit(&e);
        V_VT(&e) = VT_BSTR;
        V_BSTR(&e) = SysAllocString(name.c_str());
        SafeArrayPutElement(sa, &i, &e);
        VariantClear(&e);
    }
    V_VT(out) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(out) = sa;
    return S_OK;
}

// ---------------------------------------------------------------------------------------
// the rule store
// ---------------------------------------------------------------------------------------
struct StoredRule { std::wstring id; Rule rule; };

std::vector<StoredRule> load_all_rules() {
    std::vector<StoredRule> out;
    for (auto& v : enum_strings(kRulesKey)) {
        StoredRule s;
        s.id = v.first;
        if (parse_rule(v.second, &s.rule)) out.push_back(std::move(s));
    }
    return out;
}

// Rules are looked up by the name the API shows (indirect strings resolved) or by the
// stored Name= text, ignoring case.
bool name_matches(const Rule& r, const std::wstring& name) {
    return !r.name.empty() && (ieq(r.name, name) || ieq(resolve_indirect(r.name), name));
}

bool group_matches(const Rule& r, const std::wstring& group) {
    return !r.ctx.empty() && (ieq(r.ctx, group) || ieq(resolve_indirect(r.ctx), group) ||
                              ieq(r.ctx, resolve_indirect(group)));
}

HRESULT store_rule(const std::wstring& id, const Rule& r, const wchar_t* op) {
    std::wstring s = format_rule(r);
    LONG rc = set_string(kRulesKey, id, s);
    sim_log(std::wstring(L"op=") + op + L" id=" + id + L" rc=" + std::to_wstring(rc) + L" rule=" + s);
    return hr_from(rc);
}

std::wstring new_rule_id() {
    GUID g;
    wchar_t buf[64] = L"";
    if (FAILED(CoCreateGuid(&g)) || !StringFromGUID2(g, buf, 64)) {
        _snwprintf(buf, 63, L"{otharden-sim-%lu-%lu}", GetCurrentProcessId(), GetTickCount());
        buf[63] = 0;
    }
    return buf;
}

// ---------------------------------------------------------------------------------------
// COM plumbing
// ---------------------------------------------------------------------------------------
#define SIM_IUNKNOWN_REFCOUNT                                                                \
    ULONG STDMETHODCALLTYPE AddRef() override { return InterlockedIncrement(&ref_); }       \
    ULONG STDMETHODCALLTYPE Release() override {                                           \
        LONG r = InterlockedDecrement(&ref_);                                              \
        if (r == 0) delete this;                                                           \
        return r;                                                                          \
    }

// IDispatch is minimal: otharden (like any C++ client) calls the vtable directly.
#define SIM_IDISPATCH_MINIMAL                                                                \
    HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT* n) override {                          \
        if (!n) return E_POINTER;                                                           \
        *n = 0;                                                                             \
        return S_OK;                                                                        \
    }                                                                                       \
    HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo** t) override {             \
        if (t) *t = nullptr;                                                                \
        return E_NOTIMPL;                                                                   \
    }                                                                                       \
    HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT, LCID, DISPID*) override { return E_NOTIMPL; } \
    HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*, EXCEPINFO*, UINT*) override { \
        return E_NOTIMPL;                                                                   \
    }

class Counted {
 protected:
    Counted() { InterlockedIncrement(&g_objects); }
    ~Counted() { InterlockedDecrement(&g_objects); }
};

VARIANT_BOOL vb(bool b) { return b ? VARIANT_TRUE : VARIANT_FALSE; }

// ---------------------------------------------------------------------------------------
// NetFwRule: a rule object. Created detached (CoCreateInstance(CLSID_NetFwRule)); bound
// to a stored rule id by INetFwRules::Add, Item or enumeration. A bound object reads the
// registry on every get and writes through on every put ("All configuration changes
// take place immediately", INetFwRule remarks); each put is validated as a whole rule
// ("Each time you change a property of a rule, Windows Firewall commits the rule and
// verifies it for correctness").
// ---------------------------------------------------------------------------------------
class SimRule final : public INetFwRule, private Counted {
 public:
    SimRule() = default;
    explicit SimRule(const StoredRule& s) : bound_(true), id_(s.id), cache_(s.rule) {}

    bool bound() const { return bound_; }
    const std::wstring& id() const { return id_; }
    void bind(const std::wstring& id) { bound_ = true; id_ = id; }

    // Current state: the stored rule for a bound object (or the last state seen, when it
    // was deleted meanwhile: then `gone` is true), else the detached data.
    HRESULT load(Rule* r, bool* gone = nullptr) {
        if (gone) *gone = false;
        if (bound_) {
            std::wstring s;
            Rule fresh;
            if (!get_string(kRulesKey, id_, &s)) {
                if (!gone) return HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND);
                *gone = true;
            } else if (!parse_rule(s, &fresh)) {
                return HRESULT_FROM_WIN32(ERROR_INVALID_DATA);
            } else {
                cache_ = fresh;
            }
        }
        *r = cache_;
        return S_OK;
    }

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (!out) return E_POINTER;
        *out = nullptr;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_INetFwRule) ||
            IsEqualIID(riid, IID_ISimRuleImpl)) {
            *out = static_cast<INetFwRule*>(this);
            AddRef();
            return S_OK;
        }
        return E_NOINTERFACE;       // INetFwRule2/INetFwRule3 are Windows 7+: absent on 2008
    }
    SIM_IUNKNOWN_REFCOUNT
    SIM_IDISPATCH_MINIMAL

    // INetFwRule: getters
    HRESULT STDMETHODCALLTYPE get_Name(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = resolve_indirect(r.name); return !r.name.empty(); });
    }
    HRESULT STDMETHODCALLTYPE get_Description(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = resolve_indirect(r.desc); return !r.desc.empty(); });
    }
    HRESULT STDMETHODCALLTYPE get_ApplicationName(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = r.app; return !r.app.empty(); });
    }
    HRESULT STDMETHODCALLTYPE get_ServiceName(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = r.svc; return !r.svc.empty(); });
    }
    HRESULT STDMETHODCALLTYPE get_LocalPorts(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) {
            *s = r.lport.empty() ? L"*" : join(r.lport, L",");
            return is_ip_proto_with_ports(r.protocol);     // not applicable: NULL
        });
    }
    HRESULT STDMETHODCALLTYPE get_RemotePorts(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) {
            *s = r.rport.empty() ? L"*" : join(r.rport, L",");
            return is_ip_proto_with_ports(r.protocol);
        });
    }
    HRESULT STDMETHODCALLTYPE get_LocalAddresses(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = show_addresses(r.la4, r.la6); return true; });
    }
    HRESULT STDMETHODCALLTYPE get_RemoteAddresses(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = show_addresses(r.ra4, r.ra6); return true; });
    }
    HRESULT STDMETHODCALLTYPE get_IcmpTypesAndCodes(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) {
            const auto& list = r.protocol == 58 ? r.icmp6 : r.icmp4;
            *s = list.empty() ? L"*" : join(list, L",");
            return is_icmp(r.protocol);
        });
    }
    HRESULT STDMETHODCALLTYPE get_InterfaceTypes(BSTR* v) override {
        return get_string_prop(v, [](const Rule& r, std::wstring* s) {
            *s = r.iftypes.empty() ? L"All" : join(r.iftypes, L",");
            return true;
        });
    }
    HRESULT STDMETHODCALLTYPE get_Grouping(BSTR* v) override {
        // the stored text (an indirect string stays indirect, unlike Name/Description)
        return get_string_prop(v, [](const Rule& r, std::wstring* s) { *s = r.ctx; return !r.ctx.empty(); });
    }
    HRESULT STDMETHODCALLTYPE get_Protocol(LONG* v) override { return get_value(v, [](const Rule& r) { return r.protocol; }); }
    HRESULT STDMETHODCALLTYPE get_Profiles(LONG* v) override { return get_value(v, [](const Rule& r) { return r.profile_mask(); }); }
    HRESULT STDMETHODCALLTYPE get_Direction(NET_FW_RULE_DIRECTION* v) override {
        return get_value(v, [](const Rule& r) { return static_cast<NET_FW_RULE_DIRECTION>(r.dir); });
    }
    HRESULT STDMETHODCALLTYPE get_Action(NET_FW_ACTION* v) override {
        return get_value(v, [](const Rule& r) { return static_cast<NET_FW_ACTION>(r.action); });
    }
    HRESULT STDMETHODCALLTYPE get_Enabled(VARIANT_BOOL* v) override { return get_value(v, [](const Rule& r) { return vb(r.active); }); }
    HRESULT STDMETHODCALLTYPE get_EdgeTraversal(VARIANT_BOOL* v) override {
        return get_value(v, [](const Rule& r) { return vb(r.edge > 0); });
    }
    HRESULT STDMETHODCALLTYPE get_Interfaces(VARIANT* v) override {
        if (!v) return E_POINTER;
        VariantInit(v);
        Rule r;
        HRESULT hr = load(&r);
        return FAILED(hr) ? hr : guids_to_names(r.ifs, v);
    }

    // INetFwRule: setters
    HRESULT STDMETHODCALLTYPE put_Name(BSTR v) override {
        std::wstring s = bstr_string(v);
        if (s.empty() || has_bar(s) || ieq(s, L"all")) return E_INVALIDARG;   // "must not contain a | and must not be all"
        return update(L"put_Name", [&s](Rule* r) { r->name = s; return S_OK; });
    }
    HRESULT STDMETHODCALLTYPE put_Description(BSTR v) override { return put_text(L"put_Description", v, &Rule::desc); }
    HRESULT STDMETHODCALLTYPE put_ApplicationName(BSTR v) override { return put_text(L"put_ApplicationName", v, &Rule::app); }
    HRESULT STDMETHODCALLTYPE put_ServiceName(BSTR v) override { return put_text(L"put_ServiceName", v, &Rule::svc); }
    HRESULT STDMETHODCALLTYPE put_Grouping(BSTR v) override { return put_text(L"put_Grouping", v, &Rule::ctx); }
    HRESULT STDMETHODCALLTYPE put_Protocol(LONG v) override {
        if (v < 0 || v > kProtocolAny) return E_INVALIDARG;
        return update(L"put_Protocol", [v](Rule* r) {
            // "If you are editing a TCP port rule and converting it into an ICMP rule,
            // first delete the port, change protocol from TCP to ICMP, and then add the
            // rule" (INetFwRule remarks): ports/ICMP entries must fit the new protocol.
            if ((!r->lport.empty() || !r->rport.empty()) && !is_ip_proto_with_ports(v)) return E_INVALIDARG;
            if (!r->icmp4.empty() && v != 1) return E_INVALIDARG;
            if (!r->icmp6.empty() && v != 58) return E_INVALIDARG;
            for (auto& p : r->lport) {
                if ((ieq(p, L"RPC") || ieq(p, L"RPC-EPMap")) && v != NET_FW_IP_PROTOCOL_TCP) return E_INVALIDARG;
                if (ieq(p, L"Teredo") && v != NET_FW_IP_PROTOCOL_UDP) return E_INVALIDARG;
            }
            r->protocol = v;
            return S_OK;
        });
    }
    HRESULT STDMETHODCALLTYPE put_LocalPorts(BSTR v) override {
        std::wstring s = bstr_string(v);
        return update(L"put_LocalPorts", [&s](Rule* r) { return parse_ports(s, r->protocol, true, &r->lport); });
    }
    HRESULT STDMETHODCALLTYPE put_RemotePorts(BSTR v) override {
        std::wstring s = bstr_string(v);
        return update(L"put_RemotePorts", [&s](Rule* r) { return parse_ports(s, r->protocol, false, &r->rport); });
    }
    HRESULT STDMETHODCALLTYPE put_LocalAddresses(BSTR v) override {
        std::wstring s = bstr_string(v);
        return update(L"put_LocalAddresses", [&s](Rule* r) { return parse_addresses(s, false, &r->la4, &r->la6); });
    }
    HRESULT STDMETHODCALLTYPE put_RemoteAddresses(BSTR v) override {
        std::wstring s = bstr_string(v);
        return update(L"put_RemoteAddresses", [&s](Rule* r) { return parse_addresses(s, true, &r->ra4, &r->ra6); });
    }
    HRESULT STDMETHODCALLTYPE put_IcmpTypesAndCodes(BSTR v) override {
        std::wstring s = bstr_string(v);
        return update(L"put_IcmpTypesAndCodes", [&s](Rule* r) {
            std::vector<std::wstring> list;
            HRESULT hr = parse_icmp(s, r->protocol, &list);
            if (FAILED(hr)) return hr;
            r->icmp4.clear();
            r->icmp6.clear();
            (r->protocol == 58 ? r->icmp6 : r->icmp4) = list;
            return S_OK;
        });
    }
    HRESULT STDMETHODCALLTYPE put_Direction(NET_FW_RULE_DIRECTION v) override {
        if (v != NET_FW_RULE_DIR_IN && v != NET_FW_RULE_DIR_OUT) return E_INVALIDARG;
        return update(L"put_Direction", [v](Rule* r) { r->dir = v; return S_OK; });
    }
    HRESULT STDMETHODCALLTYPE put_Interfaces(VARIANT v) override {
        std::vector<std::wstring> guids;
        HRESULT hr = names_to_guids(v, &guids);
        if (FAILED(hr)) return hr;
        return update(L"put_Interfaces", [&guids](Rule* r) { r->ifs = guids; return S_OK; });
    }
    HRESULT STDMETHODCALLTYPE put_InterfaceTypes(BSTR v) override {
        std::wstring s = bstr_string(v);
        return update(L"put_InterfaceTypes", [&s](Rule* r) { return parse_iftypes(s, &r->iftypes); });
    }
    HRESULT STDMETHODCALLTYPE put_Enabled(VARIANT_BOOL v) override {
        return update(L"put_Enabled", [v](Rule* r) { r->active = v != VARIANT_FALSE; return S_OK; });
    }
    HRESULT STDMETHODCALLTYPE put_Profiles(LONG v) override {
        if (v != kProfilesAll && (v == 0 || (v & ~kProfileBits) != 0)) return E_INVALIDARG;
        return update(L"put_Profiles", [v](Rule* r) { r->profiles = v == kProfilesAll ? 0 : v; return S_OK; });
    }
    HRESULT STDMETHODCALLTYPE put_EdgeTraversal(VARIANT_BOOL v) override {
        return update(L"put_EdgeTraversal", [v](Rule* r) {
            if (v != VARIANT_FALSE) r->edge = 1;
            else if (r->edge >= 0) r->edge = 0;
            return S_OK;
        });
    }
    HRESULT STDMETHODCALLTYPE put_Action(NET_FW_ACTION v) override {
        if (v != NET_FW_ACTION_ALLOW && v != NET_FW_ACTION_BLOCK) return E_INVALIDARG;
        return update(L"put_Action", [v](Rule* r) { r->action = v; return S_OK; });
    }

 private:
    template <class F> HRESULT get_string_prop(BSTR* out, F f) {
        if (!out) return E_POINTER;
        *out = nullptr;
        Rule r;
        HRESULT hr = load(&r);
        if (FAILED(hr)) return hr;
        std::wstring s;
        bool present = f(r, &s);
        return out_bstr(out, present ? &s : nullptr);
    }
    template <class T, class F> HRESULT get_value(T* out, F f) {
        if (!out) return E_POINTER;
        Rule r;
        HRESULT hr = load(&r);
        if (FAILED(hr)) return hr;
        *out = f(r);
        return S_OK;
    }
    HRESULT put_text(const wchar_t* op, BSTR v, std::wstring Rule::*field) {
        std::wstring s = bstr_string(v);
        if (has_bar(s)) return E_INVALIDARG;     // "|" ends a field of the rule string
        return update(op, [&s, field](Rule* r) { (r->*field) = s; return S_OK; });
    }
    template <class F> HRESULT update(const wchar_t* op, F f) {
        Rule r;
        HRESULT hr = load(&r);
        if (FAILED(hr)) return hr;
        hr = f(&r);
        if (FAILED(hr)) return hr;            // the change is refused, nothing is stored
        if (bound_) {
            hr = store_rule(id_, r, op);
            if (FAILED(hr)) return hr;
        }
        cache_ = r;
        return S_OK;
    }

    LONG ref_ = 1;
    bool bound_ = false;
    std::wstring id_;
    Rule cache_;     // detached: the rule; bound: the last state read or written
};

SimRule* as_sim_rule(INetFwRule* rule) {
    void* p = nullptr;
    if (!rule || FAILED(rule->QueryInterface(IID_ISimRuleImpl, &p)) || !p) return nullptr;
    return static_cast<SimRule*>(static_cast<INetFwRule*>(p));    // AddRef'd
}

// ---------------------------------------------------------------------------------------
// IEnumVARIANT over a snapshot of the rule ids
// ---------------------------------------------------------------------------------------
class SimRuleEnum final : public IEnumVARIANT, private Counted {
 public:
    SimRuleEnum(std::vector<std::wstring> ids, size_t pos) : ids_(std::move(ids)), pos_(pos) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (!out) return E_POINTER;
        *out = nullptr;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IEnumVARIANT)) {
            *out = static_cast<IEnumVARIANT*>(this);
            AddRef();
            return S_OK;
        }
        return E_NOINTERFACE;
    }
    SIM_IUNKNOWN_REFCOUNT

    HRESULT STDMETHODCALLTYPE Next(ULONG celt, VARIANT* vars, ULONG* fetched) override {
        if (!vars) return E_POINTER;
        ULONG n = 0;
        while (n < celt && pos_ < ids_.size()) {
            std::wstring s;
            StoredRule sr;
            sr.id = ids_[pos_++];
            if (!get_string(kRulesKey, sr.id, &s) || !parse_rule(s, &sr.rule)) continue;   // deleted meanwhile
            VariantInit(&vars[n]);
            V_VT(&vars[n]) = VT_DISPATCH;
            V_DISPATCH(&vars[n]) = static_cast<INetFwRule*>(new SimRule(sr));
            ++n;
        }
        if (fetched) *fetched = n;
        return n == celt ? S_OK : S_FALSE;
    }
    HRESULT STDMETHODCALLTYPE Skip(ULONG celt) override {
        pos_ += celt;
        if (pos_ > ids_.size()) { pos_ = ids_.size(); return S_FALSE; }
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE Reset() override { pos_ = 0; return S_OK; }
    HRESULT STDMETHODCALLTYPE Clone(IEnumVARIANT** out) override {
        if (!out) return E_POINTER;
        *out = new SimRuleEnum(ids_, pos_);
        return S_OK;
    }

 private:
    LONG ref_ = 1;
    std::vector<std::wstring> ids_;
    size_t pos_;
};

// ---------------------------------------------------------------------------------------
// INetFwRules: the local store's rules
// ---------------------------------------------------------------------------------------
class SimRules final : public INetFwRules, private Counted {
 public:
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (!out) return E_POINTER;
        *out = nullptr;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_INetFwRules)) {
            *out = static_cast<INetFwRules*>(this);
            AddRef();
            return S_OK;
        }
        return E_NOINTERFACE;
    }
    SIM_IUNKNOWN_REFCOUNT
    SIM_IDISPATCH_MINIMAL

    HRESULT STDMETHODCALLTYPE get_Count(LONG* count) override {
        if (!count) return E_POINTER;
        *count = static_cast<LONG>(load_all_rules().size());
        return S_OK;
    }

    // Names are not unique: adding a rule whose name exists adds another rule (a new id).
    // "If a rule with the same rule identifier as the one being submitted already
    // exists, the existing rule is overwritten" (INetFwRules::Add remarks): an object
    // already bound to an id (added before, or from Item/enumeration) is written back
    // under that id - also when it was removed meanwhile.
    HRESULT STDMETHODCALLTYPE Add(INetFwRule* rule) override {
        if (!rule) return E_POINTER;
        SimRule* sim = as_sim_rule(rule);
        if (!sim) {
            sim_log(L"op=Add refused: not a NetFwRule object of this simulator (E_INVALIDARG)");
            return E_INVALIDARG;
        }
        Rule r;
        bool gone = false;
        HRESULT hr = sim->load(&r, &gone);
        if (SUCCEEDED(hr) && r.name.empty()) hr = E_INVALIDARG;    // Name is required
        if (SUCCEEDED(hr)) {
            std::wstring id = sim->bound() ? sim->id() : new_rule_id();
            hr = store_rule(id, r, sim->bound() ? L"Add(overwrite)" : L"Add");
            if (SUCCEEDED(hr)) sim->bind(id);
        }
        sim->Release();
        return hr;
    }

    // "If a rule specified by the name parameter does not exist in the collection, the
    // Remove method has no effect." Which rule(s) go when several share the name is not
    // documented: the simulator setting RulesRemove chooses "first" (default) or "all".
    HRESULT STDMETHODCALLTYPE Remove(BSTR name) override {
        std::wstring n = bstr_string(name);
        if (n.empty()) return E_INVALIDARG;
        std::wstring mode;
        bool all = get_string(kSimKey, L"RulesRemove", &mode) && ieq(mode, L"all");
        int removed = 0;
        for (auto& s : load_all_rules()) {
            if (!name_matches(s.rule, n)) continue;
            LONG rc = delete_value(kRulesKey, s.id);
            sim_log(L"op=Remove name=" + n + L" id=" + s.id + L" rc=" + std::to_wstring(rc));
            if (rc != ERROR_SUCCESS) return hr_from(rc);
            ++removed;
            if (!all) break;
        }
        if (!removed) sim_log(L"op=Remove name=" + n + L" (no such rule: no effect)");
        return S_OK;
    }

    // The first rule with that name, else HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND).
    HRESULT STDMETHODCALLTYPE Item(BSTR name, INetFwRule** rule) override {
        if (!rule) return E_POINTER;
        *rule = nullptr;
        std::wstring n = bstr_string(name);
        for (auto& s : load_all_rules()) {
            if (name_matches(s.rule, n)) {
                *rule = new SimRule(s);
                return S_OK;
            }
        }
        return HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND);
    }

    HRESULT STDMETHODCALLTYPE get__NewEnum(IUnknown** out) override {
        if (!out) return E_POINTER;
        std::vector<std::wstring> ids;
        for (auto& s : load_all_rules()) ids.push_back(s.id);
        *out = static_cast<IEnumVARIANT*>(new SimRuleEnum(std::move(ids), 0));
        return S_OK;
    }

 private:
    LONG ref_ = 1;
};

// ---------------------------------------------------------------------------------------
// INetFwPolicy2: profiles and the rule collection
// ---------------------------------------------------------------------------------------
const wchar_t* profile_key_name(long type) {
    switch (type) {
        case NET_FW_PROFILE2_DOMAIN: return L"DomainProfile";
        case NET_FW_PROFILE2_PRIVATE: return L"StandardProfile";    // the private profile's key
        case NET_FW_PROFILE2_PUBLIC: return L"PublicProfile";
        default: return nullptr;   // one profile only (get_FirewallEnabled remarks)
    }
}

std::wstring profile_path(long type) { return std::wstring(kPolicyKey) + L"\\" + profile_key_name(type); }

const wchar_t* profile_label(long type) {
    return type == NET_FW_PROFILE2_DOMAIN ? L"domain" : type == NET_FW_PROFILE2_PRIVATE ? L"private" : L"public";
}

// NT 6.0 has exactly one active profile (several at once came with Windows 7).
long current_profile() {
    DWORD v = NET_FW_PROFILE2_PUBLIC;
    if (!get_dword(kSimKey, L"CurrentProfileTypes", &v) || !profile_key_name(static_cast<long>(v))) v = NET_FW_PROFILE2_PUBLIC;
    return static_cast<long>(v);
}

class SimPolicy final : public INetFwPolicy2, private Counted {
 public:
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (!out) return E_POINTER;
        *out = nullptr;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_INetFwPolicy2)) {
            *out = static_cast<INetFwPolicy2*>(this);
            AddRef();
            return S_OK;
        }
        return E_NOINTERFACE;
    }
    SIM_IUNKNOWN_REFCOUNT
    SIM_IDISPATCH_MINIMAL

    HRESULT STDMETHODCALLTYPE get_CurrentProfileTypes(LONG* v) override {
        if (!v) return E_POINTER;
        *v = current_profile();
        return S_OK;
    }

    // Windows' defaults where a value is absent: firewall on, inbound block, outbound
    // allow, everything else off.
    HRESULT STDMETHODCALLTYPE get_FirewallEnabled(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL* v) override {
        return get_flag(p, L"EnableFirewall", 1, v);
    }
    HRESULT STDMETHODCALLTYPE put_FirewallEnabled(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL v) override {
        return put_flag(p, L"EnableFirewall", v != VARIANT_FALSE);
    }
    HRESULT STDMETHODCALLTYPE get_BlockAllInboundTraffic(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL* v) override {
        return get_flag(p, L"DoNotAllowExceptions", 0, v);
    }
    HRESULT STDMETHODCALLTYPE put_BlockAllInboundTraffic(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL v) override {
        return put_flag(p, L"DoNotAllowExceptions", v != VARIANT_FALSE);
    }
    HRESULT STDMETHODCALLTYPE get_NotificationsDisabled(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL* v) override {
        return get_flag(p, L"DisableNotifications", 0, v);
    }
    HRESULT STDMETHODCALLTYPE put_NotificationsDisabled(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL v) override {
        return put_flag(p, L"DisableNotifications", v != VARIANT_FALSE);
    }
    HRESULT STDMETHODCALLTYPE get_UnicastResponsesToMulticastBroadcastDisabled(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL* v) override {
        return get_flag(p, L"DisableUnicastResponsesToMulticastBroadcast", 0, v);
    }
    HRESULT STDMETHODCALLTYPE put_UnicastResponsesToMulticastBroadcastDisabled(NET_FW_PROFILE_TYPE2 p, VARIANT_BOOL v) override {
        return put_flag(p, L"DisableUnicastResponsesToMulticastBroadcast", v != VARIANT_FALSE);
    }

    // DefaultInboundAction/DefaultOutboundAction: 0 allow, 1 block (MS-GPFAS 2.2.3.16,
    // 2.2.3.17), i.e. the inverse of NET_FW_ACTION.
    HRESULT STDMETHODCALLTYPE get_DefaultInboundAction(NET_FW_PROFILE_TYPE2 p, NET_FW_ACTION* a) override {
        return get_action(p, L"DefaultInboundAction", 1, a);
    }
    HRESULT STDMETHODCALLTYPE put_DefaultInboundAction(NET_FW_PROFILE_TYPE2 p, NET_FW_ACTION a) override {
        return put_action(p, L"DefaultInboundAction", a);
    }
    HRESULT STDMETHODCALLTYPE get_DefaultOutboundAction(NET_FW_PROFILE_TYPE2 p, NET_FW_ACTION* a) override {
        return get_action(p, L"DefaultOutboundAction", 0, a);
    }
    HRESULT STDMETHODCALLTYPE put_DefaultOutboundAction(NET_FW_PROFILE_TYPE2 p, NET_FW_ACTION a) override {
        return put_action(p, L"DefaultOutboundAction", a);
    }

    // DisabledInterfaces: "{GUID},{GUID}" (MS-GPFAS 2.2.3.15).
    HRESULT STDMETHODCALLTYPE get_ExcludedInterfaces(NET_FW_PROFILE_TYPE2 p, VARIANT* v) override {
        if (!v) return E_POINTER;
        VariantInit(v);
        if (!profile_key_name(p)) return E_INVALIDARG;
        std::wstring s;
        std::vector<std::wstring> guids;
        if (get_string(profile_path(p), L"DisabledInterfaces", &s))
            for (auto& g : split(s, L",")) if (!trim(g).empty()) guids.push_back(trim(g));
        return guids_to_names(guids, v);
    }
    HRESULT STDMETHODCALLTYPE put_ExcludedInterfaces(NET_FW_PROFILE_TYPE2 p, VARIANT v) override {
        if (!profile_key_name(p)) return E_INVALIDARG;
        std::vector<std::wstring> guids;
        HRESULT hr = names_to_guids(v, &guids);
        if (FAILED(hr)) return hr;
        std::wstring s = join(guids, L",");
        LONG rc = set_string(profile_path(p), L"DisabledInterfaces", s);
        sim_log(std::wstring(L"op=put_ExcludedInterfaces profile=") + profile_label(p) + L" value=" + s +
                L" rc=" + std::to_wstring(rc));
        return hr_from(rc);
    }

    HRESULT STDMETHODCALLTYPE get_Rules(INetFwRules** rules) override {
        if (!rules) return E_POINTER;
        *rules = new SimRules();
        return S_OK;
    }

    // Not simulated (Windows Service Hardening rules; otharden does not use them).
    HRESULT STDMETHODCALLTYPE get_ServiceRestriction(INetFwServiceRestriction** out) override {
        if (out) *out = nullptr;
        sim_log(L"op=get_ServiceRestriction: not simulated (E_NOTIMPL)");
        return E_NOTIMPL;
    }

    // Rules whose Grouping is `group` (stored text or resolved) and which belong to one
    // of the profiles in the mask. S_FALSE: "The requested group does not exist".
    HRESULT STDMETHODCALLTYPE EnableRuleGroup(LONG mask, BSTR group, VARIANT_BOOL enable) override {
        std::wstring g = bstr_string(group);
        if (g.empty() || (mask & kProfilesAll) == 0) return E_INVALIDARG;
        bool any = false;
        for (auto& s : load_all_rules()) {
            if (!group_matches(s.rule, g) || !(s.rule.profile_mask() & mask)) continue;
            any = true;
            if (s.rule.active == (enable != VARIANT_FALSE)) continue;
            s.rule.active = enable != VARIANT_FALSE;
            HRESULT hr = store_rule(s.id, s.rule, L"EnableRuleGroup");
            if (FAILED(hr)) return hr;
        }
        return any ? S_OK : S_FALSE;
    }
    HRESULT STDMETHODCALLTYPE IsRuleGroupEnabled(LONG mask, BSTR group, VARIANT_BOOL* enabled) override {
        if (!enabled) return E_POINTER;
        *enabled = VARIANT_FALSE;
        std::wstring g = bstr_string(group);
        if (g.empty() || (mask & kProfilesAll) == 0) return E_INVALIDARG;
        bool any = false, all_on = true;
        for (auto& s : load_all_rules()) {
            if (!group_matches(s.rule, g) || !(s.rule.profile_mask() & mask)) continue;
            any = true;
            all_on = all_on && s.rule.active;
        }
        *enabled = vb(any && all_on);
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE get_IsRuleGroupCurrentlyEnabled(BSTR group, VARIANT_BOOL* enabled) override {
        return IsRuleGroupEnabled(current_profile(), group, enabled);
    }

    // The simulated host's factory state: the FactoryRules table (the 2008 default rules
    // of the host description) and every profile on / inbound block / outbound allow.
    HRESULT STDMETHODCALLTYPE RestoreLocalFirewallDefaults() override {
        for (auto& v : enum_strings(kRulesKey)) delete_value(kRulesKey, v.first);
        for (auto& v : enum_strings(sim_subkey(L"FactoryRules"))) set_string(kRulesKey, v.first, v.second);
        for (long p : {NET_FW_PROFILE2_DOMAIN, NET_FW_PROFILE2_PRIVATE, NET_FW_PROFILE2_PUBLIC}) {
            set_dword(profile_path(p), L"EnableFirewall", 1);
            set_dword(profile_path(p), L"DefaultInboundAction", 1);
            set_dword(profile_path(p), L"DefaultOutboundAction", 0);
            set_dword(profile_path(p), L"DoNotAllowExceptions", 0);
        }
        sim_log(L"op=RestoreLocalFirewallDefaults");
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE get_LocalPolicyModifyState(NET_FW_MODIFY_STATE* state) override {
        if (!state) return E_POINTER;
        DWORD shielded = 0;
        get_dword(profile_path(current_profile()), L"DoNotAllowExceptions", &shielded);
        // Group Policy stores are not simulated: never NET_FW_MODIFY_STATE_GP_OVERRIDE.
        *state = shielded ? NET_FW_MODIFY_STATE_INBOUND_BLOCKED : NET_FW_MODIFY_STATE_OK;
        return S_OK;
    }

 private:
    HRESULT get_flag(long p, const wchar_t* value, DWORD dflt, VARIANT_BOOL* out) {
        if (!out) return E_POINTER;
        if (!profile_key_name(p)) return E_INVALIDARG;
        DWORD v = dflt;
        get_dword(profile_path(p), value, &v);
        *out = vb(v != 0);
        return S_OK;
    }
    HRESULT put_flag(long p, const wchar_t* value, bool on) {
        if (!profile_key_name(p)) return E_INVALIDARG;
        LONG rc = set_dword(profile_path(p), value, on ? 1 : 0);
        sim_log(std::wstring(L"op=put ") + profile_label(p) + L" " + value + L"=" + (on ? L"1" : L"0") +
                L" rc=" + std::to_wstring(rc));
        return hr_from(rc);
    }
    HRESULT get_action(long p, const wchar_t* value, DWORD dflt, NET_FW_ACTION* out) {
        if (!out) return E_POINTER;
        if (!profile_key_name(p)) return E_INVALIDARG;
        DWORD v = dflt;
        get_dword(profile_path(p), value, &v);
        *out = v ? NET_FW_ACTION_BLOCK : NET_FW_ACTION_ALLOW;
        return S_OK;
    }
    HRESULT put_action(long p, const wchar_t* value, NET_FW_ACTION a) {
        if (!profile_key_name(p) || (a != NET_FW_ACTION_ALLOW && a != NET_FW_ACTION_BLOCK)) return E_INVALIDARG;
        DWORD v = a == NET_FW_ACTION_BLOCK ? 1 : 0;
        LONG rc = set_dword(profile_path(p), value, v);
        sim_log(std::wstring(L"op=put ") + profile_label(p) + L" " + value + L"=" + std::to_wstring(v) +
                L" rc=" + std::to_wstring(rc));
        return hr_from(rc);
    }

    LONG ref_ = 1;
};

// ---------------------------------------------------------------------------------------
// class factory
// ---------------------------------------------------------------------------------------
class SimFactory final : public IClassFactory {
 public:
    explicit SimFactory(bool policy) : policy_(policy) {}
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (!out) return E_POINTER;
        *out = nullptr;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IClassFactory)) {
            *out = static_cast<IClassFactory*>(this);
            AddRef();
            return S_OK;
        }
        return E_NOINTERFACE;
    }
    SIM_IUNKNOWN_REFCOUNT
    HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown* outer, REFIID riid, void** out) override {
        if (!out) return E_POINTER;
        *out = nullptr;
        if (outer) return CLASS_E_NOAGGREGATION;
        IUnknown* obj = policy_ ? static_cast<IUnknown*>(static_cast<INetFwPolicy2*>(new SimPolicy()))
                                : static_cast<IUnknown*>(static_cast<INetFwRule*>(new SimRule()));
        HRESULT hr = obj->QueryInterface(riid, out);
        obj->Release();
        return hr;
    }
    HRESULT STDMETHODCALLTYPE LockServer(BOOL lock) override {
        if (lock) InterlockedIncrement(&g_objects); else InterlockedDecrement(&g_objects);
        return S_OK;
    }

 private:
    LONG ref_ = 1;
    bool policy_;
};

}  // namespace

extern "C" HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void** out) {
    if (!out) return E_POINTER;
    *out = nullptr;
    bool policy = IsEqualCLSID(clsid, CLSID_NetFwPolicy2);
    if (!policy && !IsEqualCLSID(clsid, CLSID_NetFwRule)) {
        // Everything else Wine's hnetcfg.dll serves (NetFwMgr, UPnPNAT, ...) is not
        // available in a process that loads the simulator.
        return CLASS_E_CLASSNOTAVAILABLE;
    }
    SimFactory* f = new SimFactory(policy);
    HRESULT hr = f->QueryInterface(riid, out);
    f->Release();
    return hr;
}

extern "C" HRESULT WINAPI DllCanUnloadNow(void) { return g_objects == 0 ? S_OK : S_FALSE; }
