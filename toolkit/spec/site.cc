#include "toolkit/spec/site.h"

#include "toolkit/spec/xml_input.h"

namespace otharden {

Result<SiteFile> ParseSiteFile(const std::string& path, const std::string& text) {
  XmlInput xml;
  Status s = xml.Parse(path, text);
  if (!s.ok()) return s;
  tinyxml2::XMLElement* root = xml.root();
  if (std::string(root->Name()) != "site") {
    return xml.ErrorAt(root, "root element is <" + std::string(root->Name()) + ">, expected <site>: is this a site file?");
  }
  if (!(s = xml.CheckShape(root, {"format", "profile"}, {"description", "param"})).ok()) return s;
  if (xml.Attribute(root, "format").value_or("") != "1") {
    return xml.ErrorAt(root, "site file format '" + xml.Attribute(root, "format").value_or("") +
                                 "' is not supported by this otharden (it reads format=\"1\")");
  }
  SiteFile site;
  site.path = path;
  Result<std::string> profile = xml.RequiredAttribute(root, "profile");
  if (!profile.ok()) return profile.status();
  site.profile = *profile;
  if (!(s = xml.ChildText(root, "description", &site.description, false)).ok()) return s;
  for (tinyxml2::XMLElement* el = root->FirstChildElement("param"); el; el = el->NextSiblingElement("param")) {
    if (!(s = xml.CheckShape(el, {"name", "value"}, {})).ok()) return s;
    Result<std::string> name = xml.RequiredAttribute(el, "name");
    if (!name.ok()) return name.status();
    if (!IsParameterName(*name)) {
      return xml.ErrorAt(el, "'" + *name + "' is not a parameter name (lower-case letters, digits and '-')");
    }
    const char* value = el->Attribute("value");
    if (!value) return xml.ErrorAt(el, "<param name=\"" + *name + "\"> needs a value attribute");
    const std::string where = path + ":" + std::to_string(el->GetLineNum());
    for (const ParameterArgument& earlier : site.values) {
      if (earlier.name == *name) {
        return xml.ErrorAt(el, "parameter '" + *name + "' is given twice (first at " + earlier.origin + ")");
      }
    }
    site.values.push_back({*name, value, where, "site file " + where});
  }
  return site;
}

Result<SiteFile> LoadSiteFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseSiteFile(path, *text);
}

}  // namespace otharden
