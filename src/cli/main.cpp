// Entry point of the `ser` CLI: picks the sub-command and hands it the remaining arguments.
// Thin front end over src/core (see cli.h).
#include <algorithm>
#include <cstdio>
#include <string>

#include "cli.h"

namespace ser::cli {
std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}
}  // namespace ser::cli

namespace {

void usage(FILE* out) {
    auto cmds = ser::cli::commands();
    std::sort(cmds.begin(), cmds.end(),
              [](const auto& a, const auto& b) { return std::string(a.name) < b.name; });
    std::fprintf(out, "usage: ser <command> [options]   (ser <command> --help for details)\n\ncommands:\n");
    for (const auto& c : cmds) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return ser::cli::kExitUsage;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(stdout);
        return ser::cli::kExitOk;
    }
    for (const auto& c : ser::cli::commands()) {
        if (name == c.name) return c.run(ser::cli::Args(argv + 2, argv + argc));
    }
    std::fprintf(stderr, "ser: unknown command '%s'\n", name.c_str());
    usage(stderr);
    return ser::cli::kExitUsage;
}
