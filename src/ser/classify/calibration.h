// Calibration: a speaker's neutral clips (16 kHz) -> per-clip checks (level, clipping, voiced speech)
// -> their feature vectors through the model's own feature set -> SpeakerProfile (model/profile.h).
#pragma once
#include <Eigen/Core>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ser/base/status.h"
#include "ser/classify/classifier.h"
#include "ser/model/profile.h"

namespace ser {

// Seconds of voiced speech in a vector of a set that measures them: the `emo` set's voice_ratio
// (voiced share of the trimmed frames, YIN) times dur_trimmed_s. voiced_columns finds the two
// values once by name; it errors for a set without both (`seed`, `stats`): such a set cannot be
// calibrated.
struct VoicedColumns {
    Eigen::Index voice_ratio = -1, dur_trimmed_s = -1;
};
Result<VoicedColumns> voiced_columns(const std::vector<std::string>& names);
inline double voiced_seconds(const VoicedColumns& c, const Eigen::Ref<const Eigen::RowVectorXf>& values) {
    return double(values[c.voice_ratio]) * double(values[c.dur_trimmed_s]);
}

// How much calibration speech is enough. Two RAVDESS neutral sentences hold 0.35-0.93 s of voiced
// speech each (median 0.53 s, actors 01-05, `ser features --set emo`), so the total must not ask
// for more than 0.6 s; a clip with less than 0.15 s voiced holds no usable speech.
constexpr double kMinVoicedS = 0.6;
constexpr double kMinClipVoicedS = 0.15;
constexpr double kMaxClippedFraction = 0.01;   // audio/levels.h: clipped_fraction

// What one calibration clip gave, for the CLI's and the page's advice on what to redo.
struct CalibrationClip {
    std::string name;             // as the caller named it (a path, "sentence 2")
    double duration_s = 0.0;
    float peak_dbfs = 0.0f;
    double clipped_fraction = 0.0;
    double voiced_s = 0.0;
    std::string problem;          // empty = usable; else what is wrong and what to do
};

struct CalibrationResult {
    std::vector<CalibrationClip> clips;   // one per input, in order
    SpeakerProfile profile;               // valid when status is ok
    Status status;                        // the first reason no profile was made
};

// Checks one clip and, when usable, computes its vector with the model's feature set. The clip's
// problem says why it is not usable (silent, clipped, no voiced speech, too short); a data error
// other than those is returned.
Status check_calibration_clip(const ClassifierContext& context, ClassifierState& state, const float* samples_16k,
                              std::size_t n_samples, CalibrationClip& report, ProfileClip& out);

// All clips -> the profile: every clip must be usable and the voiced speech together at least
// kMinVoicedS; the status says how much was found and how much is needed.
struct CalibrationInput {
    std::string name;
    const float* samples_16k = nullptr;
    std::size_t n_samples = 0;
};
CalibrationResult calibrate(const ClassifierContext& context, ClassifierState& state,
                            const std::vector<CalibrationInput>& clips);

// The page's calibration, one clip at a time (a sentence recorded, a file dropped): each clip is
// checked as it arrives and its report says what to redo; the usable clips make the profile as soon
// as they hold kMinVoicedS of voiced speech, so that a redone sentence replaces nothing else. Keeps
// the clips' feature vectors, never their audio. Owns its ClassifierState (one per session).
class CalibrationSession {
public:
    // The model must accept profiles; otherwise status() says why and add() keeps nothing.
    explicit CalibrationSession(std::shared_ptr<const ClassifierContext> context);
    ~CalibrationSession();
    CalibrationSession(const CalibrationSession&) = delete;
    CalibrationSession& operator=(const CalibrationSession&) = delete;

    const Status& status() const;
    // Checks one clip and keeps it when usable. The report's problem says why not (a data error
    // such as NaN samples is a problem as well: the session goes on).
    const CalibrationClip& add(const std::string& name, const float* samples_16k, std::size_t n_samples);
    const std::vector<CalibrationClip>& clips() const;   // every report, in order
    int n_usable() const;
    double voiced_s() const;                             // of the usable clips
    // The profile of the usable clips, or why there is none yet (how much voiced speech was found
    // and how much is needed).
    Result<SpeakerProfile> profile() const;
    // Forgets every clip (a redo).
    void clear();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ser
