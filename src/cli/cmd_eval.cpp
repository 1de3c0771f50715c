// `ser eval`: a model on labelled corpora, or a protocol (random splits / speaker folds / leave one corpus out)
// that trains per fold. Thin front end over labelled_data.h / protocols.h; text or JSON on stdout, SVG on request.
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
    "usage: ser eval --model MODEL ROOT... [--corpus NAME] [--map R] [--format text|json] [--plots DIR]\n"
    "       ser eval --protocol random|speaker|loco --data ROOT [--data ROOT...] [options] [--format text|json]\n"
    "UAR (unweighted average recall), accuracy, macro-F1, per-class precision/recall, confusion matrix;\n"
    "per corpus and pooled over all of them.\n"
    "  random: stratified 80/20 split repeated over --seeds N seeds (default 10); mean, sd, min, max\n"
    "  speaker: --folds K folds grouped by speaker over all corpora (default 5), stratified by corpus\n"
    "           (speaker rank mod K, corpora in name order); each speaker wholly in train or test\n"
    "  loco: leave one corpus out: train on the other corpora, test on it (needs two --data roots or more)\n"
    "  --emotions a,b,c    classes (default: all eight RAVDESS emotions); clips of other labels are left out\n"
    "  --set NAME          feature set (default seed)\n"
    "  --jobs N            threads for features and folds (default: all cores)\n"
    "  --cache DIR | --no-cache   feature cache (default $SER_CACHE/features or ~/.cache/ser/features)\n"
    "  --quiet             no progress on stderr\n"
    "  --corpus-norm       (protocols, analysis only) z-normalise features within each corpus over all\n"
    "                      of its clips, labels unused\n"
    "  --drop P[,P...]     (protocols) leave out the features whose names start with a prefix: ablations\n"
    "  --ensemble N        (protocols) N networks per split (seeds seed + 7919 k), scored on their mean\n"
    "                      probabilities: what an ensemble in one file would gain (not with --calibrate)\n"
    "  --speaker-norm      (protocols, analysis only) z-normalise features within each speaker over all\n"
    "                      of the speaker's clips, test clips included: the oracle upper bound for\n"
    "                      removing between-speaker variation, not reachable on one utterance\n";

// Training curves travel in the model's metadata (ser train stores them): none or one history.
std::vector<std::vector<EpochStats>> history_of(const std::string& metadata_json) {
    std::vector<std::vector<EpochStats>> hist;
    auto meta = nlohmann::ordered_json::parse(metadata_json, nullptr, false);
    if (!meta.is_object() || !meta.contains("history") || !meta["history"].is_object()) return hist;
    const auto& h = meta["history"];
    auto num = [](const nlohmann::ordered_json& v) {
        return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
    };
    auto at = [&](const char* key, std::size_t i) {
        return h.contains(key) && h[key].is_array() && i < h[key].size() ? num(h[key][i]) : NAN;
    };
    std::vector<EpochStats> es;
    for (std::size_t i = 0; h.contains("train_loss") && h["train_loss"].is_array() && i < h["train_loss"].size(); ++i) {
        EpochStats e;
        e.epoch = int(i) + 1;
        e.train_loss = num(h["train_loss"][i]);
        e.val_loss = at("val_loss", i);
        e.val_accuracy = at("val_accuracy", i);
        es.push_back(e);
    }
    if (!es.empty()) hist.push_back(es);
    return hist;
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
    Result<DataRequest> rq = data_request(a, a.positional, model.classes, model.feature_set, n_jobs, cache, quiet, 0);
    if (!rq) {
        std::fprintf(stderr, "ser eval: %s\n", rq.status.to_string().c_str());
        return kExitUsage;
    }
    Result<LabelledData> ld = load_labelled_data(rq.value);
    if (!ld) {
        std::fprintf(stderr, "ser eval: %s\n", ld.status.to_string().c_str());
        return kExitFailed;
    }
    report_data("ser eval", ld.value, quiet);
    // Every clip through the one analysis path, as `ser classify` and the app classify it (silence
    // gate included): a clip they would refuse is reported here too, never scored from a guess.
    const std::vector<FileClassification> fc = classify_files(ctx.value, ld.value.set.paths, n_jobs);
    std::vector<int> truth, pred, rows;
    nlohmann::ordered_json predictions = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < fc.size(); ++i) {
        if (!fc[i].status) {
            ld.value.problems.push_back(fc[i].status.to_string());
            std::fprintf(stderr, "ser eval: skipped %s\n", ld.value.problems.back().c_str());
            continue;
        }
        rows.push_back(int(i));
        truth.push_back(ld.value.set.labels[i]);
        pred.push_back(fc[i].result.top);
        nlohmann::ordered_json probs = nlohmann::ordered_json::object();
        for (std::size_t k = 0; k < fc[i].result.classes.size(); ++k) probs[fc[i].result.classes[k]] = fc[i].result.probabilities[k];
        predictions.push_back({{"file", fc[i].path}, {"truth", model.classes[std::size_t(ld.value.set.labels[i])]},
                               {"label", fc[i].result.label()}, {"probabilities", probs}});
    }
    Result<Metrics> m = compute_metrics(truth, pred, model.classes);
    if (!m) {
        std::fprintf(stderr, "ser eval: %s\n", m.status.to_string().c_str());
        return kExitFailed;
    }
    const std::vector<std::string> corpus_names = corpus_list(ld.value.set);
    const std::vector<Metrics> per_corpus = metrics_by_corpus(ld.value.set, rows, pred);
    const std::vector<std::vector<EpochStats>> hist = history_of(model.metadata_json);
    const std::string title = a.get("model") + " on " + a.positional[0];
    if (json) {
        nlohmann::ordered_json j = {{"model", a.get("model")},
                            {"data", a.positional},
                            {"feature_set", model.feature_set},
                            {"corpora", corpora_json(ld.value.corpora)},
                            {"n_skipped_emotion", ld.value.n_left_out()},
                            {"problems", ld.value.problems},
                            {"metrics", metrics_json(m.value)},
                            {"predictions", predictions}};
        j["per_corpus"] = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < corpus_names.size(); ++c) j["per_corpus"][corpus_names[c]] = metrics_json(per_corpus[c]);
        std::printf("%s\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    } else {
        std::printf("%s on %zu clips (%zu with other emotions skipped)\n", a.get("model").c_str(), truth.size(),
                    ld.value.n_left_out());
        for (std::size_t c = 0; corpus_names.size() > 1 && c < corpus_names.size(); ++c)
            std::printf("%-10s UAR %s   accuracy %s   macro-F1 %s   (%d clips)\n", corpus_names[c].c_str(),
                        percent(per_corpus[c].uar).c_str(), percent(per_corpus[c].accuracy).c_str(),
                        percent(per_corpus[c].macro_f1).c_str(), per_corpus[c].n);
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

// Ablation: keep the columns whose names start with none of the --drop prefixes.
Status drop_columns(const std::string& drop, const std::string& set_name, LabelledSet& set) {
    const auto prefixes = split_list(drop);
    auto names = feature_vector_names(set_name);
    if (!names) return names.status;
    std::vector<int> keep;
    for (int j = 0; j < int(names.value.size()); ++j) {
        bool dropped = false;
        for (const auto& p : prefixes) dropped |= names.value[j].compare(0, p.size(), p) == 0;
        if (!dropped) keep.push_back(j);
    }
    if (keep.empty() || keep.size() == names.value.size())
        return Status::error("args", "--drop " + drop + " leaves " + std::to_string(keep.size()) + " of " +
                                         std::to_string(names.value.size()) + " features; expected to drop some, not all");
    auto select = [&](const Eigen::MatrixXf& x) {
        Eigen::MatrixXf out(x.rows(), Eigen::Index(keep.size()));
        for (std::size_t j = 0; j < keep.size(); ++j) out.col(Eigen::Index(j)) = x.col(keep[j]);
        return out;
    };
    set.x = select(set.x);
    set.augmented.x = select(set.augmented.x);
    return Status::ok();
}

Status read_protocol_options(const ParsedArgs& a, int n_jobs, ProtocolOptions& po) {
    Status st = read_train_options(a, po.train);
    if (!st) return st;
    auto protocols = parse_protocols(a.get("protocol"));
    if (!protocols) return protocols.status;
    if (protocols.value.size() != 1)
        return Status::error("args", "--protocol lists " + std::to_string(protocols.value.size()) + "; expected one for ser eval");
    po.protocol = protocols.value[0];
    if (a.has("folds")) {
        auto v = parse_int("folds", a.get("folds"), 2, 100);
        if (!v) return v.status;
        po.n_folds = v.value;
    }
    if (a.has("seeds")) {
        auto v = parse_int("seeds", a.get("seeds"), 1, 1000);
        if (!v) return v.status;
        po.n_seeds = v.value;
    }
    if (a.has("ensemble")) {
        auto v = parse_int("ensemble", a.get("ensemble"), 1, 50);
        if (!v) return v.status;
        po.n_ensemble = v.value;
    }
    po.n_jobs = n_jobs;
    if (!a.has("data")) return Status::error("args", "--protocol needs --data ROOT");
    if (!a.positional.empty()) return Status::error("args", "unexpected argument '" + a.positional[0] + "'");
    return Status::ok();
}

// What `ser eval --protocol` was asked for: the protocol's options and the data to load.
Status read_protocol_request(const ParsedArgs& a, int n_jobs, const std::string& cache, bool quiet, ProtocolOptions& po,
                             DataRequest& rq) {
    Status st = read_protocol_options(a, n_jobs, po);
    if (!st) return st;
    Result<int> n_augment = read_augment(a);
    if (!n_augment) return n_augment.status;
    Result<std::vector<std::string>> emotions = parse_emotions(a.get("emotions"));
    if (!emotions) return emotions.status;
    const std::string set_name = a.get("set", "seed");
    if (Result<FeatureSetInfo> si = feature_set_by_name(set_name); !si) return si.status;
    if (st = read_calibration_options(a, set_name, po.calibration); !st) return st;
    Result<DataRequest> r = data_request(a, a.get_all("data"), emotions.value, set_name, n_jobs, cache, quiet, n_augment.value);
    if (!r) return r.status;
    rq = std::move(r.value);
    return Status::ok();
}

// The analysis options that change the features after loading (--drop, --speaker-norm, --corpus-norm).
Status transform_features(const ParsedArgs& a, LabelledSet& set) {
    if (a.has("drop"))
        if (Status st = drop_columns(a.get("drop"), a.get("set", "seed"), set); !st) return st;
    if (a.has("speaker-norm")) normalise_per_speaker(set);
    if (a.has("corpus-norm")) normalise_per_corpus(set);
    return Status::ok();
}

void print_protocol_json(const ParsedArgs& a, const LabelledData& d, const ProtocolResult& r, double train_s) {
    nlohmann::ordered_json j = protocol_json(r);
    j["data"] = a.get_all("data");
    j["corpora"] = corpora_json(d.corpora);
    j["feature_set"] = a.get("set", "seed");
    j["speaker_normalised_oracle"] = a.has("speaker-norm");
    j["corpus_normalised"] = a.has("corpus-norm");
    j["n_clips"] = int(d.set.paths.size());
    j["n_speakers"] = int(d.speakers_sorted.size());
    j["seconds"] = train_s;
    j["problems"] = d.problems;
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
}

void print_protocol_text(const ParsedArgs& a, const LabelledData& d, const ProtocolResult& r, double train_s) {
    std::printf("%s\n%zu clips, %zu speakers, feature set %s, %zu classes; %.1f s\n\n", r.description.c_str(),
                d.set.paths.size(), d.speakers_sorted.size(), a.get("set", "seed").c_str(), r.pooled.classes.size(), train_s);
    if (a.has("speaker-norm"))
        std::printf("ORACLE: features z-normalised within each speaker over all of the speaker's clips (--speaker-norm);\n"
                    "an upper bound for analysis, not a figure for a new voice\n\n");
    if (a.has("corpus-norm"))
        std::printf("ANALYSIS: features z-normalised within each corpus over all of its clips (--corpus-norm)\n\n");
    print_protocol(r);
}

// --plots DIR: the pooled confusion matrix and training curves, and one confusion matrix per corpus.
Status write_protocol_plots(const std::string& dir, const ProtocolResult& r) {
    std::vector<std::vector<EpochStats>> hist;
    std::vector<std::string> names;
    for (const auto& f : r.folds) {
        hist.push_back(f.history);
        names.push_back(f.name);
    }
    Status st = write_plots(dir, r.pooled, hist, names, r.protocol + " protocol, pooled");
    for (std::size_t c = 0; st && r.corpus_names.size() > 1 && c < r.corpus_names.size(); ++c) {
        const std::string path = dir + "/confusion-" + r.corpus_names[c] + ".svg";
        st = write_text_file(path, confusion_svg(r.per_corpus[c], r.protocol + " protocol, " + r.corpus_names[c]));
        if (st) std::fprintf(stderr, "wrote %s\n", path.c_str());
    }
    return st;
}

int eval_protocol(const ParsedArgs& a, int n_jobs, const std::string& cache, bool json, bool quiet) {
    ProtocolOptions po;
    DataRequest rq;
    if (Status st = read_protocol_request(a, n_jobs, cache, quiet, po, rq); !st) {
        std::fprintf(stderr, "ser eval: %s\n%s", st.to_string().c_str(), kHelp);
        return kExitUsage;
    }
    const auto t0 = std::chrono::steady_clock::now();
    Result<LabelledData> ld = load_labelled_data(rq);
    if (!ld) {
        std::fprintf(stderr, "ser eval: %s\n", ld.status.to_string().c_str());
        return kExitFailed;
    }
    const LabelledData& d = ld.value;
    report_data("ser eval", d, quiet);
    if (Status st = transform_features(a, ld.value.set); !st) {
        std::fprintf(stderr, "ser eval: %s\n", st.to_string().c_str());
        return kExitUsage;
    }
    const auto t1 = std::chrono::steady_clock::now();
    if (!quiet)
        std::fprintf(stderr, "data: %zu clips, %zu speakers, %zu corpora, %d features in %.1f s\n", d.set.paths.size(),
                     d.speakers_sorted.size(), d.corpora.size(), int(d.set.x.cols()),
                     std::chrono::duration<double>(t1 - t0).count());
    po.on_fold = [quiet](const FoldResult& f) {
        if (!quiet)
            std::fprintf(stderr, "  %s: UAR %s, accuracy %s, macro-F1 %s (best epoch %d)\n", f.name.c_str(),
                         percent(f.metrics.uar).c_str(), percent(f.metrics.accuracy).c_str(),
                         percent(f.metrics.macro_f1).c_str(), f.best_epoch);
    };
    Result<ProtocolResult> pr = run_protocol(d.set, po);
    if (!pr) {
        std::fprintf(stderr, "ser eval: %s\n", pr.status.to_string().c_str());
        return kExitFailed;
    }
    const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (json) print_protocol_json(a, d, pr.value, train_s);
    else print_protocol_text(a, d, pr.value, train_s);
    if (a.has("plots"))
        if (Status st = write_protocol_plots(a.get("plots"), pr.value); !st) {
            std::fprintf(stderr, "ser eval: %s\n", st.to_string().c_str());
            return kExitFailed;
        }
    return d.problems.empty() ? kExitOk : kExitFailed;
}

int run_eval(const Args& args) {
    auto vo = train_value_options();
    vo.insert({"model", "protocol", "emotions", "set", "jobs", "cache", "folds", "seeds", "format", "plots", "drop", "ensemble"});
    const auto cvo = calibration_value_options();
    vo.insert(cvo.begin(), cvo.end());
    const auto dvo = data_value_options();
    vo.insert(dvo.begin(), dvo.end());
    auto fo = train_flag_options();
    fo.insert({"help", "no-cache", "quiet", "speaker-norm", "corpus-norm"});
    Result<ParsedArgs> pa = parse_args(args, vo, fo);
    if (!pa) {
        std::fprintf(stderr, "ser eval: %s\n%s", pa.status.to_string().c_str(), kHelp);
        return kExitUsage;
    }
    const ParsedArgs& a = pa.value;
    if (a.has("help")) {
        std::printf("%s%s%s%s", kHelp, data_options_help(), train_options_help(), calibration_options_help());
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
    if (a.has("calibrate") && (a.has("speaker-norm") || a.has("corpus-norm"))) {
        std::fprintf(stderr, "ser eval: --calibrate cannot be combined with --speaker-norm or --corpus-norm; expected one of them\n");
        return kExitUsage;
    }
    if (a.has("model") && a.has("data")) {
        std::fprintf(stderr, "ser eval: with --model the roots are arguments (ser eval --model M ROOT...); expected no --data\n");
        return kExitUsage;
    }
    if (a.has("model") && (a.has("speaker-norm") || a.has("corpus-norm"))) {
        std::fprintf(stderr, "ser eval: --speaker-norm applies to --protocol only; a model file is evaluated as shipped\n");
        return kExitUsage;
    }
    if (a.has("model")) return eval_model(a, n_jobs, cache, format == "json", quiet);
    return eval_protocol(a, n_jobs, cache, format == "json", quiet);
}

const Registration reg{{"eval", "evaluate a model, or a training protocol (random / speaker folds / leave one corpus out)", run_eval}};

}  // namespace
}  // namespace ser::cli
