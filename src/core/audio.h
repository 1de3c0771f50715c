// Audio in: decode bytes or a file to float samples, downmix to mono, resample to 16 kHz.
// First stage of the data flow (bytes -> Audio -> features); matches librosa.load(sr=16000, mono=True).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace ser {

constexpr int kTargetRateHz = 16000;
// Longest input accepted, so that a huge file gives a message instead of an unbounded
// allocation: 10 minutes (an utterance is seconds long; a 2-hour file is refused).
constexpr double kMaxDurationS = 600.0;
constexpr int kMinRateHz = 8000;
constexpr int kMaxRateHz = 192000;
constexpr int kMaxChannels = 64;
// Bound on the interleaved sample count of one decode (all channels), 2^28 floats = 1 GiB:
// the other limits alone would allow 600 s x 192 kHz x 64 channels (29 GiB).
constexpr std::size_t kMaxDecodedSamples = std::size_t(1) << 28;
// Float samples beyond +-kMaxAbsSample (60 dB above full scale) are corrupt data, not audio:
// refused like NaN/Inf, so that nothing downstream overflows (|X|^2 of 1e20 is inf in float).
constexpr float kMaxAbsSample = 1000.0f;
// Largest file decode_audio_file reads into memory (1 GiB); bigger files are refused unread.
constexpr std::size_t kMaxInputBytes = std::size_t(1) << 30;

// Decoded audio. samples are interleaved when channels > 1.
struct Audio {
    std::vector<float> samples;
    int rate_hz = 0;
    int channels = 0;
    // What the source said about itself, reported by `ser info`.
    std::string format;      // e.g. "WAV PCM 16-bit", "FLAC 24-bit"
    int source_rate_hz = 0;
    int source_channels = 0;

    std::size_t n_frames() const { return channels > 0 ? samples.size() / channels : 0; }
    double duration_s() const { return rate_hz > 0 ? double(n_frames()) / rate_hz : 0.0; }
};

// A duration for messages: "7200.0", "0.25" (at most 3 decimals, trailing zeros kept to one).
std::string seconds_text(double s);

// Decode a whole file held in memory (browser drops are bytes). WAV (PCM 8/16/24/32,
// float 32/64, WAVE_FORMAT_EXTENSIBLE) is read by the core itself on every target;
// natively, FLAC/OGG/Opus/MP3 and other formats go through libsndfile.
// Refuses: empty/truncated/unknown data, 0 or > kMaxChannels channels, rates outside
// [kMinRateHz, kMaxRateHz], durations over kMaxDurationS, NaN/Inf samples and float
// samples beyond +-kMaxAbsSample.
Result<Audio> decode_audio(const std::uint8_t* data, std::size_t n_bytes);
Result<Audio> decode_audio_file(const std::string& path);

// Whole file into memory, refusing files over max_bytes before reading them all
// (shared by decode_audio_file, the batch feature cache and `ser info`).
Result<std::vector<std::uint8_t>> read_file_bytes(const std::string& path, std::size_t max_bytes = kMaxInputBytes);

// Mean of the channels (librosa.to_mono). Returns a 1-channel Audio.
Audio downmix_to_mono(const Audio& in);

// Check that float samples coming from outside the decoders (microphone, Web Audio's
// decodeAudioData) are usable: finite, within +-kMaxAbsSample, rate in range, duration within the limit.
Status validate_pcm(const float* samples, std::size_t n_samples, int rate_hz);

// The one resampler of the project (libsoxr HQ, pass band to 0.89 of Nyquist, built from its
// Debian source with the same plain-C paths for native and WebAssembly; docs/audio.md). Identity when in_rate_hz == out_rate_hz.
// Output length is ceil(n * out/in), as librosa.resample (fix_length to that size);
// output sample k is time-aligned with input time k/out_rate_hz (no filter delay).
// Errors: either rate outside [kMinRateHz, kMaxRateHz]. Empty input gives empty output.
Result<std::vector<float>> resample(const float* samples, std::size_t n_samples, int in_rate_hz,
                                    int out_rate_hz = kTargetRateHz);

// decode -> mono -> 16 kHz in one call; source rate/channels/format are kept in the result.
Result<Audio> load_audio_16k(const std::uint8_t* data, std::size_t n_bytes);
Result<Audio> load_audio_16k_file(const std::string& path);

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
