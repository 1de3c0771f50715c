// WAV reader of the core: RIFF/RIFX WAVE chunks and their 64-bit forms RF64 (EBU Tech 3306) and BW64
// (ITU-R BS.2088), PCM 8/16/24/32, IEEE float 32/64, extensible.
// First stage (bytes -> Audio); scaling int / 2^(bits-1) as libsndfile's normalised float read (soundfile, librosa.load).
#include "ser/audio/wav.h"

#include <cmath>
#include <cstring>
#include <string>

namespace ser {
namespace {

constexpr std::uint32_t kStreamingSize = 0xFFFFFFFFu;  // "size unknown" written by pipes/streams

struct Bytes {
    const std::uint8_t* p;
    bool big_endian;
    std::uint16_t u16(std::size_t off) const {
        return big_endian ? std::uint16_t(p[off] << 8 | p[off + 1]) : std::uint16_t(p[off] | p[off + 1] << 8);
    }
    std::uint32_t u32(std::size_t off) const {
        const std::uint32_t b0 = p[off], b1 = p[off + 1], b2 = p[off + 2], b3 = p[off + 3];
        return big_endian ? (b0 << 24 | b1 << 16 | b2 << 8 | b3) : (b3 << 24 | b2 << 16 | b1 << 8 | b0);
    }
};

Status wav_error(const std::string& text) { return Status::error("decode", "WAV: " + text); }

std::string tag_name(unsigned tag) {
    switch (tag) {
        case 0x0002: return "MS ADPCM";
        case 0x0006: return "A-law";
        case 0x0007: return "mu-law";
        case 0x0011: return "IMA ADPCM";
        case 0x0031: return "GSM 6.10";
        case 0x0055: return "MPEG layer 3";
        default: return "unknown";
    }
}

char hex_digit(unsigned v) { return "0123456789ABCDEF"[v & 15]; }
std::string hex4(unsigned v) {
    return std::string("0x") + hex_digit(v >> 12) + hex_digit(v >> 8) + hex_digit(v >> 4) + hex_digit(v);
}

}  // namespace

namespace {
// RF64 and BW64 keep RIFF's layout but write 0xFFFFFFFF in the 32-bit sizes that overflow and
// give the real ones in a 'ds64' chunk right after the header: RIFF size, data size, sample count
// (64-bit little-endian each), then a table for other large chunks.
bool is_64_bit_wav(const std::uint8_t* data) {
    return std::memcmp(data, "RF64", 4) == 0 || std::memcmp(data, "BW64", 4) == 0;
}
std::uint64_t u64_le(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
    return v;
}
}  // namespace

bool looks_like_wav(const std::uint8_t* data, std::size_t n_bytes) {
    if (data == nullptr || n_bytes < 12) return false;
    const bool riff = std::memcmp(data, "RIFF", 4) == 0 || std::memcmp(data, "RIFX", 4) == 0 || is_64_bit_wav(data);
    return riff && std::memcmp(data + 8, "WAVE", 4) == 0;
}

namespace {

// What the header says about the samples, once every rule of the header has passed.
struct WavLayout {
    bool big_endian = false;
    std::string container;        // "WAV ", "WAV (RIFX) ", "WAV (RF64) ", "WAV (BW64) "
    bool is_pcm = true;
    bool extensible = false;
    unsigned container_bits = 0;
    unsigned n_channels = 0;
    std::uint32_t rate = 0;
    std::uint64_t data_off = 0;
    std::uint64_t n_frames = 0;
};

// Where the chunks are. A data chunk longer than the file is reported after the header checks
// (truncated), so that a header claiming 2 hours is refused for its duration, the more useful message.
struct WavChunks {
    bool have_fmt = false, have_data = false, have_ds64 = false;
    std::uint64_t fmt_off = 0, fmt_size = 0, data_off = 0, data_size = 0;
    std::uint64_t ds64_data_size = 0;
    bool truncated = false;
    std::uint64_t declared_data = 0, available_data = 0;
};

// The data chunk's size: a 0xFFFFFFFF size means "see ds64" in RF64/BW64 and "to the end of the
// file" in a streamed RIFF.
void place_data_chunk(std::uint32_t size, std::uint64_t body, std::uint64_t available, bool wide, WavChunks& c) {
    if (wide && c.have_ds64 && size == kStreamingSize) {
        c.truncated = c.ds64_data_size > available;
        c.declared_data = c.ds64_data_size;
        c.available_data = available;
        c.data_size = c.ds64_data_size;
    } else if (size == kStreamingSize) {
        c.data_size = available;
    } else if (size > available) {
        c.truncated = true;
        c.declared_data = size;
        c.available_data = available;
        c.data_size = size;
    } else {
        c.data_size = size;
    }
    c.have_data = true;
    c.data_off = body;
}

// The chunk walk. 64-bit offsets: a 32-bit size plus an offset must not wrap.
Status find_chunks(const std::uint8_t* data, std::size_t n_bytes, const Bytes& b, bool wide, WavChunks& c) {
    std::uint64_t off = 12;
    while (off + 8 <= n_bytes) {
        const std::uint8_t* id = data + off;
        const std::uint32_t size = b.u32(std::size_t(off + 4));
        const std::uint64_t body = off + 8;
        const std::uint64_t available = n_bytes - body;
        if (wide && std::memcmp(id, "ds64", 4) == 0 && !c.have_ds64) {
            if (size < 24 || size > available)
                return wav_error("'ds64' chunk is " + std::to_string(size) + " bytes with " + std::to_string(available) +
                                 " remaining; expected at least 24 (RF64/BW64)");
            c.have_ds64 = true;
            c.ds64_data_size = u64_le(data + body + 8);
        } else if (std::memcmp(id, "fmt ", 4) == 0 && !c.have_fmt) {
            if (size > available)
                return wav_error("'fmt ' chunk says " + std::to_string(size) + " bytes but only " + std::to_string(available) +
                                 " remain; the file is truncated");
            c.have_fmt = true;
            c.fmt_off = body;
            c.fmt_size = size;
        } else if (std::memcmp(id, "data", 4) == 0 && !c.have_data) {
            place_data_chunk(size, body, available, wide, c);
        }
        if (c.have_fmt && c.have_data) break;  // trailing chunks (LIST, id3, junk) are not needed
        if (size == kStreamingSize) break;
        off = body + std::uint64_t(size) + (size & 1u);  // RIFF pads odd chunks
    }
    if (wide && !c.have_ds64)
        return wav_error(std::string("an ") + (std::memcmp(data, "RF64", 4) == 0 ? "RF64" : "BW64") +
                         " file without its 'ds64' chunk; expected 'ds64' right after the header");
    if (!c.have_fmt)
        return wav_error("no 'fmt ' chunk found in " + std::to_string(n_bytes) +
                         " bytes; expected one before the samples (truncated or not a WAV file)");
    if (!c.have_data)
        return wav_error("no 'data' chunk found in " + std::to_string(n_bytes) +
                         " bytes; expected one after 'fmt ' (the file may be truncated)");
    if (c.fmt_size < 16) return wav_error("'fmt ' chunk is " + std::to_string(c.fmt_size) + " bytes; expected at least 16");
    return Status::ok();
}

struct WavFormat {
    unsigned tag = 0, n_channels = 0, block_align = 0, container_bits = 0, valid_bits = 0;
    std::uint32_t rate = 0;
    bool extensible = false;
};

// The 'fmt ' fields. WAVE_FORMAT_EXTENSIBLE: cbSize 22, valid bits, channel mask, sub-format GUID
// whose first field is the real format tag and whose last 8 bytes are fixed.
WavDecode read_format(const std::uint8_t* data, const Bytes& b, const WavChunks& c, WavFormat& fmt) {
    WavDecode out;
    const std::size_t f = std::size_t(c.fmt_off);
    fmt.tag = b.u16(f);
    fmt.n_channels = b.u16(f + 2);
    fmt.rate = b.u32(f + 4);
    fmt.block_align = b.u16(f + 12);
    fmt.container_bits = b.u16(f + 14);
    fmt.valid_bits = fmt.container_bits;
    if (fmt.tag != 0xFFFE) return out;
    static const std::uint8_t kGuidTail[8] = {0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    if (c.fmt_size < 40) {
        out.audio = wav_error("extensible 'fmt ' chunk is " + std::to_string(c.fmt_size) + " bytes; expected at least 40");
        return out;
    }
    const std::uint32_t sub = b.u32(f + 24);
    if (std::memcmp(data + f + 32, kGuidTail, 8) != 0 || sub > 0xFFFF) {
        out.audio = wav_error("extensible sub-format GUID is not a KSDATAFORMAT_SUBTYPE_* GUID; expected PCM or IEEE float");
        out.unsupported_codec = true;
        return out;
    }
    fmt.tag = sub;
    fmt.extensible = true;
    fmt.valid_bits = b.u16(f + 18);
    if (fmt.valid_bits == 0) fmt.valid_bits = fmt.container_bits;  // 0 means "all bits valid" in practice
    return out;
}

// Channels, rate, codec, sample size and block align as the core reads them.
WavDecode check_format(const WavFormat& fmt) {
    WavDecode out;
    if (fmt.n_channels < 1 || fmt.n_channels > unsigned(kMaxChannels)) {
        out.audio = wav_error("header says " + std::to_string(fmt.n_channels) + " channels; expected 1 to " +
                              std::to_string(kMaxChannels));
        return out;
    }
    if (fmt.rate < std::uint32_t(kMinRateHz) || fmt.rate > std::uint32_t(kMaxRateHz)) {
        out.audio = wav_error("header says a sample rate of " + std::to_string(fmt.rate) + " Hz; expected " +
                              std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz");
        return out;
    }
    const bool is_pcm = fmt.tag == 1, is_float = fmt.tag == 3;
    if (!is_pcm && !is_float) {
        out.audio = wav_error("format tag " + hex4(fmt.tag) + " (" + tag_name(fmt.tag) +
                              ") is not read by the core; expected PCM (0x0001) or IEEE float (0x0003)");
        out.unsupported_codec = true;
        return out;
    }
    const unsigned bits = fmt.container_bits;
    const bool bits_ok = is_pcm ? (bits == 8 || bits == 16 || bits == 24 || bits == 32) : (bits == 32 || bits == 64);
    if (!bits_ok) {
        out.audio = wav_error(std::string(is_pcm ? "PCM" : "float") + " with " + std::to_string(bits) +
                              " bits per sample; expected " + (is_pcm ? "8, 16, 24 or 32" : "32 or 64"));
        return out;
    }
    if (fmt.valid_bits > bits) {
        out.audio = wav_error(std::to_string(fmt.valid_bits) + " valid bits in a " + std::to_string(bits) +
                              "-bit container; expected at most the container size");
        return out;
    }
    const unsigned sample_bytes = bits / 8, frame_bytes = sample_bytes * fmt.n_channels;
    if (fmt.block_align != frame_bytes)
        out.audio = wav_error("block align is " + std::to_string(fmt.block_align) + " bytes; expected " +
                              std::to_string(frame_bytes) + " (" + std::to_string(fmt.n_channels) + " channels x " +
                              std::to_string(sample_bytes) + " bytes)");
    return out;
}

// Limits from the header alone, before any allocation; then a data chunk cut short.
Status check_size(const WavChunks& c, const WavFormat& fmt, std::uint64_t& n_frames) {
    const unsigned frame_bytes = fmt.container_bits / 8 * fmt.n_channels;
    n_frames = c.data_size / frame_bytes;
    if (n_frames == 0)
        return wav_error("'data' chunk holds " + std::to_string(c.data_size) +
                         " bytes, 0 complete frames; expected at least one frame of " + std::to_string(frame_bytes) + " bytes");
    const double duration_s = double(n_frames) / fmt.rate;
    if (duration_s > kMaxDurationS)
        return wav_error("header says " + seconds_text(duration_s) + " s of audio; expected at most " +
                         std::to_string(int(kMaxDurationS)) + " s");
    if (n_frames * fmt.n_channels > kMaxDecodedSamples)
        return wav_error(std::to_string(n_frames * fmt.n_channels) + " samples in all channels; expected at most " +
                         std::to_string(kMaxDecodedSamples));
    if (c.truncated)
        return wav_error("'data' chunk says " + std::to_string(c.declared_data) + " bytes but only " +
                         std::to_string(c.available_data) + " remain; the file is truncated (expected the full chunk)");
    return Status::ok();
}

std::string container_name(const std::uint8_t* data, bool big_endian, bool wide) {
    if (big_endian) return "WAV (RIFX) ";
    if (wide) return std::memcmp(data, "RF64", 4) == 0 ? "WAV (RF64) " : "WAV (BW64) ";
    return "WAV ";
}

// Chunks, format and limits, from the header alone (no sample is read, nothing large allocated).
// out.audio is an error, or an empty Audio when the layout is filled.
WavDecode read_layout(const std::uint8_t* data, std::size_t n_bytes, WavLayout& layout) {
    WavDecode out;
    if (!looks_like_wav(data, n_bytes)) {
        out.audio = wav_error("no RIFF/RIFX/RF64/BW64 'WAVE' header in the first 12 bytes (" + std::to_string(n_bytes) +
                              " bytes in all); expected a WAV file");
        return out;
    }
    const Bytes b{data, std::memcmp(data, "RIFX", 4) == 0};
    const bool wide = is_64_bit_wav(data);
    WavChunks chunks;
    Status st = find_chunks(data, n_bytes, b, wide, chunks);
    if (!st) return WavDecode{st, false};
    WavFormat fmt;
    out = read_format(data, b, chunks, fmt);
    if (!out.audio) return out;
    out = check_format(fmt);
    if (!out.audio) return out;
    std::uint64_t n_frames = 0;
    st = check_size(chunks, fmt, n_frames);
    if (!st) return WavDecode{st, false};

    layout.big_endian = b.big_endian;
    layout.container = container_name(data, b.big_endian, wide);
    layout.is_pcm = fmt.tag == 1;
    layout.extensible = fmt.extensible;
    layout.container_bits = fmt.container_bits;
    layout.n_channels = fmt.n_channels;
    layout.rate = fmt.rate;
    layout.data_off = chunks.data_off;
    layout.n_frames = n_frames;
    out.audio = Audio{};
    return out;
}

}  // namespace

WavDecode check_wav(const std::uint8_t* data, std::size_t n_bytes) {
    WavLayout layout;
    return read_layout(data, n_bytes, layout);
}

WavDecode decode_wav(const std::uint8_t* data, std::size_t n_bytes) {
    WavLayout L;
    WavDecode out = read_layout(data, n_bytes, L);
    if (!out.audio.is_ok()) return out;
    const Bytes b{data, L.big_endian};
    const bool is_pcm = L.is_pcm;
    const unsigned container_bits = L.container_bits, n_channels = L.n_channels;
    Audio a;
    a.rate_hz = a.source_rate_hz = int(L.rate);
    a.channels = a.source_channels = int(n_channels);
    a.format = L.container + (is_pcm ? "PCM " : "float ") + std::to_string(container_bits) + "-bit" +
               (L.extensible ? " (extensible)" : "");
    const std::size_t n = std::size_t(L.n_frames) * n_channels;
    a.samples.resize(n);
    const std::uint8_t* s = data + L.data_off;
    float* y = a.samples.data();
    if (is_pcm) {
        // Integer PCM to float exactly as libsndfile's normalised read: v / 2^(bits-1), 8-bit
        // being unsigned with 128 as zero. Computed in double, so 32-bit rounds once.
        const Bytes d{s, b.big_endian};
        switch (container_bits) {
            case 8:
                for (std::size_t i = 0; i < n; ++i) y[i] = float((int(s[i]) - 128) / 128.0);
                break;
            case 16:
                for (std::size_t i = 0; i < n; ++i) y[i] = float(std::int16_t(d.u16(2 * i)) / 32768.0);
                break;
            case 24:
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint8_t* p = s + 3 * i;
                    const std::uint32_t u = d.big_endian ? (std::uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8)
                                                         : (std::uint32_t(p[2]) << 24 | p[1] << 16 | p[0] << 8);
                    y[i] = float(std::int32_t(u) / 2147483648.0);
                }
                break;
            default:
                for (std::size_t i = 0; i < n; ++i) y[i] = float(std::int32_t(d.u32(4 * i)) / 2147483648.0);
                break;
        }
    } else {
        const Bytes d{s, b.big_endian};
        for (std::size_t i = 0; i < n; ++i) {
            float v;
            if (container_bits == 32) {
                const std::uint32_t u = d.u32(4 * i);
                std::memcpy(&v, &u, 4);
            } else {
                const std::uint64_t hi = d.u32(8 * i + (b.big_endian ? 0 : 4));
                const std::uint64_t lo = d.u32(8 * i + (b.big_endian ? 4 : 0));
                const std::uint64_t u = hi << 32 | lo;
                double dv;
                std::memcpy(&dv, &u, 8);
                v = float(dv);
            }
            if (!std::isfinite(v) || std::fabs(v) > kMaxAbsSample) {
                out.audio = wav_error("sample " + std::to_string(i / n_channels) + " of channel " +
                                      std::to_string(i % n_channels) + " is " +
                                      (std::isnan(v) ? std::string("NaN") : std::isinf(v) ? std::string("infinite") : std::to_string(v)) +
                                      "; expected finite values within +-" + std::to_string(int(kMaxAbsSample)));
                return out;
            }
            y[i] = v;
        }
    }
    out.audio = std::move(a);
    return out;
}

}  // namespace ser
