/*
 * fwprobe.c - test client for the otharden 2008 host SIMULATOR's firewall (tests/sim).
 *
 * Uses the Windows Firewall COM API exactly as a client does - CoCreateInstance(
 * CLSID_NetFwPolicy2 / CLSID_NetFwRule), INetFwPolicy2, INetFwRules, INetFwRule (the
 * Vista/Server 2008 interfaces only) - and prints what it sees, one "key=value" per line
 * (UTF-8, LF). Inside a simulated host it talks to the simulator's hnetcfg.dll when the
 * exe has the per-app override (fwprobe.exe does; a copy under another name does not and
 * then meets Wine's stock, unimplemented firewall).
 *
 *   fwprobe dump                         policy of every profile, then one line per rule:
 *                                        rule=NAME|enabled=..|dir=..|... (enumeration order)
 *   fwprobe item NAME                    INetFwRules::Item, the same line or item.hr=...
 *   fwprobe add NAME PROTO LPORTS RADDRS GROUP
 *                                        new inbound allow rule, enabled (LPORTS/RADDRS "-" = unset)
 *   fwprobe enable NAME 0|1              put_Enabled on the rule Item(NAME) returns
 *   fwprobe profile domain|private|public enabled|inbound|outbound on|off|allow|block
 *   fwprobe remove NAME                  INetFwRules::Remove
 *   fwprobe semantics                    documented INetFwRule/INetFwRules/INetFwPolicy2
 *                                        behaviour on scratch rules (removed again):
 *                                        sem.<check>=<observed value>
 *   fwprobe restore-defaults             INetFwPolicy2::RestoreLocalFirewallDefaults
 *
 * Every HRESULT is printed as 0x%08lx. Exit: 0 done (failures are in the output); 2 bad
 * usage; 4 CoCreateInstance(CLSID_NetFwPolicy2) failed (the firewall API is missing).
 * Build (tests/sim/firewall/firewall.sh): x86_64-w64-mingw32-gcc -municode fwprobe.c
 *   -lole32 -loleaut32 -luuid
 * A test tool of the simulator, not part of the product.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#define COBJMACROS
#include <initguid.h>
#include <windows.h>
#include <ole2.h>
#include <oleauto.h>
#include <netfw.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define PROTO_ANY 256

static INetFwPolicy2 *policy;
static INetFwRules *rules;

/* ---- output: UTF-16 -> UTF-8, LF -------------------------------------------------- */
static void out_w(const WCHAR *s)
{
    char buf[8192];
    int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, buf, sizeof buf, NULL, NULL);
    fputs(n > 0 ? buf : "<unconvertible>", stdout);
}
static void kv_hr(const char *key, HRESULT hr) { printf("%s=0x%08lx\n", key, (unsigned long)hr); }
static void kv_long(const char *key, long v) { printf("%s=%ld\n", key, v); }
static void kv_w(const char *key, const WCHAR *v)
{
    printf("%s=", key);
    out_w(v ? v : L"<null>");
    putchar('\n');
}

static BSTR bstr(const WCHAR *s) { return s ? SysAllocString(s) : NULL; }

/* ---- one rule as a line ------------------------------------------------------------- */
static void put_field(const char *name, HRESULT hr, BSTR value, int first)
{
    if (!first) putchar('|');
    printf("%s=", name);
    if (FAILED(hr)) printf("<hr:0x%08lx>", (unsigned long)hr);
    else out_w(value ? value : L"<null>");
}

static void print_rule(const char *prefix, INetFwRule *r)
{
    BSTR b = NULL;
    HRESULT hr;
    LONG l = 0;
    VARIANT_BOOL vb = 0;
    NET_FW_RULE_DIRECTION dir = 0;
    NET_FW_ACTION act = 0;
    VARIANT v;
    WCHAR num[32];

    printf("%s", prefix);
#define STR_FIELD(label, getter, first) \
    b = NULL; hr = getter(r, &b); put_field(label, hr, b, first); SysFreeString(b);
    STR_FIELD("rule", INetFwRule_get_Name, 1)
    hr = INetFwRule_get_Enabled(r, &vb); swprintf(num, 32, L"%d", vb ? 1 : 0); put_field("enabled", hr, num, 0);
    hr = INetFwRule_get_Direction(r, &dir); swprintf(num, 32, L"%ls", dir == NET_FW_RULE_DIR_IN ? L"in" : dir == NET_FW_RULE_DIR_OUT ? L"out" : L"?");
    put_field("dir", hr, num, 0);
    hr = INetFwRule_get_Action(r, &act); swprintf(num, 32, L"%ls", act == NET_FW_ACTION_ALLOW ? L"allow" : act == NET_FW_ACTION_BLOCK ? L"block" : L"?");
    put_field("action", hr, num, 0);
    hr = INetFwRule_get_Protocol(r, &l); swprintf(num, 32, L"%ld", (long)l); put_field("protocol", hr, num, 0);
    STR_FIELD("lports", INetFwRule_get_LocalPorts, 0)
    STR_FIELD("rports", INetFwRule_get_RemotePorts, 0)
    STR_FIELD("laddrs", INetFwRule_get_LocalAddresses, 0)
    STR_FIELD("raddrs", INetFwRule_get_RemoteAddresses, 0)
    STR_FIELD("icmp", INetFwRule_get_IcmpTypesAndCodes, 0)
    hr = INetFwRule_get_Profiles(r, &l); swprintf(num, 32, L"%ld", (long)l); put_field("profiles", hr, num, 0);
    STR_FIELD("app", INetFwRule_get_ApplicationName, 0)
    STR_FIELD("svc", INetFwRule_get_ServiceName, 0)
    STR_FIELD("group", INetFwRule_get_Grouping, 0)
    hr = INetFwRule_get_EdgeTraversal(r, &vb); swprintf(num, 32, L"%d", vb ? 1 : 0); put_field("edge", hr, num, 0);
    STR_FIELD("iftypes", INetFwRule_get_InterfaceTypes, 0)
    VariantInit(&v);
    hr = INetFwRule_get_Interfaces(r, &v);
    if (SUCCEEDED(hr) && V_VT(&v) == VT_EMPTY) put_field("ifs", hr, NULL, 0);
    else if (SUCCEEDED(hr) && V_VT(&v) == (VT_ARRAY | VT_VARIANT)) {
        LONG i, lo = 0, hi = -1;
        SafeArrayGetLBound(V_ARRAY(&v), 1, &lo);
        SafeArrayGetUBound(V_ARRAY(&v), 1, &hi);
        printf("|ifs=");
        for (i = lo; i <= hi; i++) {
            VARIANT e;
            VariantInit(&e);
            SafeArrayGetElement(V_ARRAY(&v), &i, &e);
            if (i > lo) putchar(',');
            out_w(V_VT(&e) == VT_BSTR ? V_BSTR(&e) : L"?");
            VariantClear(&e);
        }
    } else put_field("ifs", FAILED(hr) ? hr : E_UNEXPECTED, NULL, 0);
    VariantClear(&v);
    STR_FIELD("desc", INetFwRule_get_Description, 0)
#undef STR_FIELD
    putchar('\n');
}

/* ---- dump --------------------------------------------------------------------------- */
static const struct { const char *label; NET_FW_PROFILE_TYPE2 type; } profiles[] = {
    {"domain", NET_FW_PROFILE2_DOMAIN}, {"private", NET_FW_PROFILE2_PRIVATE}, {"public", NET_FW_PROFILE2_PUBLIC},
};

static void print_flag(const char *profile, const char *what, HRESULT hr, VARIANT_BOOL v)
{
    char key[96];
    snprintf(key, sizeof key, "policy.%s.%s", profile, what);
    if (FAILED(hr)) { printf("%s=<hr:0x%08lx>\n", key, (unsigned long)hr); return; }
    kv_long(key, v ? 1 : 0);
}
static void print_action(const char *profile, const char *what, HRESULT hr, NET_FW_ACTION a)
{
    char key[96];
    snprintf(key, sizeof key, "policy.%s.%s", profile, what);
    if (FAILED(hr)) { printf("%s=<hr:0x%08lx>\n", key, (unsigned long)hr); return; }
    printf("%s=%s\n", key, a == NET_FW_ACTION_BLOCK ? "block" : a == NET_FW_ACTION_ALLOW ? "allow" : "?");
}

static int cmd_dump(void)
{
    LONG cur = 0, count = -1;
    HRESULT hr;
    size_t i;
    IUnknown *unk = NULL;
    IEnumVARIANT *en = NULL;

    hr = INetFwPolicy2_get_CurrentProfileTypes(policy, &cur);
    if (FAILED(hr)) kv_hr("policy.current_profile_types.hr", hr); else kv_long("policy.current_profile_types", cur);
    for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
        VARIANT_BOOL vb = 0;
        NET_FW_ACTION a = 0;
        hr = INetFwPolicy2_get_FirewallEnabled(policy, profiles[i].type, &vb);
        print_flag(profiles[i].label, "enabled", hr, vb);
        hr = INetFwPolicy2_get_DefaultInboundAction(policy, profiles[i].type, &a);
        print_action(profiles[i].label, "inbound", hr, a);
        hr = INetFwPolicy2_get_DefaultOutboundAction(policy, profiles[i].type, &a);
        print_action(profiles[i].label, "outbound", hr, a);
        hr = INetFwPolicy2_get_BlockAllInboundTraffic(policy, profiles[i].type, &vb);
        print_flag(profiles[i].label, "block_all_inbound", hr, vb);
        hr = INetFwPolicy2_get_NotificationsDisabled(policy, profiles[i].type, &vb);
        print_flag(profiles[i].label, "notifications_disabled", hr, vb);
    }
    hr = INetFwPolicy2_get_Rules(policy, &rules);
    kv_hr("policy.rules.hr", hr);
    if (FAILED(hr) || !rules) { rules = NULL; return 0; }
    hr = INetFwRules_get_Count(rules, &count);
    if (FAILED(hr)) kv_hr("rules.count.hr", hr); else kv_long("rules.count", count);
    hr = INetFwRules_get__NewEnum(rules, &unk);
    if (SUCCEEDED(hr) && unk) hr = IUnknown_QueryInterface(unk, &IID_IEnumVARIANT, (void **)&en);
    if (unk) IUnknown_Release(unk);
    kv_hr("rules.enum.hr", hr);
    if (SUCCEEDED(hr) && en) {
        long n = 0;
        VARIANT v;
        ULONG got = 0;
        VariantInit(&v);
        while (IEnumVARIANT_Next(en, 1, &v, &got) == S_OK && got == 1) {
            INetFwRule *r = NULL;
            if (V_VT(&v) == VT_DISPATCH && V_DISPATCH(&v) &&
                SUCCEEDED(IDispatch_QueryInterface(V_DISPATCH(&v), &IID_INetFwRule, (void **)&r))) {
                print_rule("", r);
                INetFwRule_Release(r);
                n++;
            }
            VariantClear(&v);
        }
        IEnumVARIANT_Release(en);
        kv_long("rules.enumerated", n);
    }
    return 0;
}

static int need_rules(void)
{
    HRESULT hr = INetFwPolicy2_get_Rules(policy, &rules);
    if (FAILED(hr) || !rules) { kv_hr("policy.rules.hr", hr); rules = NULL; return 0; }
    return 1;
}

static HRESULT item(const WCHAR *name, INetFwRule **r)
{
    BSTR b = bstr(name);
    HRESULT hr = INetFwRules_Item(rules, b, r);
    SysFreeString(b);
    return hr;
}

static HRESULT remove_rule(const WCHAR *name)
{
    BSTR b = bstr(name);
    HRESULT hr = INetFwRules_Remove(rules, b);
    SysFreeString(b);
    return hr;
}

static HRESULT put_str(HRESULT (*setter)(INetFwRule *, BSTR), INetFwRule *r, const WCHAR *s)
{
    BSTR b = bstr(s);
    HRESULT hr = setter(r, b);
    SysFreeString(b);
    return hr;
}
/* the C macros of netfw.h are not addressable: wrap the setters used here */
static HRESULT set_name(INetFwRule *r, BSTR b) { return INetFwRule_put_Name(r, b); }
static HRESULT set_desc(INetFwRule *r, BSTR b) { return INetFwRule_put_Description(r, b); }
static HRESULT set_lports(INetFwRule *r, BSTR b) { return INetFwRule_put_LocalPorts(r, b); }
static HRESULT set_rports(INetFwRule *r, BSTR b) { return INetFwRule_put_RemotePorts(r, b); }
static HRESULT set_laddrs(INetFwRule *r, BSTR b) { return INetFwRule_put_LocalAddresses(r, b); }
static HRESULT set_raddrs(INetFwRule *r, BSTR b) { return INetFwRule_put_RemoteAddresses(r, b); }
static HRESULT set_icmp(INetFwRule *r, BSTR b) { return INetFwRule_put_IcmpTypesAndCodes(r, b); }
static HRESULT set_group(INetFwRule *r, BSTR b) { return INetFwRule_put_Grouping(r, b); }
static HRESULT set_iftypes(INetFwRule *r, BSTR b) { return INetFwRule_put_InterfaceTypes(r, b); }

static HRESULT new_rule(INetFwRule **r)
{
    return CoCreateInstance(&CLSID_NetFwRule, NULL, CLSCTX_INPROC_SERVER, &IID_INetFwRule, (void **)r);
}

/* get a string property into a static buffer ("<null>" / "<hr:...>") */
static const WCHAR *get_str(HRESULT (*getter)(INetFwRule *, BSTR *), INetFwRule *r)
{
    static WCHAR buf[4][1024];
    static int slot;
    WCHAR *out = buf[slot = (slot + 1) % 4];
    BSTR b = NULL;
    HRESULT hr = getter(r, &b);
    if (FAILED(hr)) swprintf(out, 1024, L"<hr:0x%08lx>", (unsigned long)hr);
    else swprintf(out, 1024, L"%ls", b ? b : L"<null>");
    SysFreeString(b);
    return out;
}
static HRESULT g_name(INetFwRule *r, BSTR *b) { return INetFwRule_get_Name(r, b); }
static HRESULT g_desc(INetFwRule *r, BSTR *b) { return INetFwRule_get_Description(r, b); }
static HRESULT g_lports(INetFwRule *r, BSTR *b) { return INetFwRule_get_LocalPorts(r, b); }
static HRESULT g_rports(INetFwRule *r, BSTR *b) { return INetFwRule_get_RemotePorts(r, b); }
static HRESULT g_laddrs(INetFwRule *r, BSTR *b) { return INetFwRule_get_LocalAddresses(r, b); }
static HRESULT g_raddrs(INetFwRule *r, BSTR *b) { return INetFwRule_get_RemoteAddresses(r, b); }
static HRESULT g_icmp(INetFwRule *r, BSTR *b) { return INetFwRule_get_IcmpTypesAndCodes(r, b); }
static HRESULT g_group(INetFwRule *r, BSTR *b) { return INetFwRule_get_Grouping(r, b); }
static HRESULT g_iftypes(INetFwRule *r, BSTR *b) { return INetFwRule_get_InterfaceTypes(r, b); }

static long count_rules(void)
{
    LONG n = -1;
    if (FAILED(INetFwRules_get_Count(rules, &n))) return -1;
    return n;
}

/* ---- add / enable / remove / profile -------------------------------------------------- */
static int cmd_add(const WCHAR *name, const WCHAR *proto, const WCHAR *lports, const WCHAR *raddrs, const WCHAR *group)
{
    INetFwRule *r = NULL;
    HRESULT hr;
    if (!need_rules()) return 0;
    hr = new_rule(&r);
    kv_hr("add.create", hr);
    if (FAILED(hr)) return 0;
    kv_hr("add.name", put_str(set_name, r, name));
    kv_hr("add.protocol", INetFwRule_put_Protocol(r, _wtol(proto)));
    if (wcscmp(lports, L"-")) kv_hr("add.lports", put_str(set_lports, r, lports));
    if (wcscmp(raddrs, L"-")) kv_hr("add.raddrs", put_str(set_raddrs, r, raddrs));
    if (wcscmp(group, L"-")) kv_hr("add.group", put_str(set_group, r, group));
    kv_hr("add.direction", INetFwRule_put_Direction(r, NET_FW_RULE_DIR_IN));
    kv_hr("add.action", INetFwRule_put_Action(r, NET_FW_ACTION_ALLOW));
    kv_hr("add.enabled", INetFwRule_put_Enabled(r, VARIANT_TRUE));
    kv_hr("add.hr", INetFwRules_Add(rules, r));
    INetFwRule_Release(r);
    return 0;
}

static int cmd_enable(const WCHAR *name, const WCHAR *on)
{
    INetFwRule *r = NULL;
    HRESULT hr;
    if (!need_rules()) return 0;
    hr = item(name, &r);
    kv_hr("enable.item", hr);
    if (FAILED(hr)) return 0;
    kv_hr("enable.hr", INetFwRule_put_Enabled(r, wcscmp(on, L"0") ? VARIANT_TRUE : VARIANT_FALSE));
    INetFwRule_Release(r);
    return 0;
}

static int cmd_remove(const WCHAR *name)
{
    if (!need_rules()) return 0;
    kv_hr("remove.hr", remove_rule(name));
    kv_long("remove.count_after", count_rules());
    return 0;
}

static int cmd_item(const WCHAR *name)
{
    INetFwRule *r = NULL;
    HRESULT hr;
    if (!need_rules()) return 0;
    hr = item(name, &r);
    kv_hr("item.hr", hr);
    if (SUCCEEDED(hr)) { print_rule("", r); INetFwRule_Release(r); }
    return 0;
}

static int cmd_profile(const WCHAR *profile, const WCHAR *what, const WCHAR *value)
{
    NET_FW_PROFILE_TYPE2 t;
    int on = !wcscmp(value, L"on") || !wcscmp(value, L"block");
    HRESULT hr;
    if (!wcscmp(profile, L"domain")) t = NET_FW_PROFILE2_DOMAIN;
    else if (!wcscmp(profile, L"private")) t = NET_FW_PROFILE2_PRIVATE;
    else if (!wcscmp(profile, L"public")) t = NET_FW_PROFILE2_PUBLIC;
    else return 2;
    if (!wcscmp(what, L"enabled")) hr = INetFwPolicy2_put_FirewallEnabled(policy, t, on ? VARIANT_TRUE : VARIANT_FALSE);
    else if (!wcscmp(what, L"inbound")) hr = INetFwPolicy2_put_DefaultInboundAction(policy, t, on ? NET_FW_ACTION_BLOCK : NET_FW_ACTION_ALLOW);
    else if (!wcscmp(what, L"outbound")) hr = INetFwPolicy2_put_DefaultOutboundAction(policy, t, on ? NET_FW_ACTION_BLOCK : NET_FW_ACTION_ALLOW);
    else return 2;
    kv_hr("profile.hr", hr);
    return 0;
}

/* ---- documented semantics ------------------------------------------------------------ */
#define SEM_GROUP L"otharden-sim semantics (scratch)"
#define SEM_NAME L"otharden-sim semantics rule"

static int cmd_semantics(void)
{
    INetFwRule *r = NULL, *r2 = NULL, *got = NULL;
    IUnknown *unk = NULL;
    HRESULT hr;
    LONG l = 0;
    VARIANT_BOOL vb = 0;
    NET_FW_RULE_DIRECTION dir = 0;
    NET_FW_ACTION act = 0;
    long before;

    if (!need_rules()) return 0;
    before = count_rules();
    kv_long("sem.count_before", before);

    /* a new NetFwRule: documented defaults */
    hr = new_rule(&r);
    kv_hr("sem.new.create", hr);
    if (FAILED(hr)) return 0;
    INetFwRule_get_Enabled(r, &vb); kv_long("sem.new.enabled", vb ? 1 : 0);
    INetFwRule_get_Direction(r, &dir); kv_long("sem.new.direction", dir);
    INetFwRule_get_Action(r, &act); kv_long("sem.new.action", act);
    INetFwRule_get_Protocol(r, &l); kv_long("sem.new.protocol", l);
    INetFwRule_get_Profiles(r, &l); kv_long("sem.new.profiles", l);
    INetFwRule_get_EdgeTraversal(r, &vb); kv_long("sem.new.edge", vb ? 1 : 0);
    kv_w("sem.new.name", get_str(g_name, r));
    kv_w("sem.new.lports", get_str(g_lports, r));
    kv_w("sem.new.raddrs", get_str(g_raddrs, r));
    kv_w("sem.new.laddrs", get_str(g_laddrs, r));
    kv_w("sem.new.iftypes", get_str(g_iftypes, r));
    kv_w("sem.new.group", get_str(g_group, r));
    hr = INetFwRule_QueryInterface(r, &IID_INetFwRule2, (void **)&unk);
    kv_hr("sem.new.qi_INetFwRule2", hr);
    if (SUCCEEDED(hr)) IUnknown_Release(unk);
    hr = INetFwRule_QueryInterface(r, &IID_INetFwRule3, (void **)&unk);
    kv_hr("sem.new.qi_INetFwRule3", hr);
    if (SUCCEEDED(hr)) IUnknown_Release(unk);

    /* Add without a Name; ports before Protocol; bad names */
    kv_hr("sem.add_without_name", INetFwRules_Add(rules, r));
    kv_hr("sem.lports_with_protocol_any", put_str(set_lports, r, L"104"));
    kv_hr("sem.icmp_with_protocol_any", put_str(set_icmp, r, L"8:*"));
    kv_hr("sem.name_with_bar", put_str(set_name, r, L"a|b"));
    kv_hr("sem.name_all", put_str(set_name, r, L"all"));
    kv_hr("sem.desc_with_bar", put_str(set_desc, r, L"x|y"));
    kv_hr("sem.protocol_257", INetFwRule_put_Protocol(r, 257));
    kv_hr("sem.direction_3", INetFwRule_put_Direction(r, 3));
    kv_hr("sem.profiles_0", INetFwRule_put_Profiles(r, 0));
    kv_hr("sem.profiles_8", INetFwRule_put_Profiles(r, 8));

    /* TCP rule: ports, addresses, interface types */
    kv_hr("sem.name", put_str(set_name, r, SEM_NAME));
    kv_hr("sem.protocol_tcp", INetFwRule_put_Protocol(r, NET_FW_IP_PROTOCOL_TCP));
    kv_hr("sem.lports_range", put_str(set_lports, r, L"5000-5010"));
    kv_hr("sem.lports_70000", put_str(set_lports, r, L"70000"));
    kv_hr("sem.lports_teredo_on_tcp", put_str(set_lports, r, L"Teredo"));
    kv_hr("sem.lports_list", put_str(set_lports, r, L"104, 11112,RPC-EPMap"));
    kv_w("sem.lports_list.get", get_str(g_lports, r));
    kv_w("sem.rports_unset.get", get_str(g_rports, r));
    kv_w("sem.icmp_on_tcp.get", get_str(g_icmp, r));
    kv_hr("sem.rports_keyword", put_str(set_rports, r, L"RPC"));
    kv_hr("sem.protocol_tcp_to_icmp_with_ports", INetFwRule_put_Protocol(r, 1));
    kv_hr("sem.protocol_tcp_to_udp_with_rpc", INetFwRule_put_Protocol(r, NET_FW_IP_PROTOCOL_UDP));
    kv_hr("sem.raddrs_star_and_more", put_str(set_raddrs, r, L"*,10.0.0.1"));
    kv_hr("sem.raddrs_bad", put_str(set_raddrs, r, L"10.0.0.256"));
    kv_hr("sem.raddrs_bad_mask", put_str(set_raddrs, r, L"10.0.0.0/255.0.255.0"));
    kv_hr("sem.raddrs", put_str(set_raddrs, r, L"10.1.2.0/24,192.168.1.5,10.0.0.1-10.0.0.9,localsubnet,fe80::/64"));
    kv_w("sem.raddrs.get", get_str(g_raddrs, r));
    kv_hr("sem.laddrs_keyword", put_str(set_laddrs, r, L"LocalSubnet"));
    kv_hr("sem.iftypes", put_str(set_iftypes, r, L"lan,wireless"));
    kv_w("sem.iftypes.get", get_str(g_iftypes, r));
    kv_hr("sem.iftypes_bad", put_str(set_iftypes, r, L"Bluetooth"));
    kv_hr("sem.group", put_str(set_group, r, SEM_GROUP));
    kv_hr("sem.desc", put_str(set_desc, r, L"first"));

    /* detached: nothing stored until Add */
    kv_long("sem.count_before_add", count_rules());
    kv_hr("sem.add", INetFwRules_Add(rules, r));
    kv_long("sem.count_after_add", count_rules());
    /* the added object is bound: a put changes the stored rule at once */
    kv_hr("sem.bound_put_enabled", INetFwRule_put_Enabled(r, VARIANT_TRUE));
    hr = item(SEM_NAME, &got);
    kv_hr("sem.item", hr);
    if (SUCCEEDED(hr)) {
        INetFwRule_get_Enabled(got, &vb);
        kv_long("sem.item.enabled_after_bound_put", vb ? 1 : 0);
        kv_w("sem.item.lports", get_str(g_lports, got));
        /* a put on the Item object is seen through the first object too */
        kv_hr("sem.item.put_desc", put_str(set_desc, got, L"first, edited"));
        kv_w("sem.first_object.desc", get_str(g_desc, r));
        /* a refused put changes nothing */
        kv_hr("sem.item.put_icmp_on_tcp", put_str(set_icmp, got, L"8:*"));
        INetFwRule_Release(got);
        got = NULL;
    }

    /* a second rule with the same name: allowed, Item returns the first */
    hr = new_rule(&r2);
    if (SUCCEEDED(hr)) {
        put_str(set_name, r2, SEM_NAME);
        put_str(set_desc, r2, L"second");
        put_str(set_group, r2, SEM_GROUP);
        INetFwRule_put_Protocol(r2, 1);
        kv_hr("sem.icmp_put", put_str(set_icmp, r2, L"8:*;0:0"));
        kv_w("sem.icmp.get", get_str(g_icmp, r2));
        kv_w("sem.icmp.lports", get_str(g_lports, r2));
        kv_hr("sem.add_duplicate_name", INetFwRules_Add(rules, r2));
        kv_long("sem.count_after_duplicate", count_rules());
        hr = item(SEM_NAME, &got);
        if (SUCCEEDED(hr)) { kv_w("sem.item_with_duplicates.desc", get_str(g_desc, got)); INetFwRule_Release(got); got = NULL; }
    }

    /* rule groups */
    {
        BSTR g = bstr(SEM_GROUP);
        kv_hr("sem.group_disable", INetFwPolicy2_EnableRuleGroup(policy, NET_FW_PROFILE2_ALL, g, VARIANT_FALSE));
        vb = VARIANT_TRUE;
        kv_hr("sem.group_is_enabled.hr", INetFwPolicy2_IsRuleGroupEnabled(policy, NET_FW_PROFILE2_ALL, g, &vb));
        kv_long("sem.group_is_enabled", vb ? 1 : 0);
        kv_hr("sem.group_enable", INetFwPolicy2_EnableRuleGroup(policy, NET_FW_PROFILE2_ALL, g, VARIANT_TRUE));
        INetFwPolicy2_IsRuleGroupEnabled(policy, NET_FW_PROFILE2_ALL, g, &vb);
        kv_long("sem.group_is_enabled_after_enable", vb ? 1 : 0);
        SysFreeString(g);
        g = bstr(L"otharden-sim no such group");
        kv_hr("sem.group_missing", INetFwPolicy2_EnableRuleGroup(policy, NET_FW_PROFILE2_ALL, g, VARIANT_TRUE));
        SysFreeString(g);
    }

    /* Remove: one name, two rules (which one(s) go: the simulator's RulesRemove setting) */
    kv_hr("sem.remove_one_name", remove_rule(SEM_NAME));
    kv_long("sem.count_after_remove", count_rules());
    hr = item(SEM_NAME, &got);
    kv_hr("sem.item_after_remove", hr);
    if (SUCCEEDED(hr)) { kv_w("sem.item_after_remove.desc", get_str(g_desc, got)); INetFwRule_Release(got); got = NULL; }
    if (r2) {
        /* a removed rule's object: a get fails; Add writes it back under its id */
        int gone1 = !wcsncmp(get_str(g_name, r), L"<hr:", 4), gone2 = !wcsncmp(get_str(g_name, r2), L"<hr:", 4);
        INetFwRule *gone = gone1 ? r : gone2 ? r2 : NULL;
        kv_long("sem.removed_objects", gone1 + gone2);
        if (gone) {
            kv_w("sem.removed_object.name", get_str(g_name, gone));
            kv_hr("sem.readd_removed_object", INetFwRules_Add(rules, gone));
            kv_long("sem.count_after_readd", count_rules());
            kv_w("sem.readd_removed_object.name", get_str(g_name, gone));
        }
    }
    /* clean up: every scratch rule (bounded: a Remove that removes nothing must not hang) */
    for (l = 0; l < 8 && SUCCEEDED(item(SEM_NAME, &got)); l++) {
        INetFwRule_Release(got);
        got = NULL;
        if (FAILED(remove_rule(SEM_NAME))) break;
    }
    kv_hr("sem.item_missing", item(SEM_NAME, &got));
    kv_hr("sem.remove_missing", remove_rule(SEM_NAME));
    kv_long("sem.count_end", count_rules());
    kv_long("sem.count_restored", count_rules() == before ? 1 : 0);
    if (r2) INetFwRule_Release(r2);
    INetFwRule_Release(r);

    /* policy */
    kv_hr("sem.policy.enabled_profile_all", INetFwPolicy2_get_FirewallEnabled(policy, NET_FW_PROFILE2_ALL, &vb));
    kv_hr("sem.policy.enabled_profile_domain_private",
          INetFwPolicy2_get_FirewallEnabled(policy, NET_FW_PROFILE2_DOMAIN | NET_FW_PROFILE2_PRIVATE, &vb));
    kv_hr("sem.policy.inbound_action_2", INetFwPolicy2_put_DefaultInboundAction(policy, NET_FW_PROFILE2_PUBLIC, 2));
    {
        INetFwServiceRestriction *sr = NULL;
        kv_hr("sem.policy.service_restriction", INetFwPolicy2_get_ServiceRestriction(policy, &sr));
        if (sr) INetFwServiceRestriction_Release(sr);
    }
    {
        NET_FW_MODIFY_STATE st = 99;
        kv_hr("sem.policy.modify_state.hr", INetFwPolicy2_get_LocalPolicyModifyState(policy, &st));
        kv_long("sem.policy.modify_state", st);
    }
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    HRESULT hr;
    int rc = 2;

    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    kv_hr("fw.coinit", hr);
    hr = CoCreateInstance(&CLSID_NetFwPolicy2, NULL, CLSCTX_INPROC_SERVER, &IID_INetFwPolicy2, (void **)&policy);
    kv_hr("fw.create", hr);
    if (FAILED(hr) || !policy) { CoUninitialize(); return 4; }

    if (argc == 2 && !wcscmp(argv[1], L"dump")) rc = cmd_dump();
    else if (argc == 3 && !wcscmp(argv[1], L"item")) rc = cmd_item(argv[2]);
    else if (argc == 7 && !wcscmp(argv[1], L"add")) rc = cmd_add(argv[2], argv[3], argv[4], argv[5], argv[6]);
    else if (argc == 4 && !wcscmp(argv[1], L"enable")) rc = cmd_enable(argv[2], argv[3]);
    else if (argc == 3 && !wcscmp(argv[1], L"remove")) rc = cmd_remove(argv[2]);
    else if (argc == 5 && !wcscmp(argv[1], L"profile")) rc = cmd_profile(argv[2], argv[3], argv[4]);
    else if (argc == 2 && !wcscmp(argv[1], L"semantics")) rc = cmd_semantics();
    else if (argc == 2 && !wcscmp(argv[1], L"restore-defaults")) {
        kv_hr("restore_defaults.hr", INetFwPolicy2_RestoreLocalFirewallDefaults(policy));
        rc = 0;
    }
    else fprintf(stderr, "usage: fwprobe dump|item NAME|add NAME PROTO LPORTS RADDRS GROUP|enable NAME 0|1|"
                         "profile P enabled|inbound|outbound VALUE|remove NAME|semantics|restore-defaults\n");
    if (rules) INetFwRules_Release(rules);
    INetFwPolicy2_Release(policy);
    CoUninitialize();
    fflush(stdout);
    return rc;
}
