// Option parsing shared by the commands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "toolkit/model/status.h"

namespace otharden {

// Parses `args` against `options` into `vm`. Returns -1 to go on, or the exit
// code to return at once: 0 after printing --help, 2 after a usage error.
int ParseCommandOptions(const std::vector<std::string>& args,
                        const boost::program_options::options_description& options,
                        boost::program_options::variables_map* vm,
                        const boost::program_options::positional_options_description* positional = nullptr);

// Finds a file shipped with the tool (e.g. "policies/esu-6003.xml"): next to the
// executable, one or two folders up from it (the stick's bin\x64\ and the build
// tree's build\win64\), then the current directory. Errors list where it looked.
Result<std::string> FindDataFile(const std::string& relative);

}  // namespace otharden
