#include "toolkit/spec/parameters.h"

#include <algorithm>
#include <cctype>

#include "toolkit/model/firewall_rule.h"
#include "toolkit/spec/policy.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {

const char* ParameterTypeName(ProfileParameter::Type type) {
  switch (type) {
    case ProfileParameter::Type::kAddressList: return "address-list";
    case ProfileParameter::Type::kPort: return "port";
    case ProfileParameter::Type::kBoolean: return "boolean";
    case ProfileParameter::Type::kMonth: return "month";
  }
  return "?";
}

std::optional<ProfileParameter::Type> ParseParameterType(const std::string& text) {
  for (auto t : {ProfileParameter::Type::kAddressList, ProfileParameter::Type::kPort,
                 ProfileParameter::Type::kBoolean, ProfileParameter::Type::kMonth}) {
    if (text == ParameterTypeName(t)) return t;
  }
  return std::nullopt;
}

bool IsParameterName(const std::string& name) {
  if (name.empty() || name.size() > 64 || !std::islower(static_cast<unsigned char>(name[0]))) return false;
  for (unsigned char c : name) {
    if (!(std::islower(c) || std::isdigit(c) || c == '-')) return false;
  }
  return name.back() != '-';
}

Result<std::string> ValidateParameterValue(ProfileParameter::Type type, const std::string& value) {
  switch (type) {
    case ProfileParameter::Type::kAddressList: {
      if (value.empty()) {
        // An empty remote-address condition means "any address": never by accident.
        return Status::InvalidInput("an address list cannot be empty (an empty scope would admit every address)");
      }
      Result<std::vector<FirewallAddress>> parsed = ParseAddressList(value);
      if (!parsed.ok()) {
        return Status::InvalidInput(parsed.status().message() +
                                    "; give IPv4 addresses, CIDR subnets (10.20.0.0/16) or ranges "
                                    "(10.0.0.1-10.0.0.9), separated by commas");
      }
      std::string compact;
      for (char c : value) {
        if (c != ' ' && c != '\t') compact += c;
      }
      return compact;
    }
    case ProfileParameter::Type::kPort: {
      bool digits = !value.empty() && value.size() <= 5 && value[0] != '0' &&
                    std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stoi(value) > 65535) {
        return Status::InvalidInput("'" + value + "' is not a port: give one number 1-65535 (no ranges: "
                                    "Windows Server 2008 rules hold single ports only)");
      }
      return value;
    }
    case ProfileParameter::Type::kBoolean:
      if (value == "true" || value == "false") return value;
      return Status::InvalidInput("'" + value + "' is not a boolean: give true or false");
    case ProfileParameter::Type::kMonth:
      if (YearMonth::Parse(value)) return value;
      return Status::InvalidInput("'" + value + "' is not a month: give YYYY-MM, such as 2023-01");
  }
  return Status::Internal("unknown parameter type");
}

Result<ParameterArgument> ParseParamOption(const std::string& text) {
  const size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return Status::InvalidInput("--param '" + text + "' must be NAME=VALUE, such as --param pacs-addresses=10.20.0.0/16");
  }
  ParameterArgument arg;
  arg.name = text.substr(0, equals);
  arg.value = text.substr(equals + 1);
  arg.origin = "--param " + text;
  arg.source = "--param";
  if (!IsParameterName(arg.name)) {
    return Status::InvalidInput("--param '" + text + "': '" + arg.name +
                                "' is not a parameter name (lower-case letters, digits and '-')");
  }
  return arg;
}

Result<std::vector<ParameterArgument>> MergeParameterArguments(const std::vector<ParameterArgument>& site,
                                                               const std::vector<ParameterArgument>& params) {
  std::vector<ParameterArgument> merged = site;
  for (size_t i = 0; i < params.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (params[j].name == params[i].name) {
        return Status::InvalidInput("--param " + params[i].name + " is given twice ('" + params[j].value + "' and '" +
                                    params[i].value + "'): give it once");
      }
    }
    ParameterArgument arg = params[i];
    auto it = std::find_if(merged.begin(), merged.end(), [&](const ParameterArgument& a) { return a.name == arg.name; });
    if (it != merged.end()) {
      arg.source = "--param (overrides " + it->source + ")";
      *it = arg;
    } else {
      merged.push_back(arg);
    }
  }
  return merged;
}

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string JoinNames(const std::vector<ProfileParameter>& declared) {
  std::string out;
  for (const ProfileParameter& p : declared) out += (out.empty() ? "" : ", ") + p.name;
  return out.empty() ? "none" : out;
}

}  // namespace

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d >= best_distance && name.size() >= 3 && c.rfind(name, 0) == 0) d = 2;  // a prefix of it
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

Status ReadParameterDeclarations(const XmlInput& xml, const tinyxml2::XMLElement* parent,
                                 const std::vector<ProfileParameter::Type>& allowed,
                                 std::vector<ProfileParameter>* out) {
  const tinyxml2::XMLElement* section = parent->FirstChildElement("parameters");
  if (!section) return Status::Ok();
  if (section->NextSiblingElement("parameters")) {
    return xml.ErrorAt(section->NextSiblingElement("parameters"), "more than one <parameters> section");
  }
  Status s = xml.CheckShape(section, {}, {"parameter"});
  if (!s.ok()) return s;
  std::string allowed_names;
  for (ProfileParameter::Type t : allowed) allowed_names += (allowed_names.empty() ? "" : ", ") + std::string(ParameterTypeName(t));
  for (const tinyxml2::XMLElement* el = section->FirstChildElement("parameter"); el;
       el = el->NextSiblingElement("parameter")) {
    if (!(s = xml.CheckShape(el, {"name", "type", "default", "description"}, {})).ok()) return s;
    ProfileParameter p;
    p.line = el->GetLineNum();
    Result<std::string> name = xml.RequiredAttribute(el, "name");
    if (!name.ok()) return name.status();
    if (!IsParameterName(*name)) {
      return xml.ErrorAt(el, "parameter name '" + *name +
                                 "' must be lower-case letters, digits and '-', starting with a letter");
    }
    if (const ProfileParameter* earlier = FindParameter(*out, *name)) {
      return xml.ErrorAt(el, "parameter '" + *name + "' is declared twice (first on line " +
                                 std::to_string(earlier->line) + ")");
    }
    p.name = *name;
    Result<std::string> type = xml.RequiredAttribute(el, "type");
    if (!type.ok()) return type.status();
    std::optional<ProfileParameter::Type> t = ParseParameterType(*type);
    if (!t || std::find(allowed.begin(), allowed.end(), *t) == allowed.end()) {
      return xml.ErrorAt(el, "parameter '" + p.name + "': type '" + *type + "' must be one of: " + allowed_names);
    }
    p.type = *t;
    Result<std::string> description = xml.RequiredAttribute(el, "description");
    if (!description.ok()) return description.status();
    p.description = *description;
    if (std::optional<std::string> def = xml.Attribute(el, "default")) {
      Result<std::string> checked = ValidateParameterValue(p.type, *def);
      if (!checked.ok()) {
        return xml.ErrorAt(el, "parameter '" + p.name + "': default " + checked.status().message());
      }
      p.default_value = *checked;
      p.required = false;
    }
    out->push_back(std::move(p));
  }
  if (out->empty()) return xml.ErrorAt(section, "<parameters> declares no <parameter>");
  return Status::Ok();
}

Status RejectUndeclared(const std::vector<ParameterArgument>& given, const std::vector<ProfileParameter>& declared,
                        const std::string& declared_in) {
  std::vector<std::string> names;
  for (const ProfileParameter& p : declared) names.push_back(p.name);
  for (const ParameterArgument& arg : given) {
    if (FindParameter(declared, arg.name)) continue;
    const std::string guess = ClosestName(arg.name, names);
    return Status::InvalidInput(arg.origin + ": " + declared_in + " declares no parameter '" + arg.name + "'" +
                                (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
                                " (it declares: " + JoinNames(declared) + ")");
  }
  return Status::Ok();
}

Result<std::vector<ParameterValue>> ResolveParameters(const std::string& path, const std::string& declared_in,
                                                      const std::vector<ProfileParameter>& declared,
                                                      const std::vector<ParameterArgument>& given,
                                                      bool reject_undeclared) {
  if (reject_undeclared) {
    Status s = RejectUndeclared(given, declared, declared_in);
    if (!s.ok()) return s;
  }
  std::vector<ParameterValue> values;
  for (const ProfileParameter& p : declared) {
    const std::string where = path + ":" + std::to_string(p.line);
    auto arg = std::find_if(given.begin(), given.end(), [&](const ParameterArgument& a) { return a.name == p.name; });
    if (arg == given.end()) {
      if (!p.default_value) {
        // A near miss among the names given is most likely a typo of this one.
        std::vector<std::string> given_names;
        for (const ParameterArgument& a : given) given_names.push_back(a.name);
        const std::string near = ClosestName(p.name, given_names);
        std::string hint;
        for (const ParameterArgument& a : given) {
          if (!near.empty() && a.name == near) hint = " (" + a.origin + " was given: is '" + near + "' a typo of '" + p.name + "'?)";
        }
        return Status::InvalidInput(where + ": parameter '" + p.name + "' (" + ParameterTypeName(p.type) + ": " +
                                    p.description + ") is required and has no value: give --param " + p.name +
                                    "=VALUE or put it in the site file (--site FILE)" + hint);
      }
      values.push_back({p.name, *p.default_value, "default"});
      continue;
    }
    Result<std::string> checked = ValidateParameterValue(p.type, arg->value);
    if (!checked.ok()) {
      return Status::InvalidInput(arg->origin + ": parameter '" + p.name + "' (" + ParameterTypeName(p.type) +
                                  ", declared at " + where + "): " + checked.status().message());
    }
    values.push_back({p.name, *checked, arg->source});
  }
  return values;
}

const ProfileParameter* FindParameter(const std::vector<ProfileParameter>& declared, const std::string& name) {
  for (const ProfileParameter& p : declared) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const ParameterValue* FindParameterValue(const std::vector<ParameterValue>& values, const std::string& name) {
  for (const ParameterValue& v : values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

}  // namespace otharden
