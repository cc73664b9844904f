// Loading the profile a plan or apply runs with: the file, the protected
// services list, and the site's parameter values (--param, --site).
#pragma once

#include <string>
#include <vector>

#include "toolkit/model/status.h"
#include "toolkit/spec/policy.h"
#include "toolkit/spec/profile.h"

namespace otharden {

struct ProfileInputs {
  std::string profile_path;
  std::vector<std::string> params;  // each "NAME=VALUE" from --param
  std::string site_file;            // --site FILE, or empty
};

// Reads and validates the profile against policies/protected-services.xml and
// resolves its parameters; a missing or malformed parameter is kInvalidInput
// naming it.
Result<Profile> LoadProfileForRun(const ProfileInputs& inputs);

// The policy `profile` requires (policies/<profile.policy>.xml), with any
// parameters it declares taken from the profile's resolved values. Also
// returns the file it was read from.
struct RequiredPolicy {
  Policy policy;
  std::string path;
};
Result<RequiredPolicy> LoadRequiredPolicy(const Profile& profile);

}  // namespace otharden
