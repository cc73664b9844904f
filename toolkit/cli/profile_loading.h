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
// resolves its parameters from --param (which wins) and the site file (which
// must be written for this profile); a missing, malformed or undeclared
// parameter is kInvalidInput naming it and where it came from.
Result<Profile> LoadProfileForRun(const ProfileInputs& inputs);

// --param NAME=VALUE strings and a site file (either may be empty), merged:
// --param wins. *site_out, when given, receives the site file as read.
struct SiteFile;
Result<std::vector<ParameterArgument>> LoadParameterArguments(const std::vector<std::string>& params,
                                                              const std::string& site_file, SiteFile* site_out);

// The plan's listing of the parameters used and where each value came from
// (and which entries a boolean parameter left out); empty without parameters.
std::string DescribeParameters(const Profile& profile);

// The policy `profile` requires (policies/<profile.policy>.xml), with any
// parameters it declares taken from the profile's resolved values. Also
// returns the file it was read from.
struct RequiredPolicy {
  Policy policy;
  std::string path;
};
Result<RequiredPolicy> LoadRequiredPolicy(const Profile& profile);

}  // namespace otharden
