// The model card: what a model's metadata says about its training data and measured figures, read
// in one place (the CLI's `ser info`, the app's header and "About this model" panel). Beside model.h.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ser {

// One evaluation figure: metadata.figures.<protocol> as `ser train --protocol` writes it
// ({accuracy, uar, macro_f1}, each a number or a {mean, sd, ...} object over folds/seeds, and a
// pooled confusion matrix). Fractions in [0, 1]; -1 where the file has none.
struct ModelFigure {
    std::string protocol;     // "speaker", "random", "loco", "validation", ... or a flat key (see flat)
    std::string description;  // how it was split, as written by the trainer
    double accuracy = -1.0;
    double accuracy_sd = -1.0;
    double uar = -1.0;
    double macro_f1 = -1.0;
    bool is_mean = false;     // accuracy is a mean over folds or seeds
    bool flat = false;        // from a top-level numeric "*accuracy*" key (files without "figures")
    // Pooled confusion over folds: rows = true class, columns = predicted, in confusion_classes order.
    std::vector<std::string> confusion_classes;
    std::vector<std::vector<int>> confusion;
    // Per corpus, when the protocol reports them: corpus -> {accuracy, uar, macro_f1} (pooled).
    struct CorpusFigure {
        std::string corpus;
        double accuracy = -1.0, uar = -1.0, macro_f1 = -1.0;
        int n = 0;
    };
    std::vector<CorpusFigure> per_corpus;
    // "speaker-independent accuracy 80.7%, UAR 80.0%", the line a user reads first.
    std::string headline() const;
};
// The figures in metadata order; empty for unparsable metadata. Never throws.
std::vector<ModelFigure> model_figures(const std::string& metadata_json);
// The figure to show a user first: speaker-independent, then leave-one-corpus-out, held-out/test,
// then any other protocol, then the validation split, then a flat key; nullptr when there is none.
const ModelFigure* headline_figure(const std::vector<ModelFigure>& figures);

// What the model was trained on and how it measured. Strings are empty, counts 0, when the
// metadata does not say (older files record data_dir and actors instead of corpora).
struct ModelCard {
    struct Corpus {
        std::string name;       // "ravdess"
        int n_speakers = 0;
        int n_clips = 0;
        std::map<std::string, int> clips_per_class;
        std::string licence;    // "CC BY-NC-SA 4.0 (...)", or "" when not recorded
    };
    std::vector<Corpus> corpora;
    int n_speakers = 0;                       // all corpora together
    int n_clips = 0;
    std::map<std::string, int> clips_per_class;
    std::string training;                     // the train options line
    std::string augmentation;
    std::string date;
    std::vector<ModelFigure> figures;
};
ModelCard read_model_card(const std::string& metadata_json);
// metadata.corpora as `ser train` writes it and read_model_card reads it back:
// [{name, n_speakers, n_clips, clips_per_class, licence}], one object per corpus.
nlohmann::ordered_json corpora_metadata(const std::vector<ModelCard::Corpus>& corpora);

}  // namespace ser
