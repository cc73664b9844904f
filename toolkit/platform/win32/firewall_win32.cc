#include "toolkit/platform/win32/firewall_win32.h"
#include "toolkit/platform/win32/system_library.h"

#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"
// MinGW's libuuid lacks the NetFwPolicy2 GUIDs: define them here (FACTS.md).
#include <initguid.h>
#include <netfw.h>
#include <oleauto.h>
#include <wtsapi32.h>

#include <cstdio>
#include <sstream>

namespace otharden {
namespace {

// NET_FW_IP_PROTOCOL_ANY (256) in Microsoft's netfw.h; MinGW's header lacks it.
constexpr LONG kProtocolAny = 256;

// One owner per COM pointer.
template <typename T>
class ComPtr {
 public:
  ComPtr() = default;
  ~ComPtr() { Reset(); }
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;
  T** Out() {
    Reset();
    return &p_;
  }
  T* operator->() const { return p_; }
  T* get() const { return p_; }
  void Reset() {
    if (p_) p_->Release();
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};

// One owner per BSTR.
class Bstr {
 public:
  Bstr() = default;
  explicit Bstr(const std::string& utf8) : b_(SysAllocString(WideFromUtf8(utf8).c_str())) {}
  ~Bstr() { SysFreeString(b_); }
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  BSTR* Out() {
    SysFreeString(b_);
    b_ = nullptr;
    return &b_;
  }
  BSTR get() const { return b_; }
  std::string Utf8() const { return b_ ? Utf8FromWide(std::wstring(b_, SysStringLen(b_))) : std::string(); }

 private:
  BSTR b_ = nullptr;
};

// COM for the duration of one host call (apartment-threaded, as the firewall
// API's samples use it).
class ComScope {
 public:
  ComScope() : hr_(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED)) {}
  ~ComScope() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }

 private:
  HRESULT hr_;
};

std::string Hex(HRESULT hr) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08lX", static_cast<unsigned long>(hr));
  return buffer;
}

Status ComFailure(const std::string& what, const char* call, HRESULT hr) {
  const std::string message = what + ": " + call + " failed: " + SystemMessage(static_cast<uint32_t>(hr)) +
                              " (" + Hex(hr) + ")";
  if (hr == E_NOTIMPL) {
    return Status::NotSupported(message + "; this host's firewall API is not implemented, so otharden "
                                          "changes nothing on it");
  }
  if (hr == E_ACCESSDENIED) return Status::AccessDenied(message);
  if (hr == REGDB_E_CLASSNOTREG) {
    return Status::NotSupported(message + "; Windows Firewall with Advanced Security is not available here");
  }
  return Status::HostError(message);
}

Result<ComPtr<INetFwPolicy2>*> OpenPolicy(ComPtr<INetFwPolicy2>* policy) {
  HRESULT hr = CoCreateInstance(CLSID_NetFwPolicy2, nullptr, CLSCTX_INPROC_SERVER, IID_INetFwPolicy2,
                                reinterpret_cast<void**>(policy->Out()));
  if (FAILED(hr)) return ComFailure("the firewall", "CoCreateInstance(NetFwPolicy2)", hr);
  return policy;
}

NET_FW_PROFILE_TYPE2 ToComProfile(FirewallProfile p) {
  switch (p) {
    case FirewallProfile::kDomain: return NET_FW_PROFILE2_DOMAIN;
    case FirewallProfile::kPrivate: return NET_FW_PROFILE2_PRIVATE;
    case FirewallProfile::kPublic: return NET_FW_PROFILE2_PUBLIC;
  }
  return NET_FW_PROFILE2_DOMAIN;
}

std::string JoinPorts(const std::vector<FirewallPort>& ports) {
  std::string out;
  for (const FirewallPort& p : ports) out += (out.empty() ? "" : ",") + FormatPort(p);
  return out.empty() ? "*" : out;
}

std::string JoinAddresses(const FirewallRule& rule) {
  std::string out;
  for (const auto* list : {&rule.remote_v4, &rule.remote_v6}) {
    for (const FirewallAddress& a : *list) out += (out.empty() ? "" : ",") + FormatAddress(a);
  }
  return out.empty() ? "*" : out;
}

// INetFwRule -> FirewallRule. The API's text forms ("*", "80,443",
// "10.0.0.0/255.255.255.0,LocalSubnet") go through the rule codec's parsers.
Result<FirewallRule> ReadRule(INetFwRule* com) {
  FirewallRule rule;
  Bstr text;
  if (SUCCEEDED(com->get_Name(text.Out()))) rule.name = text.Utf8();
  const std::string what = "firewall rule '" + rule.name + "'";
  if (SUCCEEDED(com->get_Description(text.Out()))) rule.description = text.Utf8();
  if (SUCCEEDED(com->get_Grouping(text.Out()))) rule.grouping = text.Utf8();
  if (SUCCEEDED(com->get_ApplicationName(text.Out()))) rule.app = text.Utf8();
  if (SUCCEEDED(com->get_ServiceName(text.Out()))) rule.service = text.Utf8();
  LONG protocol = kProtocolAny;
  HRESULT hr = com->get_Protocol(&protocol);
  if (FAILED(hr)) return ComFailure(what, "INetFwRule::get_Protocol", hr);
  if (protocol >= 0 && protocol < 256) rule.protocol = static_cast<uint8_t>(protocol);
  for (auto [getter, target] : {std::pair<HRESULT (STDMETHODCALLTYPE INetFwRule::*)(BSTR*), std::vector<FirewallPort>*>{
                                    &INetFwRule::get_LocalPorts, &rule.local_ports},
                                {&INetFwRule::get_RemotePorts, &rule.remote_ports}}) {
    if (FAILED((com->*getter)(text.Out())) || !text.get()) continue;
    const std::string ports = text.Utf8();
    if (ports.empty() || ports == "*") continue;
    Result<std::vector<FirewallPort>> parsed = ParsePortList(ports);
    if (!parsed.ok()) return Status::IoError(what + ": ports '" + ports + "': " + parsed.status().message());
    *target = *parsed;
  }
  if (SUCCEEDED(com->get_RemoteAddresses(text.Out())) && text.get()) {
    const std::string addresses = text.Utf8();
    if (!addresses.empty() && addresses != "*") {
      Result<std::vector<FirewallAddress>> parsed = ParseAddressList(addresses);
      if (!parsed.ok()) return Status::IoError(what + ": addresses '" + addresses + "': " + parsed.status().message());
      for (const FirewallAddress& a : *parsed) (a.ipv6 ? rule.remote_v6 : rule.remote_v4).push_back(a);
    }
  }
  if (SUCCEEDED(com->get_LocalAddresses(text.Out())) && text.get()) {
    const std::string addresses = text.Utf8();
    if (!addresses.empty() && addresses != "*") {
      Result<std::vector<FirewallAddress>> parsed = ParseAddressList(addresses);
      if (!parsed.ok()) return Status::IoError(what + ": addresses '" + addresses + "': " + parsed.status().message());
      for (const FirewallAddress& a : *parsed) (a.ipv6 ? rule.local_v6 : rule.local_v4).push_back(a);
    }
  }
  NET_FW_RULE_DIRECTION direction = NET_FW_RULE_DIR_IN;
  if (SUCCEEDED(com->get_Direction(&direction))) {
    rule.direction = direction == NET_FW_RULE_DIR_OUT ? FirewallDirection::kOut : FirewallDirection::kIn;
  }
  NET_FW_ACTION action = NET_FW_ACTION_ALLOW;
  if (SUCCEEDED(com->get_Action(&action))) {
    rule.action = action == NET_FW_ACTION_BLOCK ? FirewallAction::kBlock : FirewallAction::kAllow;
  }
  VARIANT_BOOL flag = VARIANT_FALSE;
  if (SUCCEEDED(com->get_Enabled(&flag))) rule.active = flag != VARIANT_FALSE;
  if (SUCCEEDED(com->get_EdgeTraversal(&flag))) rule.edge = flag != VARIANT_FALSE;
  LONG profiles = NET_FW_PROFILE2_ALL;
  if (SUCCEEDED(com->get_Profiles(&profiles))) {
    const uint32_t bits = static_cast<uint32_t>(profiles) & 7u;
    rule.profiles = bits == 7u ? 0u : bits;  // all three profiles is written as "all" (0)
  }
  return rule;
}

// Enumerates the rules, calling `visit` for each until it returns false.
template <typename Visit>
Status ForEachRule(INetFwRules* rules, Visit visit) {
  ComPtr<IUnknown> unknown;
  HRESULT hr = rules->get__NewEnum(unknown.Out());
  if (FAILED(hr)) return ComFailure("the firewall rules", "INetFwRules::get__NewEnum", hr);
  ComPtr<IEnumVARIANT> items;
  hr = unknown->QueryInterface(IID_IEnumVARIANT, reinterpret_cast<void**>(items.Out()));
  if (FAILED(hr)) return ComFailure("the firewall rules", "QueryInterface(IEnumVARIANT)", hr);
  for (;;) {
    VARIANT item;
    VariantInit(&item);
    ULONG fetched = 0;
    hr = items->Next(1, &item, &fetched);
    if (FAILED(hr)) return ComFailure("the firewall rules", "IEnumVARIANT::Next", hr);
    if (hr != S_OK || fetched == 0) break;
    ComPtr<INetFwRule> rule;
    bool go_on = true;
    if (item.vt == VT_DISPATCH && item.pdispVal &&
        SUCCEEDED(item.pdispVal->QueryInterface(IID_INetFwRule, reinterpret_cast<void**>(rule.Out())))) {
      Result<FirewallRule> read = ReadRule(rule.get());
      if (!read.ok()) {
        VariantClear(&item);
        return read.status();
      }
      go_on = visit(*read, rule.get());
    }
    VariantClear(&item);
    if (!go_on) break;
  }
  return Status::Ok();
}

// COM, the policy and its rule collection for the duration of one host call.
struct FirewallConnection {
  ComScope com;  // first in, last out: released after the pointers below
  ComPtr<INetFwPolicy2> policy;
  ComPtr<INetFwRules> rules;

  Status Open() {
    Result<ComPtr<INetFwPolicy2>*> opened = OpenPolicy(&policy);
    if (!opened.ok()) return opened.status();
    HRESULT hr = policy->get_Rules(rules.Out());
    if (FAILED(hr)) return ComFailure("the firewall", "INetFwPolicy2::get_Rules", hr);
    return Status::Ok();
  }
};

}  // namespace

Result<FirewallSnapshot> ComReadFirewall() {
  FirewallConnection fw;
  Status s = fw.Open();
  if (!s.ok()) return s;
  INetFwPolicy2* policy = fw.policy.get();
  INetFwRules* rules = fw.rules.get();
  FirewallSnapshot snapshot;
  for (FirewallProfile p : kAllFirewallProfiles) {
    FirewallProfileState state;
    state.profile = p;
    const std::string what = std::string("firewall profile ") + FirewallProfileName(p);
    VARIANT_BOOL enabled = VARIANT_FALSE;
    HRESULT hr = policy->get_FirewallEnabled(ToComProfile(p), &enabled);
    if (FAILED(hr)) return ComFailure(what, "INetFwPolicy2::get_FirewallEnabled", hr);
    state.enabled = enabled != VARIANT_FALSE;
    NET_FW_ACTION action = NET_FW_ACTION_BLOCK;
    hr = policy->get_DefaultInboundAction(ToComProfile(p), &action);
    if (FAILED(hr)) return ComFailure(what, "INetFwPolicy2::get_DefaultInboundAction", hr);
    state.default_inbound = action == NET_FW_ACTION_ALLOW ? FirewallAction::kAllow : FirewallAction::kBlock;
    hr = policy->get_DefaultOutboundAction(ToComProfile(p), &action);
    if (FAILED(hr)) return ComFailure(what, "INetFwPolicy2::get_DefaultOutboundAction", hr);
    state.default_outbound = action == NET_FW_ACTION_ALLOW ? FirewallAction::kAllow : FirewallAction::kBlock;
    snapshot.profiles.push_back(state);
  }
  LONG current = 0;
  if (SUCCEEDED(policy->get_CurrentProfileTypes(&current))) snapshot.current_profiles = static_cast<uint32_t>(current) & 7u;
  s = ForEachRule(rules, [&](const FirewallRule& rule, INetFwRule*) {
    snapshot.rules.push_back(rule);
    return true;
  });
  if (!s.ok()) return s;
  return snapshot;
}

Status ComSetFirewallProfile(const FirewallProfileState& state) {
  ComScope com;
  ComPtr<INetFwPolicy2> policy;
  Result<ComPtr<INetFwPolicy2>*> opened = OpenPolicy(&policy);
  if (!opened.ok()) return opened.status();
  const std::string what = std::string("firewall profile ") + FirewallProfileName(state.profile);
  const NET_FW_PROFILE_TYPE2 p = ToComProfile(state.profile);
  auto action = [](FirewallAction a) { return a == FirewallAction::kAllow ? NET_FW_ACTION_ALLOW : NET_FW_ACTION_BLOCK; };
  HRESULT hr = policy->put_DefaultInboundAction(p, action(state.default_inbound));
  if (FAILED(hr)) return ComFailure(what, "INetFwPolicy2::put_DefaultInboundAction", hr);
  hr = policy->put_DefaultOutboundAction(p, action(state.default_outbound));
  if (FAILED(hr)) return ComFailure(what, "INetFwPolicy2::put_DefaultOutboundAction", hr);
  hr = policy->put_FirewallEnabled(p, state.enabled ? VARIANT_TRUE : VARIANT_FALSE);
  if (FAILED(hr)) return ComFailure(what, "INetFwPolicy2::put_FirewallEnabled", hr);
  return Status::Ok();
}

Status ComAddFirewallRule(const FirewallRule& rule) {
  FirewallConnection fw;
  Status s = fw.Open();
  if (!s.ok()) return s;
  INetFwRules* rules = fw.rules.get();
  const std::string what = "firewall rule '" + rule.name + "'";
  ComPtr<INetFwRule> com_rule;
  HRESULT hr = CoCreateInstance(CLSID_NetFwRule, nullptr, CLSCTX_INPROC_SERVER, IID_INetFwRule,
                                reinterpret_cast<void**>(com_rule.Out()));
  if (FAILED(hr)) return ComFailure(what, "CoCreateInstance(NetFwRule)", hr);
  // Protocol before ports: ports are refused while the protocol is "any".
  struct Step {
    const char* call;
    HRESULT hr;
  };
  Bstr name(rule.name), description(rule.description), grouping(rule.grouping);
  std::vector<Step> steps;
  steps.push_back({"put_Name", com_rule->put_Name(name.get())});
  steps.push_back({"put_Description", com_rule->put_Description(description.get())});
  steps.push_back({"put_Grouping", com_rule->put_Grouping(grouping.get())});
  steps.push_back({"put_Protocol", com_rule->put_Protocol(rule.protocol ? LONG{*rule.protocol} : kProtocolAny)});
  if (!rule.local_ports.empty()) {
    Bstr ports(JoinPorts(rule.local_ports));
    steps.push_back({"put_LocalPorts", com_rule->put_LocalPorts(ports.get())});
  }
  if (!rule.remote_ports.empty()) {
    Bstr ports(JoinPorts(rule.remote_ports));
    steps.push_back({"put_RemotePorts", com_rule->put_RemotePorts(ports.get())});
  }
  if (!rule.remote_v4.empty() || !rule.remote_v6.empty()) {
    Bstr addresses(JoinAddresses(rule));
    steps.push_back({"put_RemoteAddresses", com_rule->put_RemoteAddresses(addresses.get())});
  }
  if (!rule.app.empty()) {
    Bstr app(rule.app);
    steps.push_back({"put_ApplicationName", com_rule->put_ApplicationName(app.get())});
  }
  if (!rule.service.empty()) {
    Bstr service(rule.service);
    steps.push_back({"put_ServiceName", com_rule->put_ServiceName(service.get())});
  }
  steps.push_back({"put_Direction", com_rule->put_Direction(rule.direction == FirewallDirection::kOut
                                                                 ? NET_FW_RULE_DIR_OUT
                                                                 : NET_FW_RULE_DIR_IN)});
  steps.push_back({"put_Profiles", com_rule->put_Profiles(rule.profiles ? static_cast<LONG>(rule.profiles)
                                                                       : static_cast<LONG>(NET_FW_PROFILE2_ALL))});
  steps.push_back({"put_Action", com_rule->put_Action(rule.action == FirewallAction::kBlock ? NET_FW_ACTION_BLOCK
                                                                                          : NET_FW_ACTION_ALLOW)});
  steps.push_back({"put_Enabled", com_rule->put_Enabled(rule.active ? VARIANT_TRUE : VARIANT_FALSE)});
  for (const Step& step : steps) {
    if (FAILED(step.hr)) return ComFailure(what, (std::string("INetFwRule::") + step.call).c_str(), step.hr);
  }
  hr = rules->Add(com_rule.get());
  if (FAILED(hr)) return ComFailure(what, "INetFwRules::Add", hr);
  return Status::Ok();
}

Status ComSetFirewallRuleEnabled(const FirewallRule& rule, bool enabled) {
  FirewallConnection fw;
  Status s = fw.Open();
  if (!s.ok()) return s;
  INetFwRules* rules = fw.rules.get();
  const std::string identity = FirewallRuleIdentity(rule);
  bool found = false;
  HRESULT hr = S_OK;
  s = ForEachRule(rules, [&](const FirewallRule& candidate, INetFwRule* com_rule) {
    if (FirewallRuleIdentity(candidate) != identity) return true;
    found = true;
    if (candidate.active == enabled) return true;  // an identical twin already as wanted: go on
    hr = com_rule->put_Enabled(enabled ? VARIANT_TRUE : VARIANT_FALSE);
    return false;
  });
  if (!s.ok()) return s;
  if (!found) return Status::NotFound("firewall rule '" + rule.name + "' is no longer there");
  if (FAILED(hr)) return ComFailure("firewall rule '" + rule.name + "'", "INetFwRule::put_Enabled", hr);
  return Status::Ok();
}

Status ComRemoveFirewallRule(const FirewallRule& rule) {
  FirewallConnection fw;
  Status s = fw.Open();
  if (!s.ok()) return s;
  INetFwRules* rules = fw.rules.get();
  // INetFwRules::Remove goes by name: make sure the rule meant is the one with
  // that name, so a same-named rule of someone else's is never removed.
  const std::string identity = FirewallRuleIdentity(rule);
  int same_name = 0;
  bool found = false;
  s = ForEachRule(rules, [&](const FirewallRule& candidate, INetFwRule*) {
    if (candidate.name == rule.name) ++same_name;
    if (FirewallRuleIdentity(candidate) == identity) found = true;
    return true;
  });
  if (!s.ok()) return s;
  if (!found) return Status::NotFound("firewall rule '" + rule.name + "' is no longer there");
  if (same_name > 1) {
    return Status::IoError("firewall rule '" + rule.name + "': " + std::to_string(same_name) +
                           " rules share this name; not removing any (INetFwRules::Remove goes by name)");
  }
  Bstr name(rule.name);
  HRESULT hr = rules->Remove(name.get());
  if (FAILED(hr)) return ComFailure("firewall rule '" + rule.name + "'", "INetFwRules::Remove", hr);
  return Status::Ok();
}

Result<Host::SessionInfo> ReadWindowsSession() {
  Host::SessionInfo session;
  session.remote = GetSystemMetrics(SM_REMOTESESSION) != 0;
  if (!session.remote) return session;
  // wtsapi32.dll is not a KnownDLL: not imported, loaded from System32 (system_library.h).
  auto query = SystemFunctionAs<decltype(&WTSQuerySessionInformationW)>(L"wtsapi32.dll",
                                                                         "WTSQuerySessionInformationW");
  auto free_memory = SystemFunctionAs<decltype(&WTSFreeMemory)>(L"wtsapi32.dll", "WTSFreeMemory");
  if (!query || !free_memory) return session;  // no client address: the guard treats it as unknown
  WTS_CLIENT_ADDRESS* address = nullptr;
  DWORD bytes = 0;
  if (query(WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTSClientAddress,
                                  reinterpret_cast<LPWSTR*>(&address), &bytes) &&
      address && bytes >= sizeof(WTS_CLIENT_ADDRESS)) {
    // AF_INET: the IPv4 address is in Address[2..5] (WTS_CLIENT_ADDRESS documentation).
    if (address->AddressFamily == 2 /* AF_INET */) {
      session.client_address = std::to_string(address->Address[2]) + "." + std::to_string(address->Address[3]) +
                               "." + std::to_string(address->Address[4]) + "." +
                               std::to_string(address->Address[5]);
    }
  }
  if (address) free_memory(address);
  return session;
}

}  // namespace otharden
