// libFuzzer target: a check report XML as `report render` reads it back.
#include <cstddef>
#include <cstdint>
#include <string>

#include "toolkit/report/report_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  otharden::Result<otharden::CheckReport> report = otharden::ParseCheckReport("fuzz.xml", text);
  if (!report.ok() && report.status().message().empty()) __builtin_trap();
  return 0;
}
