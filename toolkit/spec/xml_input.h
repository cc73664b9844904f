// Strict reading of the XML files a user hands us (policies, later profiles and
// site files): size-limited, every error names the file and line.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include <tinyxml2.h>

#include "toolkit/model/status.h"

namespace otharden {

// Files larger than this are refused before parsing: no policy or profile comes
// anywhere near it, and a huge file on a stick is a mistake or an attack.
constexpr size_t kMaxInputFileBytes = 4 * 1024 * 1024;

// Reads a whole file, refusing files over max_bytes. Errors name the path.
Result<std::string> ReadInputFile(const std::string& path, size_t max_bytes = kMaxInputFileBytes);

// A parsed XML document that remembers where it came from.
class XmlInput {
 public:
  // Parses `text` (the content of `path`); errors are "PATH:LINE: problem".
  Status Parse(const std::string& path, const std::string& text);

  const std::string& path() const { return path_; }
  tinyxml2::XMLElement* root() { return doc_.RootElement(); }

  // "PATH:LINE: message" as an kInvalidInput Status.
  Status ErrorAt(const tinyxml2::XMLElement* at, const std::string& message) const;

  // Refuses attributes and child elements not listed, and any text content when
  // allow_text is false. Comments are always fine.
  Status CheckShape(const tinyxml2::XMLElement* el, std::initializer_list<const char*> attributes,
                    std::initializer_list<const char*> children, bool allow_text = false) const;

  // An attribute's value; RequiredAttribute fails naming the element and attribute.
  std::optional<std::string> Attribute(const tinyxml2::XMLElement* el, const char* name) const;
  Result<std::string> RequiredAttribute(const tinyxml2::XMLElement* el, const char* name) const;

  // The element's text with surrounding whitespace trimmed and inner runs of
  // whitespace collapsed to one space (so prose can be wrapped in the file).
  static std::string Text(const tinyxml2::XMLElement* el);

 private:
  std::string path_;
  tinyxml2::XMLDocument doc_{true, tinyxml2::COLLAPSE_WHITESPACE};
};

}  // namespace otharden
