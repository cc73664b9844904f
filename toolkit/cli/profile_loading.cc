#include "toolkit/cli/profile_loading.h"

#include <algorithm>

#include "toolkit/cli/options.h"
#include "toolkit/spec/site.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {

Result<std::vector<ParameterArgument>> LoadParameterArguments(const std::vector<std::string>& params,
                                                              const std::string& site_file, SiteFile* site_out) {
  std::vector<ParameterArgument> site_values, param_values;
  if (!site_file.empty()) {
    Result<SiteFile> site = LoadSiteFile(site_file);
    if (!site.ok()) return site.status();
    site_values = site->values;
    if (site_out) *site_out = *site;
  }
  for (const std::string& text : params) {
    Result<ParameterArgument> arg = ParseParamOption(text);
    if (!arg.ok()) return arg.status();
    param_values.push_back(*arg);
  }
  return MergeParameterArguments(site_values, param_values);
}

Result<Profile> LoadProfileForRun(const ProfileInputs& inputs) {
  if (inputs.profile_path.empty()) return Status::InvalidInput("give the profile: --profile FILE");
  Result<std::string> protected_path = FindDataFile("policies/protected-services.xml");
  if (!protected_path.ok()) return protected_path.status();
  Result<ProtectedServices> protected_services = LoadProtectedServicesFile(*protected_path);
  if (!protected_services.ok()) return protected_services.status();

  SiteFile site;
  Result<std::vector<ParameterArgument>> given = LoadParameterArguments(inputs.params, inputs.site_file, &site);
  if (!given.ok()) return given.status();
  Result<std::string> text = ReadInputFile(inputs.profile_path);
  if (!text.ok()) return text.status();
  // A site file written for another profile is refused before its names are
  // matched: "declares no parameter" would hide the real mistake.
  if (!inputs.site_file.empty()) {
    Result<std::string> name = ProfileNameOf(inputs.profile_path, *text);
    if (!name.ok()) return name.status();
    if (*name != site.profile) {
      return Status::InvalidInput(inputs.site_file + ": this site file is for profile '" + site.profile +
                                  "', not '" + *name + "' (" + inputs.profile_path +
                                  "): give the site file written for this profile");
    }
  }
  return ParseProfile(inputs.profile_path, *text, *protected_services, *given);
}

Result<RequiredPolicy> LoadRequiredPolicy(const Profile& profile) {
  Result<std::string> path = FindDataFile("policies/" + profile.policy + ".xml");
  if (!path.ok()) return path.status();
  // A parameterised policy takes its values from the profile's: a profile that
  // requires one declares those parameters itself, so --param and the site
  // file have one place to be checked against.
  std::vector<ParameterArgument> given;
  for (const ParameterValue& v : profile.parameter_values) {
    given.push_back({v.name, v.value, "profile " + profile.name + " parameter " + v.name + " (" + v.source + ")",
                     v.source});
  }
  Result<Policy> policy = LoadPolicyFile(*path, given, false);
  if (!policy.ok()) {
    if (policy.status().code() != Status::Code::kInvalidInput) return policy.status();
    return Status::InvalidInput(policy.status().message() + " [policy " + profile.policy + " is required by profile " +
                                profile.name + " (" + profile.path +
                                "), which passes the policy's parameters by declaring them itself]");
  }
  return RequiredPolicy{*policy, *path};
}

std::string DescribeParameters(const Profile& profile) {
  if (profile.parameter_values.empty()) return "";
  size_t width = 0, value_width = 0;
  for (const ParameterValue& v : profile.parameter_values) {
    width = std::max(width, v.name.size());
    value_width = std::max(value_width, v.value.size());
  }
  std::string out = "Parameters (" + std::to_string(profile.parameter_values.size()) +
                    "; --param overrides the site file, which overrides the default):\n";
  for (const ParameterValue& v : profile.parameter_values) {
    out += "  " + v.name + std::string(width - v.name.size(), ' ') + " = " + v.value +
           std::string(value_width - v.value.size(), ' ') + "  from " + v.source + "\n";
  }
  if (!profile.excluded.empty()) {
    out += "Left out by a parameter (" + std::to_string(profile.excluded.size()) + "):\n";
    for (const std::string& e : profile.excluded) out += "  " + e + "\n";
  }
  return out;
}

}  // namespace otharden
