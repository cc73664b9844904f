// UTF-8 inside, UTF-16 only at the W-API edge.
#pragma once

#include <string>

namespace otharden {

// Invalid sequences become U+FFFD; never fails.
std::string Utf8FromWide(const std::wstring& wide);
std::wstring WideFromUtf8(const std::string& utf8);

}  // namespace otharden
