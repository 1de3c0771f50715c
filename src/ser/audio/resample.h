// The project's one resampler (libsoxr HQ), one-shot and streaming: any rate -> 16 kHz.
// Between decode and frames; within 2e-3 of librosa.resample(res_type='kaiser_best') beyond 16 edge samples (../shared/reference/resample).
#pragma once
#include <cstddef>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/audio/resample.h"
#include "ser/base/status.h"

namespace ser {

// The one resampler of the project (libsoxr HQ, pass band to 0.89 of Nyquist, built from its
// Debian source with the same plain-C paths for native and WebAssembly; docs/audio.md). Identity when in_rate_hz == out_rate_hz.
// Output length is ceil(n * out/in), as librosa.resample (fix_length to that size);
// output sample k is time-aligned with input time k/out_rate_hz (no filter delay).
// Errors: either rate outside [kMinRateHz, kMaxRateHz]. Empty input gives empty output.
Result<std::vector<float>> resample(const float* samples, std::size_t n_samples, int in_rate_hz,
                                    int out_rate_hz = kTargetRateHz);

// Streaming resampler for live input (microphone chunks at the AudioContext rate).
// Same filter as resample(); keeps state between chunks.
class StreamResampler {
public:
    StreamResampler();
    ~StreamResampler();
    StreamResampler(const StreamResampler&) = delete;
    StreamResampler& operator=(const StreamResampler&) = delete;
    Status reset(int in_rate_hz, int out_rate_hz = kTargetRateHz);
    // Appends resampled output to out. The filter looks ahead, so the output lags the input
    // by a few dozen samples until flush().
    Status push(const float* samples, std::size_t n_samples, std::vector<float>& out);
    // End of input: appends what the look-ahead still holds. After flush, the concatenated
    // output equals resample() of the whole input up to float rounding (before its
    // fix-length to ceil(n*out/in)). reset() is needed before pushing again.
    Status flush(std::vector<float>& out);
private:
    void* state_ = nullptr;
    double ratio_ = 1.0;
};

}  // namespace ser
