#include "toolkit/cli/options.h"

#include <filesystem>
#include <iostream>

#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/platform/process.h"

namespace otharden {

namespace po = boost::program_options;
namespace fs = std::filesystem;

int ParseCommandOptions(const std::vector<std::string>& args, const po::options_description& options,
                        po::variables_map* vm, const po::positional_options_description* positional) {
  try {
    po::command_line_parser parser(args);
    parser.options(options);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), *vm);
    if (vm->count("help")) {
      std::cout << options;
      return kExitOk;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    std::cerr << options;
    return ReportError(Status::InvalidInput(e.what()));
  }
  return -1;
}

Result<std::string> FindDataFile(const std::string& relative) {
  std::vector<fs::path> candidates;
  Result<std::string> exe = ExecutablePath();
  if (exe.ok()) {
    fs::path dir = fs::u8path(*exe).parent_path();
    for (int up = 0; up < 3 && !dir.empty(); ++up) {
      candidates.push_back(dir / fs::u8path(relative));
      dir = dir.parent_path();
    }
  }
  candidates.push_back(fs::u8path(relative));
  std::string tried;
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.lexically_normal().u8string();
    tried += "\n  " + p.lexically_normal().u8string();
  }
  return Status::NotFound("cannot find " + relative + "; looked in:" + tried +
                          "\nGive the file with its option (e.g. --policy FILE).");
}

}  // namespace otharden
