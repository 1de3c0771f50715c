// Entry point of the `ser` CLI: picks the sub-command and hands it the remaining arguments.
// Thin front end over src/core (see cli.h).
#include <cstdio>
#include <cstring>
#include <string>

#include "cli.h"

namespace {

struct Command {
    const char* name;
    int (*run)(const ser::cli::Args&);
    const char* summary;
};

const Command kCommands[] = {
    {"info", ser::cli::cmd_info, "describe an audio file or a model file"},
    {"features", ser::cli::cmd_features, "compute feature vectors for files or folders (csv/json)"},
    {"train", ser::cli::cmd_train, "train a model on a RAVDESS folder"},
    {"eval", ser::cli::cmd_eval, "evaluate a model, or a training protocol (random/speaker)"},
    {"classify", ser::cli::cmd_classify, "classify audio files with a model"},
    {"bench", ser::cli::cmd_bench, "measure speed (per second of audio, whole data set)"},
};

void usage(FILE* out) {
    std::fprintf(out, "usage: ser <command> [options]   (ser <command> --help for details)\n\ncommands:\n");
    for (const auto& c : kCommands) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(stdout);
        return 0;
    }
    for (const auto& c : kCommands) {
        if (name == c.name) return c.run(ser::cli::Args(argv + 2, argv + argc));
    }
    std::fprintf(stderr, "ser: unknown command '%s'\n", name.c_str());
    usage(stderr);
    return 2;
}
