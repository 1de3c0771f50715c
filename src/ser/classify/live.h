// Live analysis of a capture stream: chunks at the device rate -> 16 kHz -> level meter, spectrum
// columns, smoothed sliding-window probabilities. Beside pipeline.h, for the app's recording path.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/audio/levels.h"
#include "ser/classify/classifier.h"
#include "ser/base/status.h"

namespace ser {

// Parameters of the live analysis. Windows follow Classifier::timeline (kWindowS every
// kWindowHopS), so that a live reading and a timeline point mean the same thing.
struct LiveConfig {
    double window_s = kWindowS;        // analysis window (the last window_s of audio)
    double hop_s = kWindowHopS;        // one classification every hop_s of audio
    double min_window_s = 1.0;         // first classification once this much audio is in
    // Exponential smoothing of successive window probabilities (a first-order low-pass):
    // p <- (1 - a) p + a p_new with a = 1 - exp(-hop_s / smoothing_tau_s). tau = 1 s keeps
    // the bars steady at two updates a second while following a change within ~2 s.
    double smoothing_tau_s = 1.0;
    int spectrum_n_fft = 512;          // live spectrogram: periodic Hann, 32 ms at 16 kHz
    int spectrum_hop = 256;            // one column every 16 ms
    double level_block_s = 0.05;       // level meter integration time
    double max_duration_s = kMaxDurationS;  // audio kept for the whole-utterance result

    // Ranges: 0.1 <= window_s <= 30, 0.05 <= hop_s <= window_s, 0 < min_window_s <= window_s,
    // smoothing_tau_s >= 0 (0 = no smoothing), spectrum_n_fft power of two in [64, 4096],
    // 1 <= spectrum_hop <= spectrum_n_fft, 0.005 <= level_block_s <= 1, max_duration_s > 0.
    Status validate() const;
    // Values per live spectrum column (spectrum_n_fft / 2 + 1 bins).
    int n_spectrum_bins() const { return spectrum_n_fft / 2 + 1; }
};

// One step of the smoothing above: prev is updated in place; an empty prev takes next as is.
void smooth_probabilities(std::vector<float>& prev, const std::vector<float>& next, float alpha);

// What a front end shows of a take, as one value: LiveAnalyser::reading() after a push, or the
// same from a Web Worker that runs the analyser (live_reading_json / parse_live_reading carry it).
struct LiveReading {
    double duration_s = 0.0;
    float level_rms_db = kSilenceDb;
    float level_peak_db = kSilenceDb;
    int n_updates = 0;
    std::vector<float> probabilities;        // smoothed, model class order; empty before the first
    bool silent = false;
    bool calibrated = false;
    // LiveAnalyser::timeline from point `timeline_from` on (a front end appends them to what it has,
    // so that a reading does not copy the whole take's timeline at every chunk).
    std::size_t timeline_from = 0;
    std::vector<TimelinePoint> timeline;
    double busy_ms = 0.0;                    // time spent in push() during the take
};
std::string live_reading_json(const LiveReading& reading);
// Refuses text that is not such a reading (module "live", what was found and expected).
Result<LiveReading> parse_live_reading(const std::uint8_t* data, std::size_t n_bytes);

// Stream analyser. Holds a non-owning pointer to the Classifier (which must outlive it or be
// replaced with set_classifier). Not thread-safe; push() from one thread.
class LiveAnalyser {
public:
    explicit LiveAnalyser(Classifier* classifier = nullptr, LiveConfig config = {});
    ~LiveAnalyser();
    LiveAnalyser(const LiveAnalyser&) = delete;
    LiveAnalyser& operator=(const LiveAnalyser&) = delete;

    // Starts a new take at the capture rate ([kMinRateHz, kMaxRateHz]); forgets the last one.
    Status start(int input_rate_hz);
    // Another model: the smoothing restarts, the audio is kept.
    void set_classifier(Classifier* classifier);
    // The speaker's profile for the next windows (null = the plain network), as
    // AnalysisOptions::profile for files; the smoothing restarts when it changes.
    void set_profile(std::shared_ptr<const SpeakerProfile> profile);

    // A chunk of mono samples at the capture rate (finite). Resamples, updates the level,
    // appends spectrum columns and, each time hop_s more audio has arrived, classifies the
    // window_s that end at that point of the take (min_window_s, then every hop_s: the same
    // stream positions whatever the chunk sizes); one classification per push at most, of the
    // newest such window: a late, large chunk does not queue work. With a model of the emo set
    // each frame of the take is analysed once (EmoStream) and only the window's statistics are
    // computed per update. A silent window leaves the probabilities as they were (window_silent() true).
    // Audio beyond max_duration_s is analysed live but not kept (truncated() true).
    Status push(const float* samples, std::size_t n_samples);

    bool started() const;
    double duration_s() const;                       // 16 kHz audio received so far
    const std::vector<float>& recording() const;     // kept 16 kHz mono samples
    bool truncated() const;
    float level_rms_db() const;                      // last level block
    float level_peak_db() const;
    // Spectrum columns (spectrum_n_fft/2+1 values in dBFS each, a full-scale sine at a bin
    // centre reads 0 dB) produced since the last take_spectrum_columns(), oldest first.
    int n_spectrum_bins() const;
    std::vector<std::vector<float>> take_spectrum_columns();
    // Smoothed and last raw window probabilities (model class order); empty before the first.
    const std::vector<float>& probabilities() const;
    const std::vector<float>& raw_probabilities() const;
    int n_updates() const;
    // Every window classified in this take, oldest first: its span in the take (seconds from the
    // start, as recording() holds it) and its raw probabilities, empty for a silent window, as
    // Classifier::timeline gives them; the app's timeline grows from it while recording.
    const std::vector<TimelinePoint>& timeline() const;
    // All of the above as one value (busy_ms: time inside push() since start()), with the timeline
    // points from index timeline_from on.
    LiveReading reading(std::size_t timeline_from = 0) const;
    // Whether the last reading went through the speaker's profile (Classification::calibrated).
    bool calibrated() const;
    bool window_silent() const;
    // The last classification error other than silence (ok when none).
    const Status& last_error() const;

private:
    Status push_timed(const float* samples, std::size_t n_samples);
    struct Impl;
    Impl* impl_;
};

}  // namespace ser
