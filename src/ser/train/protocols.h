// Evaluation protocols over a labelled feature set: repeated stratified random splits and
// speaker-independent grouped k-fold (each actor wholly in train or test). Used by `ser eval`.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ser/train/metrics.h"
#include "ser/base/status.h"
#include "ser/train/trainer.h"

namespace ser {

// Feature vectors with labels and speakers (one row per clip).
struct LabelledSet {
    Eigen::MatrixXf x;                  // [n_clips, n_features] raw features
    std::vector<int> labels;            // index into classes
    std::vector<int> actors;            // speaker id per clip (RAVDESS actor number)
    std::vector<std::string> classes;
    AugmentedRows augmented;            // optional copies of clips (source = row of x): they train
                                        // with their source's split, and are never tested on
};

// Speaker folds: the distinct actors, sorted, go to fold (rank mod k), so that with actors
// 01-20 and k = 5 fold f holds actors f+1, f+6, f+11, f+16 (two male, two female).
// Returns the fold of every clip. Errors when k < 2 or k exceeds the number of actors.
Result<std::vector<int>> speaker_folds(const std::vector<int>& actors, int n_folds);

struct FoldResult {
    std::string name;                   // "seed 3" or "fold 2 (actors 02,07,12,17)"
    Metrics metrics;
    std::vector<EpochStats> history;
    int n_train = 0, n_test = 0, best_epoch = 0;
};

struct ProtocolOptions {
    std::string protocol = "random";    // "random" | "speaker"
    int n_seeds = 10;                   // random: repetitions (seeds base_seed .. base_seed+n-1)
    double test_fraction = 0.2;         // random: stratified test share
    int n_folds = 5;                    // speaker: k
    TrainOptions train;                 // its seed is the base seed
    int n_jobs = 1;                     // folds trained in parallel (native only; 0 = all cores)
    std::function<void(const FoldResult&)> on_fold;   // called as folds finish, under a lock
};

struct ProtocolResult {
    std::string protocol;
    std::string description;            // one line: what was split how
    std::vector<FoldResult> folds;      // in fold/seed order
    Metrics pooled;                     // confusion matrices summed over folds
    Summary accuracy, uar, macro_f1;    // over folds/seeds
};

// Oracle speaker normalisation, for analysis only: z-normalises every column within each actor,
// using all of that actor's clips (test clips included, and with them the actor's balance of
// emotions). This is the "speaker-normalised" condition of the SER literature (e.g. Busso et al.
// 2011, "Iterative feature normalization scheme for automatic emotion detection from speech",
// IEEE T-AFFC): an upper bound for what removing between-speaker variation can buy, not a figure
// reachable on a single utterance of a new voice. Columns constant within an actor become 0.
void normalise_per_speaker(LabelledSet& data);

Result<ProtocolResult> run_protocol(const LabelledSet& data, const ProtocolOptions& options);

}  // namespace ser
