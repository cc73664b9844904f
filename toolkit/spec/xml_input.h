// Strict reading of the XML files a user hands us (policies, later profiles and
// site files): size-limited, every error names the file and line.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
  XmlInput() = default;
  // For checking elements of a document parsed elsewhere (by another XmlInput)
  // with errors naming `path`: ErrorAt, CheckShape and the attribute readers.
  explicit XmlInput(std::string path) : path_(std::move(path)) {}

  // Parses `text` (the content of `path`); errors are "PATH:LINE: problem".
  Status Parse(const std::string& path, const std::string& text);

  const std::string& path() const { return path_; }
  tinyxml2::XMLElement* root() { return doc_.RootElement(); }

  // "PATH:LINE: message" as an kInvalidInput Status.
  Status ErrorAt(const tinyxml2::XMLElement* at, const std::string& message) const;

  // Refuses attributes and child elements not listed, and any text content when
  // allow_text is false. Comments are always fine.
  Status CheckShape(const tinyxml2::XMLElement* el, const std::vector<const char*>& attributes,
                    const std::vector<const char*>& children, bool allow_text = false) const;

  // An attribute's value; RequiredAttribute fails naming the element and attribute.
  std::optional<std::string> Attribute(const tinyxml2::XMLElement* el, const char* name) const;
  Result<std::string> RequiredAttribute(const tinyxml2::XMLElement* el, const char* name) const;

  // Reads the text of the single child element `name` of `parent` into *out.
  // A missing child is an error when `required` (and so is an empty one),
  // otherwise leaves *out untouched; two such children are always an error.
  Status ChildText(const tinyxml2::XMLElement* parent, const char* name, std::string* out,
                   bool required) const;

  // The element's text with surrounding whitespace trimmed and inner runs of
  // whitespace collapsed to one space (so prose can be wrapped in the file).
  static std::string Text(const tinyxml2::XMLElement* el);

 private:
  std::string path_;
  tinyxml2::XMLDocument doc_{true, tinyxml2::COLLAPSE_WHITESPACE};
};

}  // namespace otharden
