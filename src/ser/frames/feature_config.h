// Named, versioned feature configurations (C1 librosa-default, C2 speech).
// Parameters of the framing/feature stage; the model file records name + version and loading refuses a mismatch.
#pragma once
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser {

// Parameters as in ../shared/reference/README.md section 3 (librosa 0.9.2 calls).
struct FeatureConfig {
    std::string name;          // "C1" or "C2"
    int version = 1;           // bump when any number below changes meaning
    int sample_rate_hz = 16000;
    int n_fft = 2048;
    int win_length = 2048;     // periodic Hann, centred in n_fft when shorter
    int hop_length = 512;
    int n_mels = 128;
    float fmin_hz = 0.0f;
    float fmax_hz = 8000.0f;
    int n_mfcc = 20;
    int n_chroma = 12;
    bool estimate_tuning = true;   // chroma_stft(tuning=None) in C1; fixed tuning in C2
    float tuning = 0.0f;           // used when estimate_tuning is false
    float top_db = 80.0f;
    float amin = 1e-10f;

    // Checks ranges (n_fft power of two 64..8192, hop in [1, n_fft], win_length in
    // [16, n_fft], 0 <= fmin < fmax <= sr/2, n_mels in [1, 256], n_mfcc in [1, n_mels]).
    Status validate() const;
    bool same_as(const FeatureConfig& o) const;
    // "C1 v1 (n_fft 2048, hop 512, ...)" for `ser info` and error messages.
    std::string describe() const;
};

FeatureConfig config_c1();   // "C1" librosa-default
FeatureConfig config_c2();   // "C2" speech
Result<FeatureConfig> config_by_name(const std::string& name);
std::vector<std::string> config_names();

}  // namespace ser
