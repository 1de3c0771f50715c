// The "emo" vector of successive windows of one stream, each frame's STFT, mel and YIN analysed once.
// Third stage for the live path (16 kHz stream -> one vector per window); equals compute_emo (emo_set.h) on the window.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "ser/base/status.h"
#include "ser/vectors/feature_sets.h"

namespace ser {

// Why it equals the batch vector: compute_emo levels the window (a gain g), trims it, and frames
// the trimmed part with zero padding. A frame whose analysis span (the YIN frame, 1024 samples,
// the longest) lies inside the trimmed part sees stream samples only, so its STFT, mel power and
// YIN terms, analysed once on the unlevelled stream, become the window's by scaling: |X| by g,
// mel power and YIN energies by g^2 (PitchTracker::decide_frame). Frames that reach past the
// trimmed part's edges see zero padding that moves with the trim and are analysed per window.
// Everything that depends on the whole window (gain, trim, the top_db floor, voicing relative
// to the loudest frame, the statistics) is decided per window as compute_emo decides it. The
// values then differ from compute_emo's by float rounding of the scaling only (test
// EmoStream.WindowVectorsEqualTheBatchVectors).
class EmoStream {
public:
    EmoStream();
    ~EmoStream();
    EmoStream(const EmoStream&) = delete;
    EmoStream& operator=(const EmoStream&) = delete;

    // The tables' status (the C2 extractor and the set's pitch tracker).
    const Status& status() const;

    // The emo values (out.values, in emo_names() order; out.names untouched) of samples[0..n_samples),
    // which start at sample `offset` of the stream (16 kHz samples since the stream's start).
    // Frames analysed by earlier calls at the same stream positions are reused; frames that end
    // before `offset` are forgotten. Contract: a stream position holds the same sample in every
    // call until reset(). Errors as compute_emo (empty, non-finite), and offset < 0.
    Status compute(const float* samples, std::size_t n_samples, std::int64_t offset, FeatureVector& out);

    // A new stream: forgets every analysed frame.
    void reset();

    // Frames the last compute() analysed (STFT and YIN), and frames of its trimmed part that
    // earlier calls had analysed.
    int n_analysed() const;
    int n_reused() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ser
