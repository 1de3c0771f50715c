// CSV export of what the app shows: per-frame features and the per-window emotion timeline.
// After features.h / pipeline.h in the data flow; one row per frame or window, RFC 4180 CSV.
#pragma once
#include <string>
#include <vector>

#include "ser/frames/frame_features.h"
#include "ser/classify/classifier.h"

namespace ser {

// One row per frame: time_s (frame centre, t * hop / rate: librosa.frames_to_time), rms, zcr,
// mfcc_0..mfcc_{n-1}, chroma_0..chroma_{11}, mel_db_0..mel_db_{n_mels-1}. The STFT magnitude is
// left out (1025 columns at n_fft 2048: better exported as a matrix than a table).
// Numbers are printed with 9 significant digits (float32 round-trips). offset_s is added to every
// time: the start of the span the frames were computed on (ClipAnalysis::used_start_s), so times are the clip's.
std::string features_csv(const FrameFeatures& features, int hop_length, int sample_rate_hz, double offset_s = 0.0);

// One row per window: start_s, end_s, then one column per class (model order), then label
// (the most probable class of the window).
std::string timeline_csv(const std::vector<std::string>& classes, const std::vector<TimelinePoint>& timeline);

}  // namespace ser
