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

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return b;
}

int run_train(const Args& args) {
    auto vo = train_value_options();
    vo.insert({"emotions", "set", "jobs", "cache", "out", "protocol", "folds", "seeds"});
    const auto dvo = data_value_options();
    vo.insert(dvo.begin(), dvo.end());
    auto fo = train_flag_options();
    fo.insert({"help", "no-cache", "quiet"});
    Result<ParsedArgs> pa = parse_args(args, vo, fo);
    if (!pa) {
        std::fprintf(stderr, "ser train: %s\n%s%s", pa.status.to_string().c_str(), kHelp, train_options_help());
        return kExitUsage;
    }
    const ParsedArgs& a = pa.value;
    if (a.has("help")) {
        std::printf("%s%s%s", kHelp, data_options_help(), train_options_help());
        return kExitOk;
    }
    if (!a.has("data") || !a.has("out") || !a.positional.empty()) {
        std::fprintf(stderr, "ser train: --data DIR and --out MODEL are required%s\n%s",
                     a.positional.empty() ? "" : (" (unexpected '" + a.positional[0] + "')").c_str(), kHelp);
        return kExitUsage;
    }
    TrainOptions topt;
    Status st = read_train_options(a, topt);
    Result<int> n_augment = read_augment(a);
    if (st && !n_augment) st = n_augment.status;
    auto emotions = parse_emotions(a.get("emotions"));
    if (!emotions) st = emotions.status;
    int n_jobs = 0, n_folds = 5, n_seeds = 10;
    if (st && a.has("jobs")) {
        auto v = parse_int("jobs", a.get("jobs"), 0, 256);
        if (v) n_jobs = v.value; else st = v.status;
    }
    if (st && a.has("folds")) {
        auto v = parse_int("folds", a.get("folds"), 2, 100);
        if (v) n_folds = v.value; else st = v.status;
    }
    if (st && a.has("seeds")) {
        auto v = parse_int("seeds", a.get("seeds"), 1, 1000);
        if (v) n_seeds = v.value; else st = v.status;
    }
    std::vector<std::string> protocols;
    if (st && a.has("protocol")) {
        auto p = parse_protocols(a.get("protocol"));
        if (p) protocols = p.value; else st = p.status;
    }
    const std::string set_name = a.get("set", "seed");
    Result<FeatureSetInfo> set_info = feature_set_by_name(set_name);
    if (st && !set_info) st = set_info.status;
    if (!st) {
        std::fprintf(stderr, "ser train: %s\n", st.to_string().c_str());
        return kExitUsage;
    }
    Result<FeatureConfig> cfg = config_by_name(set_info.value.config);
    if (!cfg) {
        std::fprintf(stderr, "ser train: %s\n", cfg.status.to_string().c_str());
        return kExitFailed;
    }
    const bool quiet = a.has("quiet");
    const std::string cache = a.has("no-cache") ? "" : a.get("cache", default_cache_dir());
    const std::vector<std::string> roots = a.get_all("data");
    Result<DataRequest> rq = data_request(a, roots, emotions.value, set_name, n_jobs, cache, quiet, n_augment.value);
    if (!rq) {
        std::fprintf(stderr, "ser train: %s\n", rq.status.to_string().c_str());
        return kExitUsage;
    }

    const auto t0 = std::chrono::steady_clock::now();
    Result<LabelledData> ld = load_labelled_data(rq.value);
    if (!ld) {
        std::fprintf(stderr, "ser train: %s\n", ld.status.to_string().c_str());
        return kExitFailed;
    }
    const LabelledData& d = ld.value;
    report_data("ser train", d, quiet);
    const auto t1 = std::chrono::steady_clock::now();
    std::fprintf(stderr, "data: %zu clips, %zu speakers, %zu corpora, %zu classes, %d features (set %s v%d) in %.1f s\n",
                 d.paths.size(), d.speakers_sorted.size(), d.corpus_lines.size(), d.set.classes.size(),
                 int(d.set.x.cols()), set_name.c_str(), set_info.value.version,
                 std::chrono::duration<double>(t1 - t0).count());

    nlohmann::ordered_json figures = nlohmann::ordered_json::object();
    for (const std::string& protocol : protocols) {
        ProtocolOptions po;
        po.protocol = protocol;
        po.n_folds = n_folds;
        po.n_seeds = n_seeds;
        po.train = topt;
        po.n_jobs = n_jobs;
        po.on_fold = [&](const FoldResult& f) {
            if (!quiet)
                std::fprintf(stderr, "  %s: UAR %s, accuracy %s\n", f.name.c_str(), percent(f.metrics.uar).c_str(),
                             percent(f.metrics.accuracy).c_str());
        };
        Result<ProtocolResult> pr = run_protocol(d.set, po);
        if (!pr) {
            std::fprintf(stderr, "ser train: %s\n", pr.status.to_string().c_str());
            return kExitFailed;
        }
        std::printf("%s\n  UAR %s, accuracy %s (sd %.1f, min %s, max %s), macro-F1 %s\n", pr.value.description.c_str(),
                    percent(pr.value.uar.mean).c_str(), percent(pr.value.accuracy.mean).c_str(),
                    100 * pr.value.accuracy.sd, percent(pr.value.accuracy.min).c_str(),
                    percent(pr.value.accuracy.max).c_str(), percent(pr.value.macro_f1.mean).c_str());
        for (std::size_t c = 0; c < pr.value.corpus_names.size(); ++c)
            std::printf("  %s: UAR %s, accuracy %s\n", pr.value.corpus_names[c].c_str(),
                        percent(pr.value.per_corpus[c].uar).c_str(), percent(pr.value.per_corpus[c].accuracy).c_str());
        nlohmann::ordered_json per_corpus = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < pr.value.corpus_names.size(); ++c)
            per_corpus[pr.value.corpus_names[c]] = {{"uar", pr.value.per_corpus[c].uar},
                                                    {"accuracy", pr.value.per_corpus[c].accuracy},
                                                    {"macro_f1", pr.value.per_corpus[c].macro_f1},
                                                    {"n", pr.value.per_corpus[c].n}};
        figures[protocol] = {{"description", pr.value.description},
                             {"accuracy", summary_json(pr.value.accuracy)},
                             {"uar", summary_json(pr.value.uar)},
                             {"macro_f1", summary_json(pr.value.macro_f1)},
                             {"pooled", metrics_json(pr.value.pooled)},
                             {"per_corpus", per_corpus}};
    }

    auto on_epoch = [&](const EpochStats& e) {
        if (!quiet)
            std::fprintf(stderr, "epoch %4d  loss %.4f  train acc %s  val loss %.4f  val acc %s\n", e.epoch, e.train_loss,
                         percent(e.train_accuracy).c_str(), e.val_loss, percent(e.val_accuracy).c_str());
    };
    const auto t2 = std::chrono::steady_clock::now();
    Result<TrainResult> tr =
        train_mlp(d.set.x, d.set.labels, d.set.classes, topt, on_epoch, d.set.augmented, corpus_index(d.set));
    if (!tr) {
        std::fprintf(stderr, "ser train: %s\n", tr.status.to_string().c_str());
        return kExitFailed;
    }
    const auto t3 = std::chrono::steady_clock::now();
    TrainResult& r = tr.value;
    Model& m = r.model;
    m.feature_config = cfg.value.name;
    m.feature_config_version = cfg.value.version;
    m.feature_set = set_name;
    m.feature_set_version = set_info.value.version;

    // Figures on the validation split, from the early-stopped weights (the refit then trains on it too).
    nlohmann::ordered_json val = nullptr;
    if (!r.val_indices.empty() && r.val_predictions.size() == r.val_indices.size()) {
        std::vector<int> yv;
        for (int i : r.val_indices) yv.push_back(d.set.labels[i]);
        auto vm = compute_metrics(yv, r.val_predictions, d.set.classes);
        if (vm) {
            val = metrics_json(vm.value);
            std::printf("validation split (%d clips, early stopping): accuracy %s, UAR %s, macro-F1 %s\n", vm.value.n,
                        percent(vm.value.accuracy).c_str(), percent(vm.value.uar).c_str(),
                        percent(vm.value.macro_f1).c_str());
        }
    }
    figures["validation"] = val;
    figures["best_epoch"] = r.best_epoch;
    figures["epochs_run"] = int(r.history.size());
    figures["refit_epochs"] = r.refit_epochs;
    if (r.refit_epochs > 0)
        std::printf("best epoch %d of %zu; refit on all %d clips for %d epochs; %.2f s\n", r.best_epoch, r.history.size(),
                    r.n_train, r.refit_epochs, std::chrono::duration<double>(t3 - t2).count());
    else
        std::printf("trained %d clips (+%d validation), best epoch %d of %zu, %.2f s\n", r.n_train, r.n_val, r.best_epoch,
                    r.history.size(), std::chrono::duration<double>(t3 - t2).count());

    nlohmann::ordered_json hist = {{"train_loss", nlohmann::ordered_json::array()},
                           {"train_accuracy", nlohmann::ordered_json::array()},
                           {"val_loss", nlohmann::ordered_json::array()},
                           {"val_accuracy", nlohmann::ordered_json::array()}};
    for (const auto& e : r.history) {
        hist["train_loss"].push_back(e.train_loss);
        hist["train_accuracy"].push_back(e.train_accuracy);
        hist["val_loss"].push_back(std::isfinite(e.val_loss) ? nlohmann::ordered_json(e.val_loss) : nlohmann::ordered_json(nullptr));
        hist["val_accuracy"].push_back(std::isfinite(e.val_accuracy) ? nlohmann::ordered_json(e.val_accuracy) : nlohmann::ordered_json(nullptr));
    }
    std::map<std::string, int> per_class;
    for (int y : d.set.labels) ++per_class[d.set.classes[y]];
    nlohmann::ordered_json meta = {{"ser_version", "0.1.0"},
                           {"date", utc_now()},
                           {"data", roots},
                           {"corpora", d.corpus_lines},
                           {"n_clips", int(d.paths.size())},
                           {"clips_per_class", per_class},
                           {"speakers", d.speakers_sorted},
                           {"protocol", r.refit_epochs > 0
                                            ? "early stopping on a stratified " + std::to_string(int(topt.validation_fraction * 100 + 0.5)) +
                                                  "% validation split, then refit on every listed clip for the best epoch count"
                                            : "trained on every listed clip except a stratified " +
                                                  std::to_string(int(topt.validation_fraction * 100 + 0.5)) +
                                                  "% validation split (early stopping)"},
                           {"seed", topt.seed},
                           {"train_options", topt.describe()},
                           {"augmentation", describe_augment(n_augment.value)},
                           {"hidden", topt.hidden},
                           {"figures", figures},
                           {"history", hist}};
    m.metadata_json = meta.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    st = save_model_file(m, a.get("out"));
    if (!st) {
        std::fprintf(stderr, "ser train: %s\n", st.to_string().c_str());
        return kExitFailed;
    }
    std::printf("wrote %s (%s v%d on %s v%d, classes", a.get("out").c_str(), set_name.c_str(), set_info.value.version,
                cfg.value.name.c_str(), cfg.value.version);
    for (const auto& c : m.classes) std::printf(" %s", c.c_str());
    std::printf(")\n");
    return d.problems.empty() ? kExitOk : kExitFailed;
}

const Registration reg{{"train", "train the emotion classifier on labelled corpora", run_train}};

}  // namespace
}  // namespace ser::cli
