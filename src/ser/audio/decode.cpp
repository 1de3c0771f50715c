// Audio in: bytes or a file -> float samples (own WAV reader; libsndfile natively for the rest) -> mono.
// First stage of the data flow; matches librosa.load(sr=None, mono=True) sample for sample (reference/signals).
#include "ser/audio/decode.h"
#include "ser/audio/resample.h"

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

#include "ser/audio/wav.h"

#ifdef SER_HAVE_SNDFILE
#include <sndfile.h>
#endif

namespace ser {
namespace {

std::string describe_sample(float v) {
    return std::isnan(v) ? "NaN" : std::isinf(v) ? "infinite" : std::to_string(v);
}

std::string rate_range() {
    return std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz";
}

#ifdef SER_HAVE_SNDFILE
// libsndfile virtual I/O over a read-only byte buffer, so that files and browser-style byte
// buffers go through the same decoder.
struct MemoryFile {
    const std::uint8_t* data;
    sf_count_t size;
    sf_count_t pos;
};
sf_count_t vio_length(void* user) { return static_cast<MemoryFile*>(user)->size; }
sf_count_t vio_seek(sf_count_t offset, int whence, void* user) {
    auto* m = static_cast<MemoryFile*>(user);
    sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
    sf_count_t p = base + offset;
    if (p < 0) p = 0;
    if (p > m->size) p = m->size;
    m->pos = p;
    return p;
}
sf_count_t vio_read(void* ptr, sf_count_t count, void* user) {
    auto* m = static_cast<MemoryFile*>(user);
    if (count <= 0) return 0;
    const sf_count_t n = count < m->size - m->pos ? count : m->size - m->pos;
    std::memcpy(ptr, m->data + m->pos, std::size_t(n));
    m->pos += n;
    return n;
}
sf_count_t vio_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t vio_tell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

std::string major_name(int format) {
    switch (format & SF_FORMAT_TYPEMASK) {
        case SF_FORMAT_WAV: return "WAV";
        case SF_FORMAT_WAVEX: return "WAV";
        case SF_FORMAT_RF64: return "RF64";
        case SF_FORMAT_AIFF: return "AIFF";
        case SF_FORMAT_AU: return "AU";
        case SF_FORMAT_FLAC: return "FLAC";
        case SF_FORMAT_OGG: return "OGG";
        case SF_FORMAT_MPEG: return "MPEG";
        case SF_FORMAT_CAF: return "CAF";
        case SF_FORMAT_W64: return "W64";
        default: return "libsndfile type 0x" + std::to_string((format & SF_FORMAT_TYPEMASK) >> 16);
    }
}

// Sub-formats stored as integers: read them as int32 (left-justified by libsndfile) and scale
// by 2^-31 ourselves, so 24-bit FLAC gives exactly int24 / 2^23 as soundfile does (reference/README.md 2).
bool integer_subformat(int format, std::string& name) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8: name = "8-bit"; return true;
        case SF_FORMAT_PCM_U8: name = "8-bit unsigned"; return true;
        case SF_FORMAT_PCM_16: name = "16-bit"; return true;
        case SF_FORMAT_PCM_24: name = "24-bit"; return true;
        case SF_FORMAT_PCM_32: name = "32-bit"; return true;
        case SF_FORMAT_FLOAT: name = "float 32-bit"; return false;
        case SF_FORMAT_DOUBLE: name = "float 64-bit"; return false;
        case SF_FORMAT_VORBIS: name = "Vorbis"; return false;
        case SF_FORMAT_OPUS: name = "Opus"; return false;
        case SF_FORMAT_MPEG_LAYER_I: name = "layer I"; return false;
        case SF_FORMAT_MPEG_LAYER_II: name = "layer II"; return false;
        case SF_FORMAT_MPEG_LAYER_III: name = "MP3"; return false;
        case SF_FORMAT_ULAW: name = "mu-law"; return false;
        case SF_FORMAT_ALAW: name = "A-law"; return false;
        default: name = "codec 0x" + std::to_string(format & SF_FORMAT_SUBMASK); return false;
    }
}

// libsndfile reports a failed open through a global error code (sf_error(NULL)); the batch
// extractor decodes on several threads, so open + read of that code are serialised.
Result<SNDFILE*> open_sndfile(const std::uint8_t* data, std::size_t n_bytes, MemoryFile& mem, SF_VIRTUAL_IO& vio,
                              SF_INFO& info) {
    std::memset(&info, 0, sizeof info);
    static std::mutex open_mutex;
    std::unique_lock<std::mutex> open_lock(open_mutex);
    SNDFILE* file = sf_open_virtual(&vio, SFM_READ, &info, &mem);
    const std::string open_error = file == nullptr ? sf_error_number(sf_error(nullptr)) : "";
    open_lock.unlock();
    if (file != nullptr) return file;
    char head[5] = {0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < 4 && i < n_bytes; ++i) head[i] = (data[i] >= 32 && data[i] < 127) ? char(data[i]) : '?';
    return Status::error("decode", "unknown or damaged audio data (" + std::to_string(n_bytes) + " bytes starting with \"" +
                                       head + "\"; libsndfile: " + open_error +
                                       "); expected WAV, FLAC, OGG/Vorbis, Opus, MP3 or AIFF");
}

// Channels, rate and length from the header, before reading; limit = the most frames read.
Status check_sndfile_header(const SF_INFO& info, sf_count_t& limit) {
    if (info.channels < 1 || info.channels > kMaxChannels)
        return Status::error("decode", "stream has " + std::to_string(info.channels) + " channels; expected 1 to " +
                                           std::to_string(kMaxChannels));
    if (info.samplerate < kMinRateHz || info.samplerate > kMaxRateHz)
        return Status::error("decode", "stream has a sample rate of " + std::to_string(info.samplerate) +
                                           " Hz; expected " + rate_range());
    // Reading is bounded as well, because some streams (MP3 without a Xing header) only estimate the count.
    const sf_count_t max_frames = sf_count_t(kMaxDurationS * info.samplerate);
    const sf_count_t max_frames_total = sf_count_t(kMaxDecodedSamples / std::size_t(info.channels));
    limit = max_frames < max_frames_total ? max_frames : max_frames_total;
    if (info.frames > limit && info.frames != SF_COUNT_MAX)
        return Status::error("decode", "header says " + seconds_text(double(info.frames) / info.samplerate) +
                                           " s of audio (" + std::to_string(info.channels) + " channels); expected at most " +
                                           std::to_string(int(kMaxDurationS)) + " s and " +
                                           std::to_string(kMaxDecodedSamples) + " samples");
    return Status::ok();
}

// Appends n float samples, refusing NaN, infinities and absurd magnitudes.
Status append_float_samples(const float* v, std::size_t n, std::size_t ch, std::vector<float>& out) {
    const std::size_t base = out.size();
    out.resize(base + n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(v[i]) || std::fabs(v[i]) > kMaxAbsSample)
            return Status::error("decode", "sample " + std::to_string((base + i) / ch) + " of channel " +
                                               std::to_string((base + i) % ch) + " is " + describe_sample(v[i]) +
                                               "; expected finite values within +-" + std::to_string(int(kMaxAbsSample)));
        out[base + i] = v[i];
    }
    return Status::ok();
}

// Blocks of 4096 frames, integers scaled by 2^-31 as libsndfile's normalised float read; total = frames read.
Status read_sndfile_samples(SNDFILE* file, const SF_INFO& info, bool as_int, sf_count_t limit, Audio& a, sf_count_t& total) {
    const std::size_t ch = std::size_t(info.channels);
    if (info.frames > 0 && info.frames <= limit) a.samples.reserve(std::size_t(info.frames) * ch);
    constexpr sf_count_t kBlock = 4096;
    std::vector<int> ibuf(as_int ? std::size_t(kBlock) * ch : 0);
    std::vector<float> fbuf(as_int ? 0 : std::size_t(kBlock) * ch);
    total = 0;
    for (;;) {
        const sf_count_t got = as_int ? sf_readf_int(file, ibuf.data(), kBlock) : sf_readf_float(file, fbuf.data(), kBlock);
        if (got <= 0) return Status::ok();
        total += got;
        if (total > limit)
            return Status::error("decode", "stream holds more than " + seconds_text(double(limit) / info.samplerate) +
                                               " s of audio; expected at most " + std::to_string(int(kMaxDurationS)) + " s");
        const std::size_t n = std::size_t(got) * ch;
        if (!as_int) {
            if (Status st = append_float_samples(fbuf.data(), n, ch, a.samples); !st) return st;
            continue;
        }
        const std::size_t base = a.samples.size();
        a.samples.resize(base + n);
        for (std::size_t i = 0; i < n; ++i) a.samples[base + i] = float(ibuf[i] / 2147483648.0);
    }
}

// A damaged stream, an empty one, or (same rule as the WAV reader) fewer frames than the header
// promised: a truncated file is refused, not padded. MPEG frame counts are estimates, so MP3 is exempt.
Status check_sndfile_end(SNDFILE* file, const SF_INFO& info, const std::string& format, sf_count_t total) {
    if (sf_error(file) != SF_ERR_NO_ERROR)
        return Status::error("decode", format + " stream damaged or truncated after " + std::to_string(total) +
                                           " frames (libsndfile: " + sf_strerror(file) + "); expected a complete stream");
    if (total == 0) return Status::error("decode", format + " stream holds 0 frames; expected at least one");
    if ((info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG && info.frames > 0 && info.frames != SF_COUNT_MAX &&
        total < info.frames)
        return Status::error("decode", format + " stream ended after " + std::to_string(total) + " of the " +
                                           std::to_string(info.frames) + " frames its header announces; the file is truncated");
    return Status::ok();
}

Result<Audio> decode_sndfile(const std::uint8_t* data, std::size_t n_bytes) {
    MemoryFile mem{data, sf_count_t(n_bytes), 0};
    SF_VIRTUAL_IO vio{vio_length, vio_seek, vio_read, vio_write, vio_tell};
    SF_INFO info;
    Result<SNDFILE*> file = open_sndfile(data, n_bytes, mem, vio, info);
    if (!file) return file.status;
    struct Closer {
        SNDFILE* f;
        ~Closer() { sf_close(f); }
    } closer{file.value};
    sf_count_t limit = 0, total = 0;
    if (Status st = check_sndfile_header(info, limit); !st) return st;
    std::string sub;
    const bool as_int = integer_subformat(info.format, sub);
    Audio a;
    a.rate_hz = a.source_rate_hz = info.samplerate;
    a.channels = a.source_channels = info.channels;
    a.format = major_name(info.format) + " " + sub;
    if (Status st = read_sndfile_samples(file.value, info, as_int, limit, a, total); !st) return st;
    if (Status st = check_sndfile_end(file.value, info, a.format, total); !st) return st;
    return a;
}
#endif

}  // namespace

std::string seconds_text(double s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    std::string t = buf;
    while (t.size() > 1 && t.back() == '0' && t[t.size() - 2] != '.') t.pop_back();
    return t;
}

Result<Audio> decode_audio(const std::uint8_t* data, std::size_t n_bytes) {
    if (data == nullptr || n_bytes == 0)
        return Status::error("decode", "file is 0 bytes; expected a WAV/FLAC/OGG/MP3 stream");
    if (looks_like_wav(data, n_bytes)) {
        WavDecode w = decode_wav(data, n_bytes);
#ifdef SER_HAVE_SNDFILE
        // Codecs the core does not read itself (ADPCM, mu-law, ...) go to libsndfile.
        if (!w.audio.is_ok() && w.unsupported_codec) return decode_sndfile(data, n_bytes);
#endif
        return std::move(w.audio);
    }
#ifdef SER_HAVE_SNDFILE
    return decode_sndfile(data, n_bytes);
#else
    return Status::error("decode", "data is not a RIFF/WAVE file (" + std::to_string(n_bytes) +
                                       " bytes); this build reads WAV only (no libsndfile), expected WAV PCM or float");
#endif
}

bool decoder_reads(const std::uint8_t* data, std::size_t n_bytes) {
#ifdef SER_HAVE_SNDFILE
    return data != nullptr && n_bytes > 0;
#else
    // A WAV file is the core's unless its codec is one the reader leaves to others (mu-law,
    // ADPCM...); a damaged WAV stays the core's, so its message is the core's. The header says
    // which: the samples are decoded once, by the analysis.
    return looks_like_wav(data, n_bytes) && !check_wav(data, n_bytes).unsupported_codec;
#endif
}

Result<std::vector<std::uint8_t>> read_file_bytes(const std::string& path, std::size_t max_bytes) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
        return Status::error("decode", "cannot open '" + path + "': " + std::strerror(errno) +
                                           "; expected a readable file");
    struct Closer {
        std::FILE* f;
        ~Closer() { std::fclose(f); }
    } closer{f};
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> buf(1 << 16);
    for (;;) {
        const std::size_t got = std::fread(buf.data(), 1, buf.size(), f);
        if (got == 0) break;
        if (bytes.size() + got > max_bytes)
            return Status::error("decode", "'" + path + "' is larger than " + std::to_string(max_bytes) +
                                               " bytes; expected at most that");
        bytes.insert(bytes.end(), buf.begin(), buf.begin() + std::ptrdiff_t(got));
    }
    if (std::ferror(f)) return Status::error("decode", "read error on '" + path + "'; expected a readable file");
    return bytes;
}

Result<Audio> decode_audio_file(const std::string& path) {
    Result<std::vector<std::uint8_t>> bytes = read_file_bytes(path);
    if (!bytes.is_ok()) return bytes.status;
    Result<Audio> r = decode_audio(bytes.value.data(), bytes.value.size());
    if (!r.is_ok()) r.status.message += " [" + path + "]";
    return r;
}

Audio downmix_to_mono(const Audio& in) {
    Audio out;
    out.rate_hz = in.rate_hz;
    out.channels = 1;
    out.format = in.format;
    out.source_rate_hz = in.source_rate_hz;
    out.source_channels = in.source_channels;
    if (in.channels <= 1) {
        out.samples = in.samples;
        return out;
    }
    // librosa.to_mono = np.mean(y, axis=0) on float32: sum in float32 over channels, then divide.
    const std::size_t ch = std::size_t(in.channels);
    const std::size_t n = in.n_frames();
    out.samples.resize(n);
    const float denom = float(ch);
    for (std::size_t t = 0; t < n; ++t) {
        const float* x = &in.samples[t * ch];
        float acc = x[0];
        for (std::size_t c = 1; c < ch; ++c) acc += x[c];
        out.samples[t] = acc / denom;
    }
    return out;
}

Status validate_pcm(const float* samples, std::size_t n_samples, int rate_hz) {
    if (rate_hz < kMinRateHz || rate_hz > kMaxRateHz)
        return Status::error("audio", "sample rate " + std::to_string(rate_hz) + " Hz; expected " + rate_range());
    if (n_samples == 0 || samples == nullptr)
        return Status::error("audio", "0 samples; expected at least one");
    const double duration_s = double(n_samples) / rate_hz;
    if (duration_s > kMaxDurationS || n_samples > kMaxDecodedSamples)
        return Status::error("audio", seconds_text(duration_s) + " s of audio; expected at most " +
                                          std::to_string(int(kMaxDurationS)) + " s");
    for (std::size_t i = 0; i < n_samples; ++i) {
        if (!std::isfinite(samples[i]) || std::fabs(samples[i]) > kMaxAbsSample)
            return Status::error("audio", "sample " + std::to_string(i) + " is " + describe_sample(samples[i]) +
                                              "; expected finite values within +-" + std::to_string(int(kMaxAbsSample)));
    }
    return Status::ok();
}

Result<Audio> audio_from_planar(const float* planar, std::size_t n_frames, int channels, int rate_hz,
                                const std::string& format) {
    if (channels < 1 || channels > kMaxChannels)
        return Status::error("audio", "the decoder gave " + std::to_string(channels) + " channels; expected 1 to " +
                                          std::to_string(kMaxChannels));
    if (n_frames == 0 || planar == nullptr)
        return Status::error("decode", "the file holds no audio samples; expected at least one");
    if (rate_hz >= kMinRateHz && rate_hz <= kMaxRateHz && double(n_frames) / rate_hz > kMaxDurationS)
        return Status::error("audio", seconds_text(double(n_frames) / rate_hz) + " s of audio; expected at most " +
                                          std::to_string(int(kMaxDurationS)) + " s");
    Audio audio;
    audio.rate_hz = audio.source_rate_hz = rate_hz;
    audio.channels = audio.source_channels = channels;
    audio.format = format;
    audio.samples.resize(n_frames * std::size_t(channels));
    for (int ch = 0; ch < channels; ++ch)
        for (std::size_t i = 0; i < n_frames; ++i)
            audio.samples[i * channels + ch] = planar[std::size_t(ch) * n_frames + i];
    if (Status st = validate_pcm(audio.samples.data(), audio.samples.size(), rate_hz); !st) return st;
    return audio;
}

Result<Audio> to_mono_16k(Audio decoded) {
    Audio mono = decoded.channels == 1 ? std::move(decoded) : downmix_to_mono(decoded);
    decoded.samples.clear();
    decoded.samples.shrink_to_fit();
    if (mono.rate_hz != kTargetRateHz) {
        Result<std::vector<float>> r = resample(mono.samples.data(), mono.samples.size(), mono.rate_hz, kTargetRateHz);
        if (!r.is_ok()) return r.status;
        mono.samples = std::move(r.value);
        mono.rate_hz = kTargetRateHz;
    }
    return mono;
}

Result<Audio> load_audio_16k(const std::uint8_t* data, std::size_t n_bytes) {
    Result<Audio> decoded = decode_audio(data, n_bytes);
    if (!decoded) return decoded.status;
    return to_mono_16k(std::move(decoded.value));
}

Result<Audio> load_audio_16k_file(const std::string& path) {
    Result<Audio> decoded = decode_audio_file(path);
    if (!decoded) return decoded.status;
    return to_mono_16k(std::move(decoded.value));
}

}  // namespace ser
