// Site files (--site FILE): the parameter values of one site for one profile,
// kept with the site's records instead of typed on each run.
//
//   <site format="1" profile="medical-imaging">
//     <description>St Mary's radiology, CT room 2</description>
//     <param name="pacs-addresses" value="10.20.0.0/16"/>
//   </site>
//
// The reader is strict: unknown elements or attributes, a name given twice and
// a malformed name are errors "FILE:LINE: problem". Whether each name is one
// the profile declares, and each value fits its type, is checked when the
// values are resolved against the profile (parameters.h), which names the line.
#pragma once

#include <string>
#include <vector>

#include "toolkit/model/status.h"
#include "toolkit/spec/parameters.h"

namespace otharden {

struct SiteFile {
  std::string path;
  std::string profile;  // the profile these values are for
  std::string description;
  std::vector<ParameterArgument> values;  // origin "FILE:LINE", source "site file FILE:LINE"
};

Result<SiteFile> ParseSiteFile(const std::string& path, const std::string& text);
Result<SiteFile> LoadSiteFile(const std::string& path);

}  // namespace otharden
