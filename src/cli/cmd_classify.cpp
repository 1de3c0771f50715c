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
    "usage: ser classify --model MODEL [--profile PROFILE] FILE|DIR... [--format text|json]\n"
    "Prints the most probable emotion and every class probability for each audio file\n"
    "(folders are searched recursively). Unreadable or silent files are reported on stderr and\n"
    "skipped; the exit code is then 1.\n"
    "  --profile PROFILE   the speaker's profile from `ser calibrate` (the model must accept profiles)\n";

// The model's context, and the profile when one is given (checked against the model before any file).
Status load_inputs(const ParsedArgs& a, std::shared_ptr<const ClassifierContext>& context,
                   std::shared_ptr<const SpeakerProfile>& profile) {
    Result<Model> mr = load_model_file(a.get("model"));
    if (!mr) return mr.status;
    Result<std::shared_ptr<const ClassifierContext>> ctx = ClassifierContext::create(std::move(mr.value));
    if (!ctx) return ctx.status;
    context = ctx.value;
    if (!a.has("profile")) return Status::ok();
    Result<SpeakerProfile> p = load_profile_file(a.get("profile"));
    if (!p) return p.status;
    const Model& m = context->model();
    if (!m.accepts_profiles())
        return Status::error("classify", a.get("model") + " was trained without speaker profiles; expected a model "
                                                          "that accepts them (ser train --calibrate K)");
    if (Status st = check_profile_for(p.value, m.feature_set, m.feature_set_version, m.n_inputs()); !st) return st;
    profile = std::make_shared<const SpeakerProfile>(std::move(p.value));
    return Status::ok();
}

// Files as given; folders expanded to their audio files (sorted) by the data-set scanner. A folder
// that cannot be read or holds no audio counts as a failed input.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs, int& n_failed) {
    std::vector<std::string> files;
    for (const auto& p : inputs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(p, ec)) {
            files.push_back(p);
            continue;
        }
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
    }
    return files;
}

nlohmann::ordered_json result_json(const std::string& file, const Classification& cl) {
    nlohmann::ordered_json probs = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < cl.classes.size(); ++k) probs[cl.classes[k]] = cl.probabilities[k];
    return {{"file", file}, {"label", cl.label()}, {"probabilities", probs}, {"calibrated", cl.calibrated}};
}

// "FILE<TAB>label p<TAB>class p  class p ...[<TAB>calibrated]"
void print_result_line(const std::string& file, const Classification& cl) {
    std::printf("%s\t%s %.3f\t", file.c_str(), cl.label().c_str(), cl.probabilities[cl.top]);
    for (std::size_t k = 0; k < cl.classes.size(); ++k)
        std::printf("%s%s %.3f", k ? "  " : "", cl.classes[k].c_str(), cl.probabilities[k]);
    std::printf("%s\n", cl.calibrated ? "\tcalibrated" : "");
}

int run_classify(const Args& args) {
    Result<ParsedArgs> pa = parse_args(args, {"model", "format", "profile"}, {"help"});
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
    std::shared_ptr<const ClassifierContext> context;
    AnalysisOptions options;
    if (Status st = load_inputs(a, context, options.profile); !st) {
        std::fprintf(stderr, "ser classify: %s\n", st.to_string().c_str());
        return kExitFailed;
    }
    options.timeline = false;
    options.keep_frames = false;
    int n_failed = 0;
    const std::vector<std::string> files = expand_inputs(a.positional, n_failed);
    const bool json = format == "json";
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& f : files) {
        Result<ClipAnalysis> r = analyse_file(context, f, options);
        if (!r) {
            std::fprintf(stderr, "ser classify: %s\n", r.status.to_string().c_str());
            ++n_failed;
            continue;
        }
        if (json) out.push_back(result_json(f, r.value.result));
        else print_result_line(f, r.value.result);
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
