// Reading the model card from a model's metadata JSON (see model_card.h). Tolerant: a field it
// cannot read is left empty, never an error, since the metadata is informative, not the model.
#include "ser/model/model_card.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace ser {

namespace {

using Json = nlohmann::ordered_json;

// A figure field: a number, or the mean of a {mean, sd, ...} object; -1 otherwise.
double figure_value(const Json& o, const char* key, bool* is_mean = nullptr, double* sd = nullptr) {
    if (!o.is_object() || !o.contains(key)) return -1.0;
    const auto& x = o[key];
    if (x.is_number()) return x.get<double>();
    if (x.is_object() && x.contains("mean") && x["mean"].is_number()) {
        if (is_mean) *is_mean = true;
        if (sd && x.contains("sd") && x["sd"].is_number()) *sd = x["sd"].get<double>();
        return x["mean"].get<double>();
    }
    return -1.0;
}

std::string text_of(const Json& o, const char* key) {
    return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
}

int int_of(const Json& o, const char* key) {
    return o.is_object() && o.contains(key) && o[key].is_number_integer() ? o[key].get<int>() : 0;
}

void read_confusion(const Json& pooled, ModelFigure& f) {
    if (!pooled.is_object() || !pooled.contains("confusion") || !pooled["confusion"].is_array()) return;
    if (pooled.contains("classes") && pooled["classes"].is_array())
        for (const auto& c : pooled["classes"])
            if (c.is_string()) f.confusion_classes.push_back(c.get<std::string>());
    for (const auto& row : pooled["confusion"]) {
        if (!row.is_array()) return f.confusion.clear();
        std::vector<int> r;
        for (const auto& v : row) r.push_back(v.is_number_integer() ? v.get<int>() : 0);
        if (r.size() != f.confusion_classes.size()) return f.confusion.clear();
        f.confusion.push_back(std::move(r));
    }
    if (f.confusion.size() != f.confusion_classes.size()) f.confusion.clear();
}

// figures.<protocol>.per_corpus: {corpus: {accuracy, uar, macro_f1, n}} (pooled over folds).
void read_per_corpus(const Json& fig, ModelFigure& f) {
    if (!fig.contains("per_corpus") || !fig["per_corpus"].is_object()) return;
    for (auto it = fig["per_corpus"].begin(); it != fig["per_corpus"].end(); ++it) {
        ModelFigure::CorpusFigure c;
        c.corpus = it.key();
        c.accuracy = figure_value(it.value(), "accuracy");
        c.uar = figure_value(it.value(), "uar");
        c.macro_f1 = figure_value(it.value(), "macro_f1");
        c.n = int_of(it.value(), "n");
        f.per_corpus.push_back(c);
    }
}

std::string percent_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100.0);
    return buf;
}

// Corpora as recorded ("corpora": [{name, n_speakers, n_clips, licence}]), or, for files written
// before there were several, the one folder named by data_dir with its actors.
void read_corpora(const Json& meta, ModelCard& card) {
    if (meta.contains("corpora") && meta["corpora"].is_array()) {
        for (const auto& c : meta["corpora"]) {
            ModelCard::Corpus k;
            k.name = c.is_string() ? c.get<std::string>() : text_of(c, "name");
            k.n_speakers = int_of(c, "n_speakers");
            k.n_clips = int_of(c, "n_clips");
            k.licence = text_of(c, "licence");
            if (c.is_object() && c.contains("clips_per_class") && c["clips_per_class"].is_object())
                for (auto it = c["clips_per_class"].begin(); it != c["clips_per_class"].end(); ++it)
                    if (it.value().is_number_integer()) k.clips_per_class[it.key()] = it.value().get<int>();
            if (!k.name.empty()) card.corpora.push_back(k);
        }
    } else if (meta.contains("data_dir") && meta["data_dir"].is_string()) {
        std::string dir = meta["data_dir"].get<std::string>();
        while (!dir.empty() && dir.back() == '/') dir.pop_back();
        ModelCard::Corpus k;
        k.name = dir.substr(dir.find_last_of('/') + 1);
        k.n_clips = int_of(meta, "n_clips");
        if (meta.contains("actors") && meta["actors"].is_array()) k.n_speakers = int(meta["actors"].size());
        card.corpora.push_back(k);
    }
    for (const auto& c : card.corpora) card.n_speakers += c.n_speakers;
    if (meta.contains("n_speakers") && meta["n_speakers"].is_number_integer()) card.n_speakers = meta["n_speakers"].get<int>();
}

}  // namespace

std::string ModelFigure::headline() const {
    if (flat) return protocol + " " + percent_text(accuracy);
    const std::string name = protocol == "speaker" ? "speaker-independent"
                             : protocol == "loco"  ? "leave-one-corpus-out"
                                                   : protocol;
    std::string t = name + " accuracy " + percent_text(accuracy);
    if (uar >= 0.0) t += ", UAR " + percent_text(uar);
    return t;
}

std::vector<ModelFigure> model_figures(const std::string& metadata_json) {
    std::vector<ModelFigure> out;
    const auto meta = Json::parse(metadata_json, nullptr, false);
    if (!meta.is_object()) return out;
    if (meta.contains("figures") && meta["figures"].is_object()) {
        for (auto it = meta["figures"].begin(); it != meta["figures"].end(); ++it) {
            ModelFigure f;
            f.protocol = it.key();
            f.description = text_of(it.value(), "description");
            f.accuracy = figure_value(it.value(), "accuracy", &f.is_mean, &f.accuracy_sd);
            f.uar = figure_value(it.value(), "uar");
            f.macro_f1 = figure_value(it.value(), "macro_f1");
            if (f.accuracy < 0.0) continue;
            if (it.value().contains("pooled")) read_confusion(it.value()["pooled"], f);
            read_per_corpus(it.value(), f);
            out.push_back(std::move(f));
        }
    }
    for (auto it = meta.begin(); it != meta.end(); ++it) {
        if (it.key().find("accuracy") == std::string::npos || !it.value().is_number()) continue;
        ModelFigure f;
        f.protocol = it.key();
        f.accuracy = it.value().get<double>();
        f.flat = true;
        out.push_back(f);
    }
    return out;
}

const ModelFigure* headline_figure(const std::vector<ModelFigure>& figures) {
    auto find = [&](auto&& pick) -> const ModelFigure* {
        for (const auto& f : figures)
            if (pick(f)) return &f;
        return nullptr;
    };
    for (const char* key : {"speaker", "loco", "heldout", "held_out", "test"})
        if (auto f = find([&](const ModelFigure& x) { return !x.flat && x.protocol == key; })) return f;
    if (auto f = find([](const ModelFigure& x) { return !x.flat && x.protocol != "validation"; })) return f;
    if (auto f = find([](const ModelFigure& x) { return !x.flat; })) return f;
    return find([](const ModelFigure& x) { return x.flat; });
}

ModelCard read_model_card(const std::string& metadata_json) {
    ModelCard card;
    const auto meta = Json::parse(metadata_json, nullptr, false);
    if (!meta.is_object()) return card;
    read_corpora(meta, card);
    card.n_clips = int_of(meta, "n_clips");
    if (meta.contains("clips_per_class") && meta["clips_per_class"].is_object())
        for (auto it = meta["clips_per_class"].begin(); it != meta["clips_per_class"].end(); ++it)
            if (it.value().is_number_integer()) card.clips_per_class[it.key()] = it.value().get<int>();
    card.training = text_of(meta, "train_options");
    card.augmentation = text_of(meta, "augmentation");
    card.date = text_of(meta, "date");
    card.figures = model_figures(metadata_json);
    return card;
}

nlohmann::ordered_json corpora_metadata(const std::vector<ModelCard::Corpus>& corpora) {
    Json out = Json::array();
    for (const ModelCard::Corpus& c : corpora)
        out.push_back({{"name", c.name},
                       {"n_speakers", c.n_speakers},
                       {"n_clips", c.n_clips},
                       {"clips_per_class", c.clips_per_class},
                       {"licence", c.licence}});
    return out;
}

}  // namespace ser
