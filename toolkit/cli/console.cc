#include "toolkit/cli/console.h"

#include <iostream>
#include <sstream>

#include "toolkit/cli/exit_codes.h"

namespace otharden {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidInput:
    case Status::Code::kIoError:
    case Status::Code::kNotFound: return kExitBadInput;
    case Status::Code::kNotSupported:
    case Status::Code::kAccessDenied:
    case Status::Code::kHostError:
    case Status::Code::kInternal: return kExitEnvironment;
  }
  return kExitEnvironment;
}

int ReportError(const Status& status) {
  std::cerr << "otharden: error: " << status.message() << "\n";
  if (status.code() == Status::Code::kAccessDenied) {
    std::cerr << "otharden: run it elevated: right-click run.cmd or a command prompt and "
                 "choose 'Run as administrator'.\n";
  }
  return ExitCodeFor(status);
}

std::string Wrap(const std::string& text, size_t first_column, size_t indent, size_t width) {
  std::istringstream words(text);
  std::string out;
  size_t column = first_column;
  bool line_empty = true;
  for (std::string word; words >> word;) {
    if (!line_empty && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_empty = false;
  }
  return out;
}

}  // namespace otharden
