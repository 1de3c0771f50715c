// Leading/trailing silence trim and frame RMS, as librosa.effects.trim and librosa.feature.rms.
// Before the feature stage (16 kHz samples -> the non-silent span [start, end)); matches librosa 0.9.2.
#pragma once
#include <cstddef>
#include <vector>

#include "ser/base/status.h"

namespace ser {

// librosa.feature.rms(y, frame_length, hop_length, center=True, pad_mode='constant'):
// sqrt(mean(x^2)) over centred frames of frame_length samples, zero padded, no window;
// n_frames = 1 + n / hop_length. frame_length even in [16, 65536], hop in [1, frame_length].
// Errors: empty input, non-finite samples, parameters out of range.
Result<std::vector<float>> frame_rms(const float* samples, std::size_t n_samples,
                                     int frame_length, int hop_length);

// The kept span of a trim, in samples: [start, end); start == end when nothing is kept.
struct TrimRange {
    std::size_t start = 0;
    std::size_t end = 0;
    std::size_t length() const { return end - start; }
};

// librosa.effects.trim(y, top_db, ref=np.max, frame_length, hop_length): frames whose RMS is
// within top_db of the loudest frame (amplitude_to_db with amin 1e-5) are non-silent; the span
// runs from the first such frame's start (frame * hop) to the end of the last one
// ((frame + 1) * hop, capped at n). Like librosa, an all-zero clip is kept whole (every frame
// is 0 dB relative to a 0 maximum, both floored at amin). top_db in (0, 200].
Result<TrimRange> trim_silence(const float* samples, std::size_t n_samples, float top_db = 60.0f,
                               int frame_length = 2048, int hop_length = 512);

}  // namespace ser
