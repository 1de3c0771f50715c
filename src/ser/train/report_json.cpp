// JSON of metrics and protocol runs (report_json.h); the field names are those `ser eval --format json` always wrote.
#include "ser/train/report_json.h"

#include "ser/model/model_card.h"

namespace ser {

nlohmann::ordered_json summary_json(const Summary& s) {
    return {{"mean", s.mean}, {"sd", s.sd}, {"min", s.min}, {"max", s.max}, {"n", s.n}};
}

nlohmann::ordered_json metrics_json(const Metrics& m) {
    nlohmann::ordered_json j;
    j["classes"] = m.classes;
    j["n"] = m.n;
    j["accuracy"] = m.accuracy;
    j["uar"] = m.uar;
    j["macro_f1"] = m.macro_f1;
    nlohmann::ordered_json pc = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < m.classes.size(); ++c)
        pc[m.classes[c]] = {{"precision", m.per_class[c].precision},
                            {"recall", m.per_class[c].recall},
                            {"f1", m.per_class[c].f1},
                            {"support", m.per_class[c].support}};
    j["per_class"] = pc;
    nlohmann::ordered_json cm = nlohmann::ordered_json::array();
    for (Eigen::Index r = 0; r < m.confusion.rows(); ++r) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (Eigen::Index c = 0; c < m.confusion.cols(); ++c) row.push_back(m.confusion(r, c));
        cm.push_back(row);
    }
    j["confusion"] = cm;
    j["confusion_axes"] = "rows = true class, columns = predicted class";
    return j;
}

nlohmann::ordered_json protocol_json(const ProtocolResult& r) {
    nlohmann::ordered_json folds = nlohmann::ordered_json::array();
    for (const auto& f : r.folds)
        folds.push_back({{"name", f.name},
                         {"n_train", f.n_train},
                         {"n_test", f.n_test},
                         {"best_epoch", f.best_epoch},
                         {"uar", f.metrics.uar},
                         {"accuracy", f.metrics.accuracy},
                         {"macro_f1", f.metrics.macro_f1}});
    nlohmann::ordered_json per_corpus = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < r.corpus_names.size(); ++c) per_corpus[r.corpus_names[c]] = metrics_json(r.per_corpus[c]);
    nlohmann::ordered_json out = {{"protocol", r.protocol},
            {"description", r.description},
            {"folds", folds},
            {"uar", summary_json(r.uar)},
            {"accuracy", summary_json(r.accuracy)},
            {"macro_f1", summary_json(r.macro_f1)},
            {"pooled", metrics_json(r.pooled)},
            {"per_corpus", per_corpus}};
    if (r.has_calibration) out["calibration"] = calibration_json(r);
    return out;
}

nlohmann::ordered_json calibration_json(const ProtocolResult& r) {
    const ProtocolResult::Calibrated& c = r.calibration;
    nlohmann::ordered_json per_corpus = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < r.corpus_names.size() && i < c.plain_per_corpus.size(); ++i)
        per_corpus[r.corpus_names[i]] = {{"plain", metrics_json(c.plain_per_corpus[i])},
                                         {"calibrated", metrics_json(c.calibrated_per_corpus[i])}};
    return {{"description", c.description},
            {"n_scored", c.n_scored},
            {"n_calibration_clips", c.n_calibration_clips},
            {"n_speakers", c.n_speakers},
            {"n_speakers_left_out", c.n_speakers_left_out},
            {"plain", metrics_json(c.plain)},
            {"calibrated", metrics_json(c.calibrated)},
            {"per_corpus", per_corpus}};
}

nlohmann::ordered_json corpora_json(const std::vector<corpus::CorpusTally>& corpora) {
    std::vector<ModelCard::Corpus> card;
    for (const corpus::CorpusTally& t : corpora) {
        ModelCard::Corpus c;
        c.name = t.corpus;
        c.n_speakers = int(t.n_speakers);
        c.n_clips = int(t.n_clips);
        for (const auto& [label, n] : t.clips_per_label) c.clips_per_class[label] = int(n);
        c.licence = t.licence;
        card.push_back(c);
    }
    return corpora_metadata(card);
}

}  // namespace ser
