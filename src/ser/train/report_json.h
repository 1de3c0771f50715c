// Figures as JSON: metrics, summaries over folds and whole protocol runs, for `ser eval --format json` and the
// figures a model file stores (fit.h). One writer, so the CLI's JSON and the model card's numbers cannot drift apart.
#pragma once
#include <nlohmann/json.hpp>

#include "ser/train/corpus/registry.h"
#include "ser/train/metrics.h"
#include "ser/train/protocols.h"

namespace ser {

nlohmann::ordered_json summary_json(const Summary& s);
// Classes, n, accuracy, UAR, macro-F1, per-class figures and the confusion matrix (rows true).
nlohmann::ordered_json metrics_json(const Metrics& m);
// Folds, the summaries over folds, pooled and per-corpus metrics of a protocol run.
// With calibration, also "calibration" (calibration_json).
nlohmann::ordered_json protocol_json(const ProtocolResult& r);
// Plain and calibrated figures on the same clips, pooled and per corpus, with the clip and speaker counts.
nlohmann::ordered_json calibration_json(const ProtocolResult& r);
// Per corpus, in the model card's form (model_card.h corpora_metadata).
nlohmann::ordered_json corpora_json(const std::vector<corpus::CorpusTally>& corpora);

}  // namespace ser
