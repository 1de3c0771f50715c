// Options of calibrated training and evaluation (issue #10): how many neutral clips make a speaker's profile,
// and the rule that turns it into a shift. Shared by the protocols (protocols.h) and the calibrated rows.
#pragma once
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser {

struct CalibrationOptions {
    int k = 0;                            // calibration clips per speaker; 0 = no calibration
    float shrink_s = 0.5f;                // ProfileRule::shrink_s
    float cap_sd = 3.0f;                  // ProfileRule::cap_sd (0 = no cap)
    std::string neutral = "neutral";      // the class whose clips calibrate
    int draws = 1;                        // training: profiles drawn per clean row (each a copy)
    std::vector<std::string> feature_names;  // of the set, to find each clip's voiced seconds
    bool enabled() const { return k > 0; }
    // k in [0, 16], draws in [1, 16], the rule's ranges; with k > 0 names that measure voiced speech.
    Status validate() const;
    std::string describe() const;         // "calibrate 2 neutral clips per speaker, shrink 0.5 s, cap 3 sd"
};

}  // namespace ser
