// `ser classify`: audio files or folders -> top label and every class probability, text or JSON.
// Thin front end over the one analysis path (classify/analysis.h: analyse_file), as the app and `ser eval --model`.
#include <cstdio>
#include <filesystem>

#include "ser/classify/analysis.h"
#include "cli.h"
#include "ser/train/dataset.h"
#include "eval_common.h"
#include "ser/model/model.h"

namespace ser::cli {
namespace {

const char* kHelp =
    "usage: ser classify --model MODEL FILE|DIR... [--format text|json]\n"
    "Prints the most probable emotion and every class probability for each audio file\n"
    "(folders are searched recursively). Unreadable or silent files are reported on stderr and\n"
    "skipped; the exit code is then 1.\n";

int run_classify(const Args& args) {
    Result<ParsedArgs> pa = parse_args(args, {"model", "format"}, {"help"});
    if (!pa) {
        std::fprintf(stderr, "ser classify: %s\n%s", pa.status.to_string().c_str(), kHelp);
        return kExitUsage;
    }
    const ParsedArgs& a = pa.value;
    if (a.has("help")) {
        std::printf("%s", kHelp);
        return kExitOk;
    }
    const std::string format = a.get("format", "text");
    if (!a.has("model") || a.positional.empty() || (format != "text" && format != "json")) {
        std::fprintf(stderr, "ser classify: --model MODEL and at least one FILE|DIR are required; --format text|json\n%s", kHelp);
        return kExitUsage;
    }
    Result<Model> mr = load_model_file(a.get("model"));
    if (!mr) {
        std::fprintf(stderr, "ser classify: %s\n", mr.status.to_string().c_str());
        return kExitFailed;
    }
    Result<std::shared_ptr<const ClassifierContext>> ctx = ClassifierContext::create(std::move(mr.value));
    if (!ctx) {
        std::fprintf(stderr, "ser classify: %s\n", ctx.status.to_string().c_str());
        return kExitFailed;
    }
    AnalysisOptions options;
    options.timeline = false;
    options.keep_frames = false;
    // Files as given; folders expanded to their audio files (sorted) by the data-set scanner.
    std::vector<std::string> files;
    int n_failed = 0;
    for (const auto& p : a.positional) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) {
            Result<ScanResult> s = scan_audio_paths({p});
            if (!s) {
                std::fprintf(stderr, "ser classify: %s\n", s.status.to_string().c_str());
                ++n_failed;
                continue;
            }
            if (s.value.clips.empty()) {
                std::fprintf(stderr, "ser classify: %s: no audio files found\n", p.c_str());
                ++n_failed;
            }
            for (const auto& c : s.value.clips) files.push_back(c.path);
        } else {
            files.push_back(p);
        }
    }
    const bool json = format == "json";
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& f : files) {
        Result<ClipAnalysis> r = analyse_file(ctx.value, f, options);
        if (!r) {
            std::fprintf(stderr, "ser classify: %s\n", r.status.to_string().c_str());
            ++n_failed;
            continue;
        }
        const Classification& cl = r.value.result;
        if (json) {
            nlohmann::ordered_json probs = nlohmann::ordered_json::object();
            for (std::size_t k = 0; k < cl.classes.size(); ++k) probs[cl.classes[k]] = cl.probabilities[k];
            out.push_back({{"file", f}, {"label", cl.label()}, {"probabilities", probs}});
        } else {
            std::printf("%s\t%s %.3f\t", f.c_str(), cl.label().c_str(), cl.probabilities[cl.top]);
            for (std::size_t k = 0; k < cl.classes.size(); ++k)
                std::printf("%s%s %.3f", k ? "  " : "", cl.classes[k].c_str(), cl.probabilities[k]);
            std::printf("\n");
        }
    }
    if (json) std::printf("%s\n", out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    if (n_failed > 0) {
        std::fprintf(stderr, "ser classify: %d of %zu inputs failed\n", n_failed, files.size());
        return kExitFailed;
    }
    return kExitOk;
}

const Registration reg{{"classify", "classify audio files with a model (top label + probabilities)", run_classify}};

}  // namespace
}  // namespace ser::cli
