// Windows Firewall with Advanced Security through INetFwPolicy2 / INetFwRules /
// INetFwRule: the Vista / Server 2008 interfaces only (nothing from
// INetFwRule2 and later, which are Windows 7+).
#pragma once

#include "toolkit/model/firewall.h"
#include "toolkit/model/status.h"
#include "toolkit/platform/host.h"

namespace otharden {

Result<FirewallSnapshot> ComReadFirewall();
Status ComSetFirewallProfile(const FirewallProfileState& state);
Status ComAddFirewallRule(const FirewallRule& rule);
Status ComRemoveFirewallRule(const FirewallRule& rule);
Status ComSetFirewallRuleEnabled(const FirewallRule& rule, bool enabled);
Result<Host::SessionInfo> ReadWindowsSession();

}  // namespace otharden
