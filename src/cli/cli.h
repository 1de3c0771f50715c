// The `ser` command-line tool: one function per sub-command, dispatched by main.cpp.
// Thin front end over src/core: parses arguments, prints, maps Status to exit codes.
#pragma once
#include <string>
#include <vector>

namespace ser::cli {

using Args = std::vector<std::string>;  // arguments after the sub-command name

// Each returns the process exit code: 0 success, 1 some input failed, 2 usage error.
int cmd_info(const Args& args);
int cmd_features(const Args& args);
int cmd_bench(const Args& args);
int cmd_train(const Args& args);
int cmd_classify(const Args& args);
int cmd_eval(const Args& args);

}  // namespace ser::cli
