// Data sets on disk: RAVDESS file-name parsing, recursive folder scans, and batch feature
// extraction (both cores, cached by file content + feature-set version). Feeds training and `ser features`.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ser/train/augment.h"
#include "ser/base/status.h"

namespace ser {

// RAVDESS emotion codes 01..08 (../shared/data/README.md).
const std::vector<std::string>& ravdess_emotions();  // {"neutral","calm","happy","sad","angry","fearful","disgust","surprised"}

// Parsed from "03-01-EE-II-SS-RR-AA.<ext>"; fields are 1-based codes as in the name.
struct RavdessName {
    int modality = 0, channel = 0, emotion = 0, intensity = 0, statement = 0, repetition = 0, actor = 0;
    std::string emotion_name() const;  // "angry" for emotion 5
};
// Refuses names that do not follow the convention (wrong field count, codes out of range),
// naming the field and value: never guesses.
Result<RavdessName> parse_ravdess_name(const std::string& file_name);

struct Clip {
    std::string path;
    RavdessName info;   // valid only when `parsed` is true
    bool parsed = false;
};

// All audio files (wav, flac, ogg, opus, mp3, aiff) below `paths` (files or folders,
// recursively), sorted by path. Names that do not parse are kept with parsed=false and a
// message in `unparsed` ("name: why").
struct ScanResult {
    std::vector<Clip> clips;
    std::vector<std::string> unparsed;
};
Result<ScanResult> scan_audio_paths(const std::vector<std::string>& paths);

// Feature vectors of many files. Rows of `values` follow `paths`; a file that fails leaves
// its row NaN and its message in `errors[i]` (empty string when it worked).
struct BatchFeatures {
    std::vector<std::string> names;      // feature names of the set
    Eigen::MatrixXf values;              // [n_files, n_features]
    std::vector<std::string> errors;     // one per file
    // With BatchOptions::n_augment = K > 0: [n_files * K, n_features], row i * K + k is copy k of
    // file i (NaN rows where the file failed; errors[i] then says why).
    Eigen::MatrixXf augmented;
};
struct BatchOptions {
    std::string feature_set = "seed";
    int n_jobs = 0;                      // 0 = all cores
    std::string cache_dir;               // empty = no cache; key = hash(file bytes) + set name/version
    std::function<void(std::size_t done, std::size_t total)> progress;  // called from the calling thread
    // Training copies: K perturbed versions of every file (augment.h), each from an Rng seeded by
    // the file's content key and k, so a copy does not depend on the order or thread that made it;
    // cached like the clean vectors (the key adds k and the augmentation recipe).
    int n_augment = 0;                   // [0, 64]
    AugmentConfig augment;
};
Result<BatchFeatures> compute_batch_features(const std::vector<std::string>& paths, const BatchOptions& options);

}  // namespace ser
