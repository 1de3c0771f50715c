// `ser calibrate`: a speaker's neutral clips -> checks -> a profile file for `ser classify --profile`.
// Thin front end over classify/calibration.h (the same checks and profile the page uses).
#include <cstdio>

#include "cli.h"
#include "eval_common.h"
#include "ser/audio/decode.h"
#include "ser/base/clock.h"
#include "ser/classify/calibration.h"
#include "ser/model/model.h"

namespace ser::cli {
namespace {

const char* kHelp =
    "usage: ser calibrate --model MODEL --out PROFILE FILE...\n"
    "Computes a speaker profile from two or three clips of the speaker's neutral speech (read in a\n"
    "normal voice), for `ser classify --model MODEL --profile PROFILE`. Refuses silent or clipped\n"
    "clips and too little voiced speech (at least 0.6 s in all; two RAVDESS-length sentences are\n"
    "enough), saying which clip and why. The profile holds feature statistics only, no audio.\n";

struct LoadedClip {
    std::string path;
    std::vector<float> samples_16k;
};

Result<std::vector<LoadedClip>> load_clips(const std::vector<std::string>& paths) {
    std::vector<LoadedClip> clips;
    for (const auto& p : paths) {
        Result<Audio> a = load_audio_16k_file(p);
        if (!a) return Status::error(a.status.module, p + ": " + a.status.message);
        clips.push_back({p, std::move(a.value.samples)});
    }
    return clips;
}

void print_report(const CalibrationResult& r) {
    for (const CalibrationClip& c : r.clips)
        std::fprintf(stderr, "  %s: %.2f s, peak %.1f dBFS, %.2f s voiced%s%s\n", c.name.c_str(), c.duration_s,
                     double(c.peak_dbfs), c.voiced_s, c.problem.empty() ? "" : ": ", c.problem.c_str());
}

int run_calibrate(const Args& args) {
    Result<ParsedArgs> pa = parse_args(args, {"model", "out"}, {"help"});
    if (!pa) {
        std::fprintf(stderr, "ser calibrate: %s\n%s", pa.status.to_string().c_str(), kHelp);
        return kExitUsage;
    }
    const ParsedArgs& a = pa.value;
    if (a.has("help")) {
        std::printf("%s", kHelp);
        return kExitOk;
    }
    if (!a.has("model") || !a.has("out") || a.positional.empty()) {
        std::fprintf(stderr, "ser calibrate: --model MODEL, --out PROFILE and at least one FILE are required\n%s", kHelp);
        return kExitUsage;
    }
    Result<Model> mr = load_model_file(a.get("model"));
    Result<std::shared_ptr<const ClassifierContext>> ctx = mr ? ClassifierContext::create(std::move(mr.value)) : mr.status;
    Result<std::vector<LoadedClip>> clips = ctx ? load_clips(a.positional) : ctx.status;
    if (!clips) {
        std::fprintf(stderr, "ser calibrate: %s\n", clips.status.to_string().c_str());
        return kExitFailed;
    }
    const auto t0 = SteadyClock::now();
    ClassifierState state(*ctx.value);
    std::vector<CalibrationInput> inputs;
    for (const LoadedClip& c : clips.value) inputs.push_back({c.path, c.samples_16k.data(), c.samples_16k.size()});
    const CalibrationResult r = calibrate(*ctx.value, state, inputs);
    const double ms = ms_since(t0);
    print_report(r);
    Status st = r.status ? save_profile_file(r.profile, a.get("out")) : r.status;
    if (!st) {
        std::fprintf(stderr, "ser calibrate: %s\n", st.to_string().c_str());
        return kExitFailed;
    }
    std::printf("%s: profile of %d clip(s), %.2f s of voiced speech, feature set %s v%d (%.1f ms)\n", a.get("out").c_str(),
                r.profile.n_clips, r.profile.voiced_s, r.profile.feature_set.c_str(), r.profile.feature_set_version, ms);
    return kExitOk;
}

const Registration reg{{"calibrate", "a speaker profile from a few clips of neutral speech (for classify --profile)", run_calibrate}};

}  // namespace
}  // namespace ser::cli
