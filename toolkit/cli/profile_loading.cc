#include "toolkit/cli/profile_loading.h"

#include "toolkit/cli/options.h"

namespace otharden {

Result<Profile> LoadProfileForRun(const ProfileInputs& inputs) {
  if (inputs.profile_path.empty()) return Status::InvalidInput("give the profile: --profile FILE");
  Result<std::string> protected_path = FindDataFile("policies/protected-services.xml");
  if (!protected_path.ok()) return protected_path.status();
  Result<ProtectedServices> protected_services = LoadProtectedServicesFile(*protected_path);
  if (!protected_services.ok()) return protected_services.status();
  if (!inputs.params.empty() || !inputs.site_file.empty()) {
    return Status::InvalidInput("profile parameters (--param, --site) are not supported yet");
  }
  return LoadProfileFile(inputs.profile_path, *protected_services);
}

Result<RequiredPolicy> LoadRequiredPolicy(const Profile& profile) {
  Result<std::string> path = FindDataFile("policies/" + profile.policy + ".xml");
  if (!path.ok()) return path.status();
  Result<Policy> policy = LoadPolicyFile(*path);
  if (!policy.ok()) return policy.status();
  return RequiredPolicy{*policy, *path};
}

}  // namespace otharden
