// Calibrated training and testing rows (issue #10): each speaker's vectors shifted by a profile from a few of
// that speaker's neutral clips (model/profile.h), as `ser calibrate` does for a user. Between the labelled set and the trainer.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "ser/base/status.h"
#include "ser/model/profile.h"
#include "ser/train/calibration_options.h"
#include "ser/train/protocols.h"

namespace ser {


// The population a profile is pulled toward, from the training rows: population_mean = the mean of
// the training speakers' profiles (each speaker's neutral rows, voiced-weighted), population_sd = the
// spread of the neutral rows per feature (1 where constant). Errors when no training speaker has a
// neutral clip.
Result<ProfileRule> fit_profile_rule(const LabelledSet& data, const std::vector<int>& rows, const CalibrationOptions& options);

// Training rows for the calibrated network: every row of `rows` whose speaker has a neutral clip
// other than itself, `draws` times, each time minus the shift of a profile from up to k of the
// speaker's other neutral clips drawn at random (the network sees the noise of small calibration
// sets); copies (data.augmented) likewise, with draws of their source's speaker. Speakers without
// such a clip are left out of calibrated training (their count is reported).
struct CalibratedTraining {
    Eigen::MatrixXf x;
    std::vector<int> labels, groups;      // groups: the corpus index of each row (corpus_index)
    AugmentedRows augmented;              // sources renumbered into x
    int n_speakers_left_out = 0;
};
Result<CalibratedTraining> calibrated_training_rows(const LabelledSet& data, const std::vector<int>& rows,
                                                    const ProfileRule& rule, const CalibrationOptions& options,
                                                    std::uint64_t seed);

// Test rows with calibration, the rule `ser eval --calibrate K` states: for each test speaker, its first
// k neutral clips in path order (data.paths; row order without paths) make its profile and are not
// scored; its other clips are scored, shifted. A speaker with fewer than k neutral clips, or with no
// other clip, is left out (counted); so the plain figure on `scored` is on the same clips.
struct CalibratedTest {
    std::vector<int> calibration_rows;    // rows used as profiles, never scored
    std::vector<int> scored;              // rows scored with and without the profile
    Eigen::MatrixXf x_shifted;            // [scored.size(), n_features]
    int n_speakers = 0, n_speakers_left_out = 0;
};
Result<CalibratedTest> calibrated_test_rows(const LabelledSet& data, const std::vector<int>& rows,
                                            const ProfileRule& rule, const CalibrationOptions& options);

}  // namespace ser
