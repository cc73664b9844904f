// Firewall lockdown: plan a profile's firewall section against the host's
// firewall, guard against cutting the technician's own connection, apply
// journal-first, roll back from the journal.
#pragma once

#include <string>
#include <vector>

#include "toolkit/engine/journal.h"
#include "toolkit/engine/service_lockdown.h"
#include "toolkit/model/firewall.h"
#include "toolkit/platform/host.h"
#include "toolkit/spec/profile.h"

namespace otharden {

struct FirewallChange {
  enum class Kind { kAddRule, kRemoveRule, kDisableRule, kProfile };
  Kind kind = Kind::kAddRule;
  FirewallRule rule;            // kAddRule / kRemoveRule / kDisableRule
  FirewallProfileState before;  // kProfile
  FirewallProfileState after;   // kProfile
  std::string reason;
  // "firewall: add rule allow in TCP 104 from 10.1.2.0/24 (DICOM)"
  std::string Describe() const;
};

struct FirewallPlan {
  std::vector<FirewallChange> changes;  // rules added first, then others disabled, then profiles
  std::vector<std::string> already_set;
};

// Plans the profile's firewall section against `now`. Changes nothing.
FirewallPlan PlanFirewallLockdown(const FirewallSnapshot& now, const Profile& profile);

// The firewall as it will be once `plan` is applied to `now`.
FirewallSnapshot FirewallAfter(const FirewallSnapshot& now, const FirewallPlan& plan);

// True when inbound TCP `port` from IPv4 `address` gets through `firewall` in
// every profile active now (all three when the current profiles are unknown).
// An unknown address (nullopt) is let through only by rules open to every
// address. Block rules win over allow rules, as in Windows Firewall.
bool InboundTcpAllowed(const FirewallSnapshot& firewall, uint16_t port, const std::optional<std::string>& address);

// The lockout guard. When the session is remote (Remote Desktop: TCP 3389 from
// the client's address) or the profile marks ports as management, refuses a
// plan after which that traffic would be blocked. kInvalidInput says what would
// be cut and how to proceed (--allow-lockout); Ok otherwise.
Status CheckLockout(const FirewallSnapshot& now, const FirewallPlan& plan, const Profile& profile,
                    const Host::SessionInfo& session);

// Makes the planned changes: journal record first, then the change, then a
// read-back. On failure undoes what was done (firewall and services, from the
// journal) and returns the failure with what was undone.
Status ApplyFirewallPlan(Host& host, const FirewallPlan& plan, JournalWriter& journal, const ProgressFn& progress);

// Undoes the journal's firewall changes, newest first; only what differs.
RollbackResult RollbackFirewall(Host& host, const Journal& journal, const ProgressFn& progress);

}  // namespace otharden
