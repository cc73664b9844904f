// Site parameters (issue 8): values a profile or policy declares and the site
// supplies -- the PACS's addresses, a port, whether a film printer is attached.
//
// Declared in the file that uses them:
//   <parameters>
//     <parameter name="pacs-addresses" type="address-list" description="..."/>
//     <parameter name="dicom-port" type="port" default="104" description="..."/>
//   </parameters>
// A parameter without a default is required. Values come from --param NAME=VALUE,
// a site file (--site FILE, see site.h) or the default, in that order of
// precedence, and are checked strictly against the type before anything is
// read from or done to the host.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/status.h"

namespace tinyxml2 {
class XMLElement;
}

namespace otharden {

class XmlInput;

// A value the site supplies, as its file declares it.
struct ProfileParameter {
  enum class Type {
    kAddressList,  // "10.20.0.0/16,10.20.5.10": what a rule's remote-addresses accept
    kPort,         // 1..65535
    kBoolean,      // true | false
    kMonth,        // YYYY-MM (policies: the oldest rollup a site accepts)
  };
  std::string name;
  Type type = Type::kAddressList;
  bool required = true;
  std::optional<std::string> default_value;
  std::string description;
  int line = 0;
};

// A parameter's value as used, for the plan and the report.
struct ParameterValue {
  std::string name;
  std::string value;
  std::string source;  // "--param", "site file PATH:LINE", "--param (overrides ...)" or "default"
};

// "address-list", "port", "boolean", "month".
const char* ParameterTypeName(ProfileParameter::Type type);
std::optional<ProfileParameter::Type> ParseParameterType(const std::string& text);

// 1..64 characters: lower-case letters, digits and '-', starting with a letter.
bool IsParameterName(const std::string& name);

// Checks `value` against `type`; on success returns the value as it will be
// used (address lists without spaces). kInvalidInput says what is wrong,
// without naming the parameter (the caller knows where the value came from).
Result<std::string> ValidateParameterValue(ProfileParameter::Type type, const std::string& value);

// One value given for this run, before it is matched to a declaration.
struct ParameterArgument {
  std::string name;
  std::string value;
  std::string origin;  // for messages: "--param pacs-addresses=..." or "site.xml:7"
  std::string source;  // for the plan: "--param", "site file site.xml:7", ...
};

// "NAME=VALUE" from the command line. kInvalidInput when malformed.
Result<ParameterArgument> ParseParamOption(const std::string& text);

// Joins site file values and --param values: a --param wins over the site file
// for the same name (its source says which site entry it overrides); the same
// name twice in --param is an error.
Result<std::vector<ParameterArgument>> MergeParameterArguments(const std::vector<ParameterArgument>& site,
                                                               const std::vector<ParameterArgument>& params);

// The closest of `candidates` to `name` by edit distance (at most 2 edits, or
// a prefix), for "did you mean"; empty when nothing is close.
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

// Reads a <parameters> section (if any) of `parent` into *out, allowing only
// `allowed` types. Errors are FILE:LINE.
Status ReadParameterDeclarations(const XmlInput& xml, const tinyxml2::XMLElement* parent,
                                 const std::vector<ProfileParameter::Type>& allowed,
                                 std::vector<ProfileParameter>* out);

// kInvalidInput for the first of `given` that `declared` does not name, with a
// "did you mean" and the declared names.
Status RejectUndeclared(const std::vector<ParameterArgument>& given, const std::vector<ProfileParameter>& declared,
                        const std::string& declared_in);

// Resolves every declared parameter from `given` (or its default), checking
// each value. `declared_in` names the declaring file for messages
// ("profile medical-imaging (profiles/medical-imaging.xml)"), `path` its path.
// A required parameter without a value, a malformed value, and (when
// `reject_undeclared`) a given name the file does not declare are kInvalidInput,
// each naming the parameter, where it is declared and where the value came from.
Result<std::vector<ParameterValue>> ResolveParameters(const std::string& path, const std::string& declared_in,
                                                      const std::vector<ProfileParameter>& declared,
                                                      const std::vector<ParameterArgument>& given,
                                                      bool reject_undeclared);

// The declaration or value named `name`, or nullptr.
const ProfileParameter* FindParameter(const std::vector<ProfileParameter>& declared, const std::string& name);
const ParameterValue* FindParameterValue(const std::vector<ParameterValue>& values, const std::string& name);

}  // namespace otharden
