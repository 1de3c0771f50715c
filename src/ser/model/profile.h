// Speaker profiles: a few clips of one speaker's neutral speech -> the statistics that move that speaker's
// vectors toward the training population before the network (issue #10). Model stage, beside normaliser.h.
#pragma once
#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser {

// What calibration leaves behind: no audio, only the mean feature vector of the speaker's
// calibration clips, each clip weighted by its seconds of voiced speech (clips with more speech
// say more), how much voiced speech that was, and the feature set it belongs to. Versioned JSON
// (profile_to_json); a profile is refused for any other feature set or version.
struct SpeakerProfile {
    static constexpr int kSchemaVersion = 1;
    std::string feature_set;
    int feature_set_version = 0;
    Eigen::VectorXf mean;     // one value per feature of the set
    double voiced_s = 0.0;    // voiced speech the mean came from, summed over clips
    int n_clips = 0;

    // Finite values, |value| <= kMaxAbsValue, voiced_s in (0, kMaxVoicedS], n_clips in [1, kMaxClips].
    Status validate() const;
    static constexpr float kMaxAbsValue = 1e6f;
    static constexpr double kMaxVoicedS = 3600.0;
    static constexpr int kMaxClips = 1000;
};

// One clip's share of a profile: its feature vector and its seconds of voiced speech.
struct ProfileClip {
    Eigen::VectorXf values;
    double voiced_s = 0.0;
};
// Voiced-seconds-weighted mean of the clips. Errors: no clips, lengths that differ, no voiced speech.
Result<SpeakerProfile> make_profile(const std::string& feature_set, int feature_set_version,
                                    const std::vector<ProfileClip>& clips);

// How a model turns a profile into a shift of the speaker's vectors; fitted at training time on the
// training speakers and stored with the calibrated network (model.h). A calibrated vector is
// x - shift(profile), with
//   shift = clamp(w (profile.mean - population_mean), -cap_sd sd, +cap_sd sd),  w = v / (v + shrink_s),
// v = the profile's voiced seconds, sd = population_sd. Shrinkage pulls a profile from little
// speech toward the population (the James-Stein / empirical-Bayes reading of a small-sample mean);
// the cap keeps one odd calibration clip from moving any feature by more than cap_sd population sds.
struct ProfileRule {
    float shrink_s = 0.0f;                // seconds of voiced speech at which the profile weighs half
    float cap_sd = 0.0f;                  // <= 0: no cap
    Eigen::VectorXf population_mean;      // mean of the training speakers' profiles
    Eigen::VectorXf population_sd;        // their spread per feature (> 0)

    int n_inputs() const { return int(population_mean.size()); }
    // Finite, shrink_s in [0, 600], cap_sd in [0, 100], population_sd > 0, lengths equal.
    Status validate() const;
    // The shift for a profile mean of n_inputs() values from voiced_s seconds of speech.
    Eigen::VectorXf shift(const Eigen::VectorXf& profile_mean, double voiced_s) const;
};

// Profile file: {"format": "ser-profile", "schema_version": 1, "feature_set", "feature_set_version",
// "n_clips", "voiced_s", "mean": [...]}. Parsing refuses other formats and schema versions, missing or
// mistyped fields, non-finite or out-of-range values, and text that is not JSON (empty, truncated).
std::string profile_to_json(const SpeakerProfile& profile);
Result<SpeakerProfile> parse_profile(const std::uint8_t* data, std::size_t n_bytes);
Result<SpeakerProfile> load_profile_file(const std::string& path);
// Whether a host should hand these bytes to parse_profile rather than to the audio decoder: a JSON
// object (after white space and a UTF-8 byte-order mark), which no audio format starts with. Looks
// at the first bytes only; parse_profile then says what is wrong with a JSON file that is no profile.
bool looks_like_profile(const std::uint8_t* data, std::size_t n_bytes);
Status save_profile_file(const SpeakerProfile& profile, const std::string& path);

// A profile for a model's feature set: refuses another set or version, or another length.
Status check_profile_for(const SpeakerProfile& profile, const std::string& feature_set, int feature_set_version,
                         int n_inputs);

}  // namespace ser
