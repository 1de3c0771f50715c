// WAV reader of the core (RIFF/RIFX WAVE: PCM 8/16/24/32, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE).
// First stage (bytes -> Audio) on every target, WebAssembly included; float scaling as libsndfile/soundfile (int / 2^(bits-1)).
#pragma once
#include <cstddef>
#include <cstdint>

#include "ser/audio/decode.h"

namespace ser {

// True when the bytes start with "RIFF"/"RIFX" and carry the "WAVE" form type.
bool looks_like_wav(const std::uint8_t* data, std::size_t n_bytes);

// Result of decode_wav. `unsupported_codec` is set when the header is a valid WAVE header
// but the codec (ADPCM, mu-law, ...) is not one the core reads; native builds then hand the
// bytes to libsndfile instead of failing.
struct WavDecode {
    Result<Audio> audio;
    bool unsupported_codec = false;
};

// Parses a whole WAV file held in memory. Rules (docs/audio.md "WAV rules"):
// - chunks other than "fmt " and "data" are skipped; odd-sized chunks are followed by one pad byte;
// - the RIFF size field is not trusted (many writers get it wrong); chunk sizes are;
// - a data chunk that claims more bytes than the file holds is refused as truncated, except the
//   streaming convention 0xFFFFFFFF ("size unknown"), which means "up to the end of the file";
// - a partial last frame is dropped; zero complete frames is an error;
// - limits of audio.h (channels, rate, duration, total samples) are checked from the header
//   before any sample buffer is allocated; float NaN/Inf samples are refused.
WavDecode decode_wav(const std::uint8_t* data, std::size_t n_bytes);
// The same rules from the header alone, without reading or converting a sample: audio is an
// error or an empty Audio, unsupported_codec as decode_wav would set it.
WavDecode check_wav(const std::uint8_t* data, std::size_t n_bytes);

}  // namespace ser
