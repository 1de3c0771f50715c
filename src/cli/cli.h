// The `ser` command-line tool: each sub-command lives in its own cmd_*.cpp and registers itself.
// Thin front end over src/core: parses arguments, prints, maps Status to exit codes.
#pragma once
#include <string>
#include <vector>

namespace ser::cli {

using Args = std::vector<std::string>;  // arguments after the sub-command name

// Exit codes of every sub-command.
constexpr int kExitOk = 0;        // everything done
constexpr int kExitFailed = 1;    // some input could not be processed (reported on stderr)
constexpr int kExitUsage = 2;     // bad arguments

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const Args&);
};

// Static registration: `static const ser::cli::Registration reg{{"info", "...", run_info}};`
// in a cmd_*.cpp adds that command to `ser`.
std::vector<Command>& commands();
struct Registration {
    explicit Registration(Command c) { commands().push_back(c); }
};

}  // namespace ser::cli
