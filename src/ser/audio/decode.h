// Audio in: decode bytes or a file to float samples, downmix to mono, resample to 16 kHz.
// First stage of the data flow (bytes -> Audio -> features); matches librosa.load(sr=16000, mono=True).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ser/base/status.h"

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
// Whether decode_audio reads these bytes in this build: everything natively (libsndfile decodes
// what the WAV reader does not, or refuses it in its own words), and WAV with PCM or float samples
// (RIFF, RIFX, RF64, BW64) in WebAssembly. A host with a decoder of its own (the browser) decodes
// the rest and hands the PCM to audio_from_planar, so that the page and `ser` take the same files.
bool decoder_reads(const std::uint8_t* data, std::size_t n_bytes);
Result<Audio> decode_audio_file(const std::string& path);

// Whole file into memory, refusing files over max_bytes before reading them all
// (shared by decode_audio_file, the batch feature cache and `ser info`).
Result<std::vector<std::uint8_t>> read_file_bytes(const std::string& path, std::size_t max_bytes = kMaxInputBytes);

// Mean of the channels (librosa.to_mono). Returns a 1-channel Audio.
Audio downmix_to_mono(const Audio& in);

// Check that float samples coming from outside the decoders (microphone, Web Audio's
// decodeAudioData) are usable: finite, within +-kMaxAbsSample, rate in range, duration within the limit.
Status validate_pcm(const float* samples, std::size_t n_samples, int rate_hz);

// Planar float PCM decoded outside the core (Web Audio's decodeAudioData), channel after channel,
// -> interleaved Audio, validated like decoded input (validate_pcm; 1..kMaxChannels channels).
Result<Audio> audio_from_planar(const float* planar, std::size_t n_frames, int channels, int rate_hz,
                                const std::string& format);

// mono -> 16 kHz of decoded audio (downmix_to_mono, then resample; source fields kept).
Result<Audio> to_mono_16k(Audio decoded);

// decode -> mono -> 16 kHz in one call; source rate/channels/format are kept in the result.
Result<Audio> load_audio_16k(const std::uint8_t* data, std::size_t n_bytes);
Result<Audio> load_audio_16k_file(const std::string& path);

}  // namespace ser
