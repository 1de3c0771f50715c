// `ser train`: corpus roots -> features (cached) -> [protocols] -> MLP -> model file with its metadata.
// Thin front end over labelled_data.h / protocols.h / trainer.h; progress on stderr, figures on stdout.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "cli.h"
#include "eval_common.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/model/model.h"
#include "ser/train/fit.h"

namespace ser::cli {
namespace {

const char* kHelp =
    "usage: ser train --data ROOT [--data ROOT...] --out MODEL [options]\n"
    "Trains the MLP on the labelled clips of the corpora below the roots and writes MODEL.\n"
    "  --emotions a,b,c    classes, in output order (default: all eight RAVDESS emotions)\n"
    "  --set NAME          feature set (default seed; see `ser features --help`)\n"
    "  --jobs N            feature extraction threads (default: all cores)\n"
    "  --cache DIR         feature cache (default $SER_CACHE/features or ~/.cache/ser/features)\n"
    "  --no-cache          compute every feature afresh\n"
    "  --protocol P[,P..]  also evaluate with protocols random|speaker|loco first and store the figures\n"
    "  --folds K, --seeds N  protocol settings (default 5 folds, 10 seeds)\n"
    "  --quiet             no per-epoch progress\n";

// Protocol figures (UAR first, per corpus), the validation split and the epochs, on stdout.
void print_fit(const FitResult& fit, double seconds) {
    for (const ProtocolResult& p : fit.protocols) {
        std::printf("%s\n  UAR %s, accuracy %s (sd %.1f, min %s, max %s), macro-F1 %s\n", p.description.c_str(),
                    percent(p.uar.mean).c_str(), percent(p.accuracy.mean).c_str(), 100 * p.accuracy.sd,
                    percent(p.accuracy.min).c_str(), percent(p.accuracy.max).c_str(), percent(p.macro_f1.mean).c_str());
        for (std::size_t c = 0; c < p.corpus_names.size(); ++c)
            std::printf("  %s: UAR %s, accuracy %s\n", p.corpus_names[c].c_str(), percent(p.per_corpus[c].uar).c_str(),
                        percent(p.per_corpus[c].accuracy).c_str());
    }
    if (fit.has_validation)
        std::printf("validation split (%d clips, early stopping): accuracy %s, UAR %s, macro-F1 %s\n", fit.validation.n,
                    percent(fit.validation.accuracy).c_str(), percent(fit.validation.uar).c_str(),
                    percent(fit.validation.macro_f1).c_str());
    const TrainResult& r = fit.train;
    if (r.refit_epochs > 0)
        std::printf("best epoch %d of %zu; refit on all %d clips for %d epochs; %.2f s with the protocols\n", r.best_epoch,
                    r.history.size(), r.n_train, r.refit_epochs, seconds);
    else
        std::printf("trained %d clips (+%d validation), best epoch %d of %zu, %.2f s with the protocols\n", r.n_train,
                    r.n_val, r.best_epoch, r.history.size(), seconds);
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return b;
}

// What `ser train` was asked for, read and checked once (the usage errors).
struct TrainRequest {
    TrainOptions train;
    int n_augment = 0;
    std::vector<std::string> emotions;
    int n_jobs = 0, n_folds = 5, n_seeds = 10;
    std::vector<std::string> protocols;
    std::string set_name;
    FeatureSetInfo set_info;
    CalibrationOptions calibration;
};

Result<ParsedArgs> parse_train_args(const Args& args) {
    auto vo = train_value_options();
    vo.insert({"emotions", "set", "jobs", "cache", "out", "protocol", "folds", "seeds"});
    const auto cvo = calibration_value_options();
    vo.insert(cvo.begin(), cvo.end());
    const auto dvo = data_value_options();
    vo.insert(dvo.begin(), dvo.end());
    auto fo = train_flag_options();
    fo.insert({"help", "no-cache", "quiet"});
    return parse_args(args, vo, fo);
}

// An optional integer option in [lo, hi] into `out` (kept when absent).
Status read_int_option(const ParsedArgs& a, const char* name, int lo, int hi, int& out) {
    if (!a.has(name)) return Status::ok();
    Result<int> v = parse_int(name, a.get(name), lo, hi);
    if (v) out = v.value;
    return v.status;
}

Status read_train_request(const ParsedArgs& a, TrainRequest& r) {
    Status st = read_train_options(a, r.train);
    if (!st) return st;
    Result<int> n_augment = read_augment(a);
    if (!n_augment) return n_augment.status;
    r.n_augment = n_augment.value;
    Result<std::vector<std::string>> emotions = parse_emotions(a.get("emotions"));
    if (!emotions) return emotions.status;
    r.emotions = emotions.value;
    for (Status s : {read_int_option(a, "jobs", 0, 256, r.n_jobs), read_int_option(a, "folds", 2, 100, r.n_folds),
                     read_int_option(a, "seeds", 1, 1000, r.n_seeds)})
        if (!s) return s;
    if (a.has("protocol")) {
        Result<std::vector<std::string>> p = parse_protocols(a.get("protocol"));
        if (!p) return p.status;
        r.protocols = p.value;
    }
    r.set_name = a.get("set", "seed");
    Result<FeatureSetInfo> set_info = feature_set_by_name(r.set_name);
    if (!set_info) return set_info.status;
    r.set_info = set_info.value;
    return read_calibration_options(a, r.set_name, r.calibration);
}

// The final training's request: the options plus progress lines unless quiet.
FitRequest fit_request(const TrainRequest& r, const std::vector<std::string>& roots, bool quiet) {
    FitRequest fr;
    fr.feature_set = r.set_name;
    fr.train = r.train;
    fr.calibration = r.calibration;
    fr.protocols = r.protocols;
    fr.n_folds = r.n_folds;
    fr.n_seeds = r.n_seeds;
    fr.n_jobs = r.n_jobs;
    fr.roots = roots;
    fr.augmentation = describe_augment(r.n_augment);
    fr.date_utc = utc_now();
    fr.on_fold = [quiet](const FoldResult& f) {
        if (!quiet)
            std::fprintf(stderr, "  %s: UAR %s, accuracy %s\n", f.name.c_str(), percent(f.metrics.uar).c_str(),
                         percent(f.metrics.accuracy).c_str());
    };
    fr.on_epoch = [quiet](const EpochStats& e) {
        if (!quiet)
            std::fprintf(stderr, "epoch %4d  loss %.4f  train acc %s  val loss %.4f  val acc %s\n", e.epoch, e.train_loss,
                         percent(e.train_accuracy).c_str(), e.val_loss, percent(e.val_accuracy).c_str());
    };
    return fr;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void print_data_line(const LabelledData& d, const TrainRequest& r, double seconds) {
    std::fprintf(stderr, "data: %zu clips, %zu speakers, %zu corpora, %zu classes, %d features (set %s v%d) in %.1f s\n",
                 d.set.paths.size(), d.speakers_sorted.size(), d.corpora.size(), d.set.classes.size(),
                 int(d.set.x.cols()), r.set_name.c_str(), r.set_info.version, seconds);
}

void print_written(const std::string& out, const TrainRequest& r, const FeatureConfig& cfg, const Model& model) {
    std::printf("wrote %s (%s v%d on %s v%d, classes", out.c_str(), r.set_name.c_str(), r.set_info.version,
                cfg.name.c_str(), cfg.version);
    for (const auto& c : model.classes) std::printf(" %s", c.c_str());
    std::printf(")\n");
}

int fail(const Status& st, int code) {
    std::fprintf(stderr, "ser train: %s\n", st.to_string().c_str());
    return code;
}

int run_train(const Args& args) {
    Result<ParsedArgs> pa = parse_train_args(args);
    if (!pa) {
        std::fprintf(stderr, "ser train: %s\n%s%s", pa.status.to_string().c_str(), kHelp, train_options_help());
        return kExitUsage;
    }
    const ParsedArgs& a = pa.value;
    if (a.has("help")) {
        std::printf("%s%s%s%s", kHelp, data_options_help(), train_options_help(), calibration_options_help());
        return kExitOk;
    }
    if (!a.has("data") || !a.has("out") || !a.positional.empty()) {
        std::fprintf(stderr, "ser train: --data DIR and --out MODEL are required%s\n%s",
                     a.positional.empty() ? "" : (" (unexpected '" + a.positional[0] + "')").c_str(), kHelp);
        return kExitUsage;
    }
    TrainRequest r;
    if (Status st = read_train_request(a, r); !st) return fail(st, kExitUsage);
    Result<FeatureConfig> cfg = config_by_name(r.set_info.config);
    if (!cfg) return fail(cfg.status, kExitFailed);
    const bool quiet = a.has("quiet");
    const std::string cache = a.has("no-cache") ? "" : a.get("cache", default_cache_dir());
    const std::vector<std::string> roots = a.get_all("data");
    Result<DataRequest> rq = data_request(a, roots, r.emotions, r.set_name, r.n_jobs, cache, quiet, r.n_augment);
    if (!rq) return fail(rq.status, kExitUsage);

    const auto t0 = std::chrono::steady_clock::now();
    Result<LabelledData> ld = load_labelled_data(rq.value);
    if (!ld) return fail(ld.status, kExitFailed);
    const LabelledData& d = ld.value;
    report_data("ser train", d, quiet);
    print_data_line(d, r, seconds_since(t0));

    const auto t1 = std::chrono::steady_clock::now();
    Result<FitResult> fit = fit_model(d, fit_request(r, roots, quiet));
    if (!fit) return fail(fit.status, kExitFailed);
    print_fit(fit.value, seconds_since(t1));
    if (Status st = save_model_file(fit.value.model, a.get("out")); !st) return fail(st, kExitFailed);
    print_written(a.get("out"), r, cfg.value, fit.value.model);
    return d.problems.empty() ? kExitOk : kExitFailed;
}

const Registration reg{{"train", "train the emotion classifier on labelled corpora", run_train}};

}  // namespace
}  // namespace ser::cli
