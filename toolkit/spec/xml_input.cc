#include "toolkit/spec/xml_input.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace otharden {
namespace {

// "4 MiB", "64 KiB", or "1000 bytes": limits are round numbers.
std::string SizeText(uint64_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Status TooLarge(const std::string& path, const std::string& size, size_t max_bytes) {
  return Status::InvalidInput(path + ": file is larger than " + std::to_string(max_bytes) +
                              " bytes (" + SizeText(max_bytes) + ", the most otharden reads from "
                              "a file of this kind): it is " + size +
                              "; refusing to read it. Is it the right file?");
}

}  // namespace

Result<std::string> ReadInputFile(const std::string& path, size_t max_bytes) {
  // Refused before reading when its size says so; the read below stops at the
  // limit anyway (a file that grows, a device that reports no size).
  std::error_code ec;
  const std::filesystem::path fs_path = std::filesystem::u8path(path);
  if (std::filesystem::is_regular_file(fs_path, ec)) {
    const uintmax_t size = std::filesystem::file_size(fs_path, ec);
    if (!ec && size > max_bytes) return TooLarge(path, std::to_string(size) + " bytes", max_bytes);
  }
  // u8path: on Windows the stream opens the UTF-16 name, not the ANSI one.
  std::ifstream in(fs_path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open file for reading");
  std::string data;
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    data.append(buffer, static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes) return TooLarge(path, "more than that", max_bytes);
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  return data;
}

namespace {

// tinyxml2's error names are for programmers; say it in words, keep its detail.
std::string DescribeParseError(const tinyxml2::XMLDocument& doc) {
  std::string what;
  switch (doc.ErrorID()) {
    case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT:
      what = "an element is not closed, or is closed by the wrong end tag";
      break;
    case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE: what = "malformed attribute"; break;
    case tinyxml2::XML_ERROR_PARSING_ELEMENT: what = "malformed element"; break;
    case tinyxml2::XML_ERROR_EMPTY_DOCUMENT: what = "the file is empty"; break;
    case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED: what = "elements are nested too deeply"; break;
    default: what = doc.ErrorName(); break;
  }
  // ErrorStr() is "Error=NAME ErrorID=N (0xN) Line number=N: detail".
  const std::string full = doc.ErrorStr() ? doc.ErrorStr() : "";
  const size_t colon = full.find(": ");
  if (colon != std::string::npos && colon + 2 < full.size()) what += " (" + full.substr(colon + 2) + ")";
  return what;
}

}  // namespace

Status XmlInput::Parse(const std::string& path, const std::string& text) {
  path_ = path;
  // tinyxml2 stops at a NUL byte and would accept whatever follows it unread;
  // XML 1.0 allows no NUL character, so a file holding one is refused.
  const size_t nul = text.find('\0');
  if (nul != std::string::npos) {
    const long line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    return Status::InvalidInput(path + ":" + std::to_string(line) + ": a NUL byte (at byte offset " +
                                std::to_string(nul) + "): not an XML text file");
  }
  if (doc_.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS) {
    return Status::InvalidInput(path + ":" + std::to_string(doc_.ErrorLineNum()) +
                                ": not well-formed XML: " + DescribeParseError(doc_));
  }
  if (!doc_.RootElement()) return Status::InvalidInput(path + ": no root element");
  return Status::Ok();
}

Status XmlInput::ErrorAt(const tinyxml2::XMLElement* at, const std::string& message) const {
  return Status::InvalidInput(path_ + ":" + std::to_string(at ? at->GetLineNum() : 0) + ": " +
                              message);
}

Status XmlInput::CheckShape(const tinyxml2::XMLElement* el,
                            const std::vector<const char*>& attributes,
                            const std::vector<const char*>& children, bool allow_text) const {
  for (const tinyxml2::XMLAttribute* a = el->FirstAttribute(); a; a = a->Next()) {
    bool known = false;
    for (const char* name : attributes) known = known || std::strcmp(name, a->Name()) == 0;
    if (!known) {
      return ErrorAt(el, std::string("unknown attribute '") + a->Name() + "' on <" + el->Name() +
                             ">");
    }
  }
  for (const tinyxml2::XMLNode* n = el->FirstChild(); n; n = n->NextSibling()) {
    if (n->ToComment()) continue;
    if (const tinyxml2::XMLElement* child = n->ToElement()) {
      bool known = false;
      for (const char* name : children) known = known || std::strcmp(name, child->Name()) == 0;
      if (!known) {
        return ErrorAt(child, std::string("unknown element <") + child->Name() + "> inside <" +
                                  el->Name() + ">");
      }
    } else if (n->ToText() && !allow_text) {
      return ErrorAt(el, std::string("unexpected text inside <") + el->Name() + ">");
    } else if (!n->ToText()) {
      return ErrorAt(el, std::string("unexpected content inside <") + el->Name() + ">");
    }
  }
  return Status::Ok();
}

std::optional<std::string> XmlInput::Attribute(const tinyxml2::XMLElement* el,
                                               const char* name) const {
  const char* value = el->Attribute(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

Result<std::string> XmlInput::RequiredAttribute(const tinyxml2::XMLElement* el,
                                                const char* name) const {
  const char* value = el->Attribute(name);
  if (!value || !*value) {
    return ErrorAt(el, std::string("<") + el->Name() + "> needs a non-empty '" + name +
                           "' attribute");
  }
  return std::string(value);
}

Status XmlInput::ChildText(const tinyxml2::XMLElement* parent, const char* name, std::string* out,
                           bool required) const {
  const tinyxml2::XMLElement* el = parent->FirstChildElement(name);
  if (!el) {
    return required ? ErrorAt(parent, std::string("<") + parent->Name() + "> needs a <" + name + "> element")
                    : Status::Ok();
  }
  if (el->NextSiblingElement(name)) {
    return ErrorAt(el->NextSiblingElement(name),
                   std::string("more than one <") + name + "> in <" + parent->Name() + ">");
  }
  Status s = CheckShape(el, {}, {}, true);
  if (!s.ok()) return s;
  *out = Text(el);
  if (required && out->empty()) return ErrorAt(el, std::string("<") + name + "> is empty");
  return Status::Ok();
}

std::string XmlInput::Text(const tinyxml2::XMLElement* el) {
  const char* raw = el->GetText();
  std::string out;
  bool pending_space = false;
  for (const char* p = raw ? raw : ""; *p; ++p) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += *p;
  }
  return out;
}

}  // namespace otharden
