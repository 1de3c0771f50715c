// Evaluation protocols over a labelled feature set: repeated stratified random splits, speaker-grouped k-fold
// stratified by corpus, and leave-one-corpus-out; figures per fold, per corpus and pooled. Used by `ser eval`/`ser train`.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ser/train/metrics.h"
#include "ser/base/status.h"
#include "ser/train/calibration_options.h"
#include "ser/train/trainer.h"

namespace ser {

// Feature vectors with labels, speakers and corpora (one row per clip).
struct LabelledSet {
    Eigen::MatrixXf x;                  // [n_clips, n_features] raw features
    std::vector<int> labels;            // index into classes
    std::vector<std::string> speakers;  // qualified by corpus ("ravdess/07" and "ased/07" are two people)
    std::vector<std::string> corpora;   // corpus name per clip ("ravdess")
    std::vector<std::string> classes;
    std::vector<std::string> paths;     // one per row, or empty (calibration takes a speaker's clips in path order)
    AugmentedRows augmented;            // optional copies of clips (source = row of x): they train
                                        // with their source's split, and are never tested on
};

// The distinct corpora of `data`, sorted, and each row's index into that list (the trainer's groups).
std::vector<std::string> corpus_list(const LabelledSet& data);
std::vector<int> corpus_index(const LabelledSet& data);

// Speaker folds stratified by corpus: corpora in name order, within each its speakers sorted; one
// running count c over them all puts speaker c in fold (c mod k). Each corpus is thus spread over the
// folds as evenly as its speaker count allows, and with RAVDESS actors 01-20 alone and k = 5 fold f
// holds actors f+1, f+6, f+11, f+16 (two male, two female), as the RAVDESS-only protocol always did.
// Returns the fold of every clip. Errors when k < 2 or k exceeds the number of speakers.
Result<std::vector<int>> speaker_folds(const std::vector<std::string>& speakers, const std::vector<std::string>& corpora,
                                       int n_folds);
// Leave-one-corpus-out: the fold of a clip is its corpus's rank in name order. Errors with fewer than 2 corpora.
Result<std::vector<int>> corpus_folds(const std::vector<std::string>& corpora);

struct FoldResult {
    std::string name;                   // "seed 3", "fold 2 (ravdess/02,07,12,17)", "held out: savee"
    Metrics metrics;
    std::vector<int> test_rows;         // rows of the set tested, and what was predicted for each
    std::vector<int> predictions;
    std::vector<EpochStats> history;
    int n_train = 0, n_test = 0, best_epoch = 0;
    // With calibration (ProtocolOptions::calibration): the rows scored with a profile, what the plain
    // network and the calibrated one predicted for them, and the rows that served as profiles.
    std::vector<int> calibrated_rows, plain_on_calibrated, calibrated_predictions, calibration_rows;
    int n_calibrated_speakers = 0, n_speakers_left_out = 0;
};

struct ProtocolOptions {
    std::string protocol = "random";    // "random" | "speaker" | "loco" (leave one corpus out)
    int n_seeds = 10;                   // random: repetitions (seeds base_seed .. base_seed+n-1)
    double test_fraction = 0.2;         // random: stratified test share
    int n_folds = 5;                    // speaker: k
    TrainOptions train;                 // its seed is the base seed; group_weighting balances corpora
    CalibrationOptions calibration;     // k > 0: a calibrated network per split too, scored beside the plain one
    int n_jobs = 1;                     // folds trained in parallel (native only; 0 = all cores)
    // Networks per split, trained with seeds seed, seed + 7919, ...; a clip's prediction is the
    // argmax of their mean probabilities (an ensemble, measured for #9; 1 = one network, 1..50).
    // Not with calibration (refused).
    int n_ensemble = 1;
    std::function<void(const FoldResult&)> on_fold;   // called as folds finish, under a lock
};

struct ProtocolResult {
    std::string protocol;
    std::string description;            // one line: what was split how
    std::vector<FoldResult> folds;      // in fold/seed order
    Metrics pooled;                     // confusion matrices summed over folds
    std::vector<std::string> corpus_names;   // sorted
    std::vector<Metrics> per_corpus;         // pooled over folds, the clips of one corpus each
    Summary accuracy, uar, macro_f1;    // over folds/seeds
    // With calibration: plain and calibrated figures on the same clips (calibration clips excluded),
    // pooled and per corpus (corpus_names order).
    struct Calibrated {
        std::string description;
        Metrics plain, calibrated;
        std::vector<Metrics> plain_per_corpus, calibrated_per_corpus;
        int n_scored = 0, n_calibration_clips = 0, n_speakers = 0, n_speakers_left_out = 0;
    };
    bool has_calibration = false;
    Calibrated calibration;
};

// Oracle speaker normalisation, for analysis only: z-normalises every column within each speaker,
// using all of that speaker's clips (test clips included, and with them the speaker's balance of
// emotions). This is the "speaker-normalised" condition of the SER literature (e.g. Busso et al.
// 2011, "Iterative feature normalization scheme for automatic emotion detection from speech",
// IEEE T-AFFC): an upper bound for what removing between-speaker variation can buy, not a figure
// reachable on a single utterance of a new voice. Columns constant within a speaker become 0.
void normalise_per_speaker(LabelledSet& data);
// The same within each corpus (all its clips, no labels used), copies with their source's corpus
// statistics: what per-corpus normalisation buys across recording set-ups and languages. Also
// analysis only: one utterance of a new recording set-up offers no corpus statistics.
void normalise_per_corpus(LabelledSet& data);

// Confusion matrices of the clips of each corpus (corpus_list order), summed over every (row, prediction) pair.
std::vector<Metrics> metrics_by_corpus(const LabelledSet& data, const std::vector<int>& rows,
                                       const std::vector<int>& predictions);

Result<ProtocolResult> run_protocol(const LabelledSet& data, const ProtocolOptions& options);

}  // namespace ser
