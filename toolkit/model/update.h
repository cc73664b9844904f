// Installed updates as the Component Based Servicing store lists them.
#pragma once

#include <cstdint>
#include <string>

namespace otharden {

// One subkey of ...\Component Based Servicing\Packages and its CurrentState.
struct CbsPackage {
  std::string name;        // Package_for_KB4493471~31bf3856ad364e35~amd64~~6.0.1.2
  std::string kb;          // "KB4493471", empty when the name carries no KB number
  uint32_t current_state = 0;
};

// CurrentState values (FACTS.md, "Installed updates"): 0x70 installed, 0x50
// superseded, ... Unknown values are kept and named "unknown (0xNN)".
std::string CbsStateName(uint32_t state);

// True for states in which the update's fix is on the host: installed (0x70),
// permanent (0x80) and superseded (0x50, a later cumulative update carries it).
bool CbsStateMeansPresent(uint32_t state);

// True for states where the update waits for a reboot or is half done:
// uninstall pending, install pending, partially installed, staged...
bool CbsStateMeansPending(uint32_t state);

// "KB4493471" from "Package_for_KB4493471~31bf...", also "Package_1_for_KB..." and
// "Package_for_RollupFix~..." (no KB: empty string). Upper-cases the "KB".
std::string KbFromPackageName(const std::string& name);

}  // namespace otharden
