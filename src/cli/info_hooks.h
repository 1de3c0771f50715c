// `ser info` extension point: other file kinds (model files) register a printer for their magic bytes.
// Thin CLI layer; cmd_info.cpp asks these before treating a file as audio.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ser::cli {

// Prints a summary of `bytes` (the whole file at `path`) to stdout; returns an exit code
// (kExitOk, or kExitFailed after a message on stderr).
using InfoPrinter = int (*)(const std::string& path, const std::vector<std::uint8_t>& bytes);

struct InfoHandler {
    std::string magic;      // leading bytes that identify the kind, e.g. "SERMODEL"
    InfoPrinter print;
};
std::vector<InfoHandler>& info_handlers();

// Static registration in the owner's cmd_*.cpp:
//   static const ser::cli::InfoRegistration info_reg{"SERMODEL", print_model_info};
struct InfoRegistration {
    InfoRegistration(std::string magic, InfoPrinter print) { info_handlers().push_back({std::move(magic), print}); }
};

}  // namespace ser::cli
