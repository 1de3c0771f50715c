// Protocols, final training and the metadata of a model file (fit.h). The metadata keys are the ones
// `ser info` and the app read (model.h model_figures: "figures" by protocol).
#include "ser/train/fit.h"

#include <cmath>
#include <map>

#include "ser/frames/feature_config.h"
#include "ser/train/calibrated_rows.h"
#include "ser/train/report_json.h"
#include "ser/vectors/feature_sets.h"

namespace ser {

namespace {

nlohmann::ordered_json protocol_figures(const ProtocolResult& r) {
    nlohmann::ordered_json per_corpus = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < r.corpus_names.size(); ++c)
        per_corpus[r.corpus_names[c]] = {{"uar", r.per_corpus[c].uar},
                                         {"accuracy", r.per_corpus[c].accuracy},
                                         {"macro_f1", r.per_corpus[c].macro_f1},
                                         {"n", r.per_corpus[c].n}};
    return {{"description", r.description},
            {"accuracy", summary_json(r.accuracy)},
            {"uar", summary_json(r.uar)},
            {"macro_f1", summary_json(r.macro_f1)},
            {"pooled", metrics_json(r.pooled)},
            {"per_corpus", per_corpus},
            {"calibration", r.has_calibration ? calibration_json(r) : nlohmann::ordered_json(nullptr)}};
}

nlohmann::ordered_json history_json(const std::vector<EpochStats>& history) {
    auto finite = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json h = {{"train_loss", nlohmann::ordered_json::array()},
                                {"train_accuracy", nlohmann::ordered_json::array()},
                                {"val_loss", nlohmann::ordered_json::array()},
                                {"val_accuracy", nlohmann::ordered_json::array()}};
    for (const auto& e : history) {
        h["train_loss"].push_back(e.train_loss);
        h["train_accuracy"].push_back(e.train_accuracy);
        h["val_loss"].push_back(finite(e.val_loss));
        h["val_accuracy"].push_back(finite(e.val_accuracy));
    }
    return h;
}

std::string training_protocol_text(const TrainResult& r, double validation_fraction) {
    const std::string share = std::to_string(int(validation_fraction * 100 + 0.5)) + "% validation split";
    return r.refit_epochs > 0 ? "early stopping on a stratified " + share +
                                    ", then refit on every listed clip for the best epoch count"
                              : "trained on every listed clip except a stratified " + share + " (early stopping)";
}

std::string metadata_of(const LabelledData& d, const FitRequest& rq, const FitResult& fit) {
    nlohmann::ordered_json figures = nlohmann::ordered_json::object();
    for (const auto& p : fit.protocols) figures[p.protocol] = protocol_figures(p);
    figures["validation"] = fit.has_validation ? metrics_json(fit.validation) : nlohmann::ordered_json(nullptr);
    figures["best_epoch"] = fit.train.best_epoch;
    figures["epochs_run"] = int(fit.train.history.size());
    figures["refit_epochs"] = fit.train.refit_epochs;
    std::map<std::string, int> per_class;
    for (int y : d.set.labels) ++per_class[d.set.classes[std::size_t(y)]];
    const nlohmann::ordered_json meta = {{"ser_version", "0.1.0"},
                                         {"date", rq.date_utc},
                                         {"data", rq.roots},
                                         {"corpora", corpora_json(d.corpora)},
                                         {"n_clips", int(d.set.paths.size())},
                                         {"clips_per_class", per_class},
                                         {"speakers", d.speakers_sorted},
                                         {"protocol", training_protocol_text(fit.train, rq.train.validation_fraction)},
                                         {"seed", rq.train.seed},
                                         {"train_options", rq.train.describe()},
                                         {"augmentation", rq.augmentation},
                                         {"hidden", rq.train.hidden},
                                         {"calibration", rq.calibration.enabled() ? nlohmann::ordered_json(rq.calibration.describe())
                                                                                  : nlohmann::ordered_json(nullptr)},
                                         {"figures", figures},
                                         {"history", history_json(fit.train.history)}};
    return meta.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Status run_protocols(const LabelledData& d, const FitRequest& rq, FitResult& fit) {
    for (const std::string& protocol : rq.protocols) {
        ProtocolOptions po;
        po.protocol = protocol;
        po.n_folds = rq.n_folds;
        po.n_seeds = rq.n_seeds;
        po.train = rq.train;
        po.calibration = rq.calibration;
        po.n_jobs = rq.n_jobs;
        po.on_fold = rq.on_fold;
        Result<ProtocolResult> pr = run_protocol(d.set, po);
        if (!pr) return pr.status;
        fit.protocols.push_back(std::move(pr.value));
    }
    return Status::ok();
}

// Figures on the validation split, from the early-stopped weights (the refit then trains on it too).
void validation_figures(const LabelledData& d, FitResult& fit) {
    const TrainResult& r = fit.train;
    if (r.val_indices.empty() || r.val_predictions.size() != r.val_indices.size()) return;
    std::vector<int> truth;
    for (int i : r.val_indices) truth.push_back(d.set.labels[std::size_t(i)]);
    Result<Metrics> m = compute_metrics(truth, r.val_predictions, d.set.classes);
    if (!m) return;
    fit.has_validation = true;
    fit.validation = m.value;
}

// The calibrated network on every clip (calibrated_rows.h), the model's second network.
Status fit_calibrated(const LabelledData& d, const FitRequest& rq, Model& model) {
    std::vector<int> all(d.set.labels.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = int(i);
    Result<ProfileRule> rule = fit_profile_rule(d.set, all, rq.calibration);
    if (!rule) return rule.status;
    Result<CalibratedTraining> ct = calibrated_training_rows(d.set, all, rule.value, rq.calibration, rq.train.seed);
    if (!ct) return ct.status;
    Result<TrainResult> tr = train_mlp(ct.value.x, ct.value.labels, d.set.classes, rq.train, {}, ct.value.augmented, ct.value.groups);
    if (!tr) return tr.status;
    model.calibrated.push_back({std::move(rule.value), std::move(tr.value.model.normaliser), std::move(tr.value.model.layers)});
    return Status::ok();
}

}  // namespace

Result<FitResult> fit_model(const LabelledData& d, const FitRequest& rq) {
    Result<FeatureSetInfo> set = feature_set_by_name(rq.feature_set);
    if (!set) return set.status;
    Result<FeatureConfig> cfg = config_by_name(set.value.config);
    if (!cfg) return cfg.status;
    FitResult fit;
    Status st = run_protocols(d, rq, fit);
    if (!st) return st;
    Result<TrainResult> tr =
        train_mlp(d.set.x, d.set.labels, d.set.classes, rq.train, rq.on_epoch, d.set.augmented, corpus_index(d.set));
    if (!tr) return tr.status;
    fit.train = std::move(tr.value);
    fit.model = std::move(fit.train.model);
    fit.model.feature_config = cfg.value.name;
    fit.model.feature_config_version = cfg.value.version;
    fit.model.feature_set = rq.feature_set;
    fit.model.feature_set_version = set.value.version;
    if (rq.calibration.enabled())
        if (Status cs = fit_calibrated(d, rq, fit.model); !cs) return cs;
    validation_figures(d, fit);
    fit.model.metadata_json = metadata_of(d, rq, fit);
    return fit;
}

}  // namespace ser
