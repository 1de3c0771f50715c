// The last stage of `ser train`: a labelled set -> protocol figures (optional) -> the final MLP on every clip
// -> a Model carrying its feature config/set and the metadata a model card quotes (corpora, speakers, figures).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "ser/base/status.h"
#include "ser/model/model.h"
#include "ser/train/labelled_data.h"
#include "ser/train/protocols.h"
#include "ser/train/trainer.h"

namespace ser {

struct FitRequest {
    std::string feature_set;               // the set the data was computed with
    TrainOptions train;
    CalibrationOptions calibration;        // k > 0: the model also gets a calibrated network (accepts profiles)
    std::vector<std::string> protocols;    // "random" "speaker" "loco", run first; their figures go into the metadata
    int n_folds = 5, n_seeds = 10;         // protocol settings
    int n_jobs = 0;                        // folds in parallel
    std::vector<std::string> roots;        // recorded in the metadata
    std::string augmentation = "none";     // how the copies were made, recorded
    std::string date_utc;                  // recorded
    std::function<void(const FoldResult&)> on_fold;
    EpochCallback on_epoch;
};

struct FitResult {
    Model model;                           // ready to save: config, set, layers, metadata
    std::vector<ProtocolResult> protocols; // in request order
    TrainResult train;                     // of the final model (its model moved into `model`)
    bool has_validation = false;           // early stopping held out a split; its figures follow
    Metrics validation;
};

Result<FitResult> fit_model(const LabelledData& data, const FitRequest& request);

}  // namespace ser
