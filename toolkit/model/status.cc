#include "toolkit/model/status.h"

namespace otharden {

std::string Status::ToString() const {
  const char* prefix = "";
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: prefix = "not found: "; break;
    case Code::kInvalidInput: prefix = "invalid input: "; break;
    case Code::kIoError: prefix = "I/O error: "; break;
    case Code::kNotSupported: prefix = "not supported: "; break;
    case Code::kAccessDenied: prefix = "access denied: "; break;
    case Code::kHostError: prefix = "host error: "; break;
    case Code::kInternal: prefix = "internal error: "; break;
  }
  return prefix + message_;
}

}  // namespace otharden
