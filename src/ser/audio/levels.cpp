// Signal levels and the silence gate (see levels.h).
#include "ser/audio/levels.h"

#include <algorithm>
#include <cmath>

namespace ser {

float amplitude_dbfs(double amplitude) {
    if (!(amplitude > 0.0)) return kSilenceDb;
    return std::max(kSilenceDb, float(20.0 * std::log10(amplitude)));
}

float rms_dbfs(const float* samples, std::size_t n_samples) {
    if (n_samples == 0) return kSilenceDb;
    double sum = 0.0;
    for (std::size_t i = 0; i < n_samples; ++i) sum += double(samples[i]) * samples[i];
    return amplitude_dbfs(std::sqrt(sum / double(n_samples)));
}

float peak_dbfs(const float* samples, std::size_t n_samples) {
    double peak = 0.0;
    for (std::size_t i = 0; i < n_samples; ++i) peak = std::max(peak, double(std::fabs(samples[i])));
    return amplitude_dbfs(peak);
}

bool below_silence_gate(const float* samples, std::size_t n_samples) {
    return peak_dbfs(samples, n_samples) < kSilenceGateDbfs;
}

double clipped_fraction(const float* samples, std::size_t n_samples) {
    if (n_samples == 0) return 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < n_samples; ++i) n += std::fabs(samples[i]) >= kClipLevel;
    return double(n) / double(n_samples);
}

}  // namespace ser
