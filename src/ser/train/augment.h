// Deterministic data augmentation for training: seeded RNG, white/pink noise at an SNR, gain,
// speed change and sample-rate round trips by resampling. Before the feature stage, training only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/base/status.h"
#include "ser/base/rng.h"

namespace ser {

// Random numbers come from the project's one generator, ser::Rng (base/rng.h: xoshiro256**,
// the same stream on every platform), so that a seed gives the same augmentation everywhere.

enum class NoiseKind { white, pink };

// n samples of zero-mean noise with RMS exactly 1 (n >= 1). White: i.i.d. Gaussian. Pink:
// power density proportional to 1/f from 20 Hz to Nyquist (-3 dB per octave), shaped in the
// frequency domain in 65536-sample blocks joined by overlap-add with sine windows
// (sin^2 + cos^2 = 1 keeps the variance constant), so memory stays bounded for long clips.
Result<std::vector<float>> make_noise(NoiseKind kind, std::size_t n, Rng& rng, int rate_hz = kTargetRateHz);

// Adds noise scaled so that 10 log10(sum x^2 / sum noise^2) = snr_db exactly over the whole
// clip. snr_db in [-20, 100]. Errors: empty or non-finite input, a silent clip (SNR undefined).
Status add_noise(std::vector<float>& samples, NoiseKind kind, double snr_db, Rng& rng,
                 int rate_hz = kTargetRateHz);

// Multiplies by 10^(gain_db/20); gain_db in [-60, 40]. No clipping (features see floats).
Status apply_gain(std::vector<float>& samples, double gain_db);

// Speed change by resampling (sox `speed`): tempo and pitch both scale by `factor`
// (1.1 = 10% faster and higher); the result has about n / factor samples. The signal is read
// as if recorded at round(rate * factor) Hz and resampled to rate with ser::resample.
// factor in [0.5, 2].
Result<std::vector<float>> change_speed(const float* samples, std::size_t n_samples, double factor,
                                        int rate_hz = kTargetRateHz);

// rate -> via_rate -> rate with ser::resample (what a clip recorded or stored at another rate
// goes through). Returns exactly n_samples samples (the two length roundings can differ by one:
// the tail is cut or zero-padded). via_rate_hz in [kMinRateHz, kMaxRateHz].
Result<std::vector<float>> rate_round_trip(const float* samples, std::size_t n_samples, int via_rate_hz,
                                           int rate_hz = kTargetRateHz);

// Room reverberation by a synthetic impulse response: a unit direct path followed by Gaussian
// noise under an exponential envelope that falls 60 dB in rt60_s (Polack's statistical model
// of late reverberation, J. Acoust. Soc. Jpn. (E) 14(1), 1993), scaled so that the energy of
// the direct path over that of the tail is drr_db. The output keeps the input's length (the
// tail beyond the clip is cut). rt60_s in [0.05, 3], drr_db in [-10, 30]; the tail starts
// 1 ms after the direct path. Errors: empty or non-finite input, parameters out of range.
Status add_reverb(std::vector<float>& samples, double rt60_s, double drr_db, Rng& rng, int rate_hz = kTargetRateHz);

// A telephone-like channel: 4th-order Butterworth high-pass at low_hz and low-pass at high_hz
// (each two cascaded RBJ-cookbook biquads with Q 0.5412 and 1.3066), applied forward only.
// 20 <= low_hz < high_hz < rate / 2.
Status band_limit(std::vector<float>& samples, double low_hz, double high_hz, int rate_hz = kTargetRateHz);

// A random chain: speed change, reverberation, band limit, rate round trip, gain, additive
// noise, each applied with its probability and a parameter drawn uniformly from its range.
struct AugmentConfig {
    double p_speed = 0.5;
    double speed_min = 0.92, speed_max = 1.08;
    double p_round_trip = 0.5;
    std::vector<int> round_trip_rates_hz = {8000, 22050, 44100, 48000};
    double gain_min_db = -6.0, gain_max_db = 6.0;
    double p_noise = 0.6;
    double snr_min_db = 15.0, snr_max_db = 40.0;
    double p_pink = 0.5;            // share of pink among the noises
    double p_reverb = 0.0;          // off unless asked: not part of the earlier recipes
    double rt60_min_s = 0.2, rt60_max_s = 0.8;
    double drr_min_db = 0.0, drr_max_db = 12.0;
    double p_band = 0.0;            // telephone band, off unless asked
    double band_low_hz = 300.0, band_high_hz = 3400.0;

    // Probabilities in [0, 1], ranges ordered and within the limits of the functions above.
    Status validate() const;
    // One line for model metadata: every step with its range and probability (rooms and bands
    // only when used).
    std::string describe() const;
};

// The recipe of `--augment K` (ser train, ser eval), i.e. of the shipped models: changing it
// changes their copies, so it lives here, next to the chain, not in a front end.
AugmentConfig training_augment_config();

// Applies the chain to a copy of the clip (mono, rate_hz). Same seed state -> same output.
Result<std::vector<float>> augment(const float* samples, std::size_t n_samples, const AugmentConfig& config,
                                   Rng& rng, int rate_hz = kTargetRateHz);

}  // namespace ser
