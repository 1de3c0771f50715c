// `ser eval`: a model on a labelled folder, or a protocol (random splits / speaker folds) that trains per fold.
// Thin front end over eval.h / metrics.h; text or JSON on stdout, progress on stderr, SVG plots on request.
#include <chrono>
#include <cstdio>

#include "cli.h"
#include "eval_common.h"
#include "ser/vectors/feature_sets.h"
#include "ser/model/model.h"
#include "ser/classify/classifier.h"
#include "ser/train/batch_classify.h"

namespace ser::cli {
namespace {

const char* kHelp =
    "usage: ser eval --model MODEL DIR... [--format text|json] [--plots DIR]\n"
    "       ser eval --protocol random|speaker --data DIR [options] [--format text|json] [--plots DIR]\n"
    "Accuracy, UAR (unweighted average recall), macro-F1, per-class precision/recall, confusion matrix.\n"
    "  random: stratified 80/20 split repeated over --seeds N seeds (default 10); mean, sd, min, max\n"
    "  speaker: --folds K grouped folds over actors (default 5; actor rank mod K), each actor wholly in train or test\n"
    "  --emotions a,b,c    classes (default: all eight RAVDESS emotions)\n"
    "  --set NAME          feature set (default seed)\n"
    "  --jobs N            threads for features and folds (default: all cores)\n"
    "  --cache DIR | --no-cache   feature cache (default $SER_CACHE/features or ~/.cache/ser/features)\n"
    "  --quiet             no progress on stderr\n"
    "  --drop P[,P...]     (protocols) leave out the features whose names start with a prefix: ablations\n"
    "  --speaker-norm      (protocols, analysis only) z-normalise features within each actor over all\n"
    "                      of the actor's clips, test clips included: the oracle upper bound for\n"
    "                      removing between-speaker variation, not reachable on one utterance\n";

void print_problems(const std::vector<std::string>& problems) {
    for (const auto& p : problems) std::fprintf(stderr, "ser eval: skipped %s\n", p.c_str());
}

int eval_model(const ParsedArgs& a, int n_jobs, const std::string& cache, bool json, bool quiet) {
    Result<Model> mr = load_model_file(a.get("model"));
    if (!mr) {
        std::fprintf(stderr, "ser eval: %s\n", mr.status.to_string().c_str());
        return kExitFailed;
    }
    const Model& model = mr.value;
    Result<std::shared_ptr<const ClassifierContext>> ctx = ClassifierContext::create(model);
    if (!ctx) {
        std::fprintf(stderr, "ser eval: %s\n", ctx.status.to_string().c_str());
        return kExitFailed;
    }
    if (a.positional.empty()) {
        std::fprintf(stderr, "ser eval: no folder given\n%s", kHelp);
        return kExitUsage;
    }
    Result<LoadedData> ld = load_labelled(a.positional, model.classes, model.feature_set, n_jobs, cache, quiet);
    if (!ld) {
        std::fprintf(stderr, "ser eval: %s\n", ld.status.to_string().c_str());
        return kExitFailed;
    }
    // Every clip through the one analysis path, as `ser classify` and the app classify it (silence
    // gate included): a clip they would refuse is reported here too, never scored from a guess.
    const std::vector<FileClassification> fc = classify_files(ctx.value, ld.value.paths, n_jobs);
    std::vector<int> truth, pred;
    nlohmann::ordered_json predictions = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < fc.size(); ++i) {
        if (!fc[i].status) {
            ld.value.problems.push_back(fc[i].status.to_string());
            continue;
        }
        truth.push_back(ld.value.set.labels[i]);
        pred.push_back(fc[i].result.top);
        nlohmann::ordered_json probs = nlohmann::ordered_json::object();
        for (std::size_t k = 0; k < fc[i].result.classes.size(); ++k) probs[fc[i].result.classes[k]] = fc[i].result.probabilities[k];
        predictions.push_back({{"file", fc[i].path}, {"truth", model.classes[std::size_t(ld.value.set.labels[i])]},
                               {"label", fc[i].result.label()}, {"probabilities", probs}});
    }
    print_problems(ld.value.problems);
    Result<Metrics> m = compute_metrics(truth, pred, model.classes);
    if (!m) {
        std::fprintf(stderr, "ser eval: %s\n", m.status.to_string().c_str());
        return kExitFailed;
    }
    // Training curves travel in the model's metadata (ser train stores them).
    std::vector<std::vector<EpochStats>> hist;
    auto meta = nlohmann::ordered_json::parse(model.metadata_json, nullptr, false);
    if (meta.is_object() && meta.contains("history") && meta["history"].is_object()) {
        const auto& h = meta["history"];
        std::vector<EpochStats> es;
        auto num = [](const nlohmann::ordered_json& v) {
            return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
        };
        if (h.contains("train_loss") && h["train_loss"].is_array()) {
            for (std::size_t i = 0; i < h["train_loss"].size(); ++i) {
                EpochStats e;
                e.epoch = int(i) + 1;
                e.train_loss = num(h["train_loss"][i]);
                e.val_loss = h.contains("val_loss") && i < h["val_loss"].size() ? num(h["val_loss"][i]) : NAN;
                e.val_accuracy = h.contains("val_accuracy") && i < h["val_accuracy"].size() ? num(h["val_accuracy"][i]) : NAN;
                es.push_back(e);
            }
        }
        if (!es.empty()) hist.push_back(es);
    }
    const std::string title = a.get("model") + " on " + a.positional[0];
    if (json) {
        nlohmann::ordered_json j = {{"model", a.get("model")},
                            {"data", a.positional},
                            {"feature_set", model.feature_set},
                            {"n_skipped_emotion", ld.value.n_skipped_emotion},
                            {"problems", ld.value.problems},
                            {"metrics", metrics_json(m.value)},
                            {"predictions", predictions}};
        std::printf("%s\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    } else {
        std::printf("%s on %zu clips (%d with other emotions skipped)\n", a.get("model").c_str(), truth.size(),
                    ld.value.n_skipped_emotion);
        print_metrics(m.value);
    }
    if (a.has("plots")) {
        Status st = write_plots(a.get("plots"), m.value, hist, {"training"}, title);
        if (!st) {
            std::fprintf(stderr, "ser eval: %s\n", st.to_string().c_str());
            return kExitFailed;
        }
    }
    return ld.value.problems.empty() ? kExitOk : kExitFailed;
}

int eval_protocol(const ParsedArgs& a, int n_jobs, const std::string& cache, bool json, bool quiet) {
    TrainOptions topt;
    Status st = read_train_options(a, topt);
    Result<int> n_augment = read_augment(a);
    if (st && !n_augment) st = n_augment.status;
    auto emotions = parse_emotions(a.get("emotions"));
    if (st && !emotions) st = emotions.status;
    ProtocolOptions po;
    po.protocol = a.get("protocol");
    if (st && a.has("folds")) {
        auto v = parse_int("folds", a.get("folds"), 2, 100);
        if (v) po.n_folds = v.value; else st = v.status;
    }
    if (st && a.has("seeds")) {
        auto v = parse_int("seeds", a.get("seeds"), 1, 1000);
        if (v) po.n_seeds = v.value; else st = v.status;
    }
    if (st && po.protocol != "random" && po.protocol != "speaker")
        st = Status::error("args", "--protocol is '" + po.protocol + "'; expected random or speaker");
    const std::string set_name = a.get("set", "seed");
    if (st) {
        auto si = feature_set_by_name(set_name);
        if (!si) st = si.status;
    }
    if (st && !a.has("data")) st = Status::error("args", "--protocol needs --data DIR");
    if (st && !a.positional.empty()) st = Status::error("args", "unexpected argument '" + a.positional[0] + "'");
    if (!st) {
        std::fprintf(stderr, "ser eval: %s\n%s", st.to_string().c_str(), kHelp);
        return kExitUsage;
    }
    po.train = topt;
    po.n_jobs = n_jobs;
    const auto t0 = std::chrono::steady_clock::now();
    Result<LoadedData> ld = load_labelled({a.get("data")}, emotions.value, set_name, n_jobs, cache, quiet, n_augment.value);
    if (!ld) {
        std::fprintf(stderr, "ser eval: %s\n", ld.status.to_string().c_str());
        return kExitFailed;
    }
    print_problems(ld.value.problems);
    if (a.has("drop")) {
        // Ablation: keep the columns whose names start with none of the prefixes.
        const auto prefixes = split_list(a.get("drop"));
        auto names = feature_vector_names(set_name);
        if (!names) {
            std::fprintf(stderr, "ser eval: %s\n", names.status.to_string().c_str());
            return kExitFailed;
        }
        std::vector<int> keep;
        for (int j = 0; j < int(names.value.size()); ++j) {
            bool dropped = false;
            for (const auto& p : prefixes) dropped |= names.value[j].compare(0, p.size(), p) == 0;
            if (!dropped) keep.push_back(j);
        }
        if (keep.empty() || keep.size() == names.value.size()) {
            std::fprintf(stderr, "ser eval: --drop %s leaves %zu of %zu features; expected to drop some, not all\n",
                         a.get("drop").c_str(), keep.size(), names.value.size());
            return kExitUsage;
        }
        Eigen::MatrixXf x(ld.value.set.x.rows(), Eigen::Index(keep.size()));
        for (std::size_t j = 0; j < keep.size(); ++j) x.col(Eigen::Index(j)) = ld.value.set.x.col(keep[j]);
        ld.value.set.x = std::move(x);
    }
    if (a.has("speaker-norm")) normalise_per_speaker(ld.value.set);
    const auto t1 = std::chrono::steady_clock::now();
    if (!quiet)
        std::fprintf(stderr, "data: %zu clips, %zu actors, %d features in %.1f s\n", ld.value.paths.size(),
                     ld.value.actors_sorted.size(), int(ld.value.set.x.cols()),
                     std::chrono::duration<double>(t1 - t0).count());
    po.on_fold = [&](const FoldResult& f) {
        if (!quiet)
            std::fprintf(stderr, "  %s: accuracy %s, UAR %s, macro-F1 %s (best epoch %d)\n", f.name.c_str(),
                         percent(f.metrics.accuracy).c_str(), percent(f.metrics.uar).c_str(),
                         percent(f.metrics.macro_f1).c_str(), f.best_epoch);
    };
    Result<ProtocolResult> pr = run_protocol(ld.value.set, po);
    if (!pr) {
        std::fprintf(stderr, "ser eval: %s\n", pr.status.to_string().c_str());
        return kExitFailed;
    }
    const auto t2 = std::chrono::steady_clock::now();
    const double train_s = std::chrono::duration<double>(t2 - t1).count();
    const ProtocolResult& r = pr.value;
    if (json) {
        nlohmann::ordered_json folds = nlohmann::ordered_json::array();
        for (const auto& f : r.folds)
            folds.push_back({{"name", f.name},
                             {"n_train", f.n_train},
                             {"n_test", f.n_test},
                             {"best_epoch", f.best_epoch},
                             {"accuracy", f.metrics.accuracy},
                             {"uar", f.metrics.uar},
                             {"macro_f1", f.metrics.macro_f1}});
        nlohmann::ordered_json j = {{"protocol", r.protocol},
                            {"description", r.description},
                            {"data", a.get("data")},
                            {"feature_set", set_name},
                            {"speaker_normalised_oracle", a.has("speaker-norm")},
                            {"n_clips", int(ld.value.paths.size())},
                            {"folds", folds},
                            {"accuracy", summary_json(r.accuracy)},
                            {"uar", summary_json(r.uar)},
                            {"macro_f1", summary_json(r.macro_f1)},
                            {"pooled", metrics_json(r.pooled)},
                            {"seconds", train_s},
                            {"problems", ld.value.problems}};
        std::printf("%s\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    } else {
        std::printf("%s\n%zu clips, feature set %s, %zu classes; %.1f s\n\n", r.description.c_str(), ld.value.paths.size(),
                    set_name.c_str(), r.pooled.classes.size(), train_s);
        if (a.has("speaker-norm"))
            std::printf("ORACLE: features z-normalised within each actor over all of the actor's clips (--speaker-norm);\n"
                        "an upper bound for analysis, not a figure for a new voice\n\n");
        std::printf("%-34s %9s %9s %9s\n", "", "accuracy", "UAR", "macro-F1");
        for (const auto& f : r.folds)
            std::printf("%-34s %9s %9s %9s\n", f.name.c_str(), percent(f.metrics.accuracy).c_str(),
                        percent(f.metrics.uar).c_str(), percent(f.metrics.macro_f1).c_str());
        auto row = [](const char* name, double acc, double uar, double f1, bool pct) {
            if (pct)
                std::printf("%-34s %9s %9s %9s\n", name, percent(acc).c_str(), percent(uar).c_str(), percent(f1).c_str());
            else
                std::printf("%-34s %9.1f %9.1f %9.1f\n", name, 100 * acc, 100 * uar, 100 * f1);
        };
        row("mean", r.accuracy.mean, r.uar.mean, r.macro_f1.mean, true);
        row("sd (points)", r.accuracy.sd, r.uar.sd, r.macro_f1.sd, false);
        row("min", r.accuracy.min, r.uar.min, r.macro_f1.min, true);
        row("max", r.accuracy.max, r.uar.max, r.macro_f1.max, true);
        std::printf("\npooled over all %s:\n", r.protocol == "random" ? "seeds" : "folds");
        print_metrics(r.pooled);
    }
    if (a.has("plots")) {
        std::vector<std::vector<EpochStats>> hist;
        std::vector<std::string> names;
        for (const auto& f : r.folds) {
            hist.push_back(f.history);
            names.push_back(f.name);
        }
        Status pst = write_plots(a.get("plots"), r.pooled, hist, names, r.protocol + " protocol, pooled");
        if (!pst) {
            std::fprintf(stderr, "ser eval: %s\n", pst.to_string().c_str());
            return kExitFailed;
        }
    }
    return ld.value.problems.empty() ? kExitOk : kExitFailed;
}

int run_eval(const Args& args) {
    auto vo = train_value_options();
    vo.insert({"model", "protocol", "data", "emotions", "set", "jobs", "cache", "folds", "seeds", "format", "plots", "drop"});
    auto fo = train_flag_options();
    fo.insert({"help", "no-cache", "quiet", "speaker-norm"});
    Result<ParsedArgs> pa = parse_args(args, vo, fo);
    if (!pa) {
        std::fprintf(stderr, "ser eval: %s\n%s", pa.status.to_string().c_str(), kHelp);
        return kExitUsage;
    }
    const ParsedArgs& a = pa.value;
    if (a.has("help")) {
        std::printf("%s%s", kHelp, train_options_help());
        return kExitOk;
    }
    const std::string format = a.get("format", "text");
    if (format != "text" && format != "json") {
        std::fprintf(stderr, "ser eval: --format is '%s'; expected text or json\n", format.c_str());
        return kExitUsage;
    }
    int n_jobs = 0;
    if (a.has("jobs")) {
        auto v = parse_int("jobs", a.get("jobs"), 0, 256);
        if (!v) {
            std::fprintf(stderr, "ser eval: %s\n", v.status.to_string().c_str());
            return kExitUsage;
        }
        n_jobs = v.value;
    }
    const std::string cache = a.has("no-cache") ? "" : a.get("cache", default_cache_dir());
    const bool quiet = a.has("quiet");
    if (a.has("model") == a.has("protocol")) {
        std::fprintf(stderr, "ser eval: give either --model MODEL DIR or --protocol P --data DIR\n%s", kHelp);
        return kExitUsage;
    }
    if (a.has("model") && a.has("augment")) {
        std::fprintf(stderr, "ser eval: --augment applies to --protocol only (it changes training, not testing)\n");
        return kExitUsage;
    }
    if (a.has("speaker-norm") && a.has("augment")) {
        std::fprintf(stderr, "ser eval: --speaker-norm and --augment cannot be combined; expected one of them\n");
        return kExitUsage;
    }
    if (a.has("model") && a.has("speaker-norm")) {
        std::fprintf(stderr, "ser eval: --speaker-norm applies to --protocol only; a model file is evaluated as shipped\n");
        return kExitUsage;
    }
    if (a.has("model")) return eval_model(a, n_jobs, cache, format == "json", quiet);
    return eval_protocol(a, n_jobs, cache, format == "json", quiet);
}

const Registration reg{{"eval", "evaluate a model, or a training protocol (random / speaker folds)", run_eval}};

}  // namespace
}  // namespace ser::cli
