// Native formats through libsndfile: a test tone written by libsndfile itself (into memory, via
// virtual I/O) as FLAC, AIFF, OGG/Vorbis, Opus and MP3 must decode to the tone (lossless: exact).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "ser/audio/decode.h"

#ifdef SER_HAVE_SNDFILE
#include <sndfile.h>

namespace {

struct Sink {
    std::vector<std::uint8_t> bytes;
    sf_count_t pos = 0;
};
sf_count_t s_len(void* u) { return sf_count_t(static_cast<Sink*>(u)->bytes.size()); }
sf_count_t s_seek(sf_count_t off, int whence, void* u) {
    auto* s = static_cast<Sink*>(u);
    const sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? s->pos : sf_count_t(s->bytes.size());
    s->pos = std::max<sf_count_t>(0, base + off);
    return s->pos;
}
sf_count_t s_read(void* p, sf_count_t n, void* u) {
    auto* s = static_cast<Sink*>(u);
    const sf_count_t k = std::max<sf_count_t>(0, std::min<sf_count_t>(n, sf_count_t(s->bytes.size()) - s->pos));
    std::memcpy(p, s->bytes.data() + s->pos, std::size_t(k));
    s->pos += k;
    return k;
}
sf_count_t s_write(const void* p, sf_count_t n, void* u) {
    auto* s = static_cast<Sink*>(u);
    if (s->bytes.size() < std::size_t(s->pos + n)) s->bytes.resize(std::size_t(s->pos + n));
    std::memcpy(s->bytes.data() + s->pos, p, std::size_t(n));
    s->pos += n;
    return n;
}
sf_count_t s_tell(void* u) { return static_cast<Sink*>(u)->pos; }

// Encodes `x` (mono) with libsndfile; empty when this libsndfile cannot write the format.
std::vector<std::uint8_t> encode(const std::vector<float>& x, int rate, int format) {
    Sink sink;
    SF_VIRTUAL_IO vio{s_len, s_seek, s_read, s_write, s_tell};
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 1;
    info.format = format;
    SNDFILE* f = sf_open_virtual(&vio, SFM_WRITE, &info, &sink);
    if (f == nullptr) return {};
    sf_writef_float(f, x.data(), sf_count_t(x.size()));
    sf_close(f);
    return sink.bytes;
}

// Best correlation of y against x over small lags (lossy codecs may add a delay).
double best_correlation(const std::vector<float>& x, const std::vector<float>& y) {
    double best = 0.0;
    for (int lag = 0; lag < 4000 && std::size_t(lag) < y.size(); ++lag) {
        double xy = 0, xx = 0, yy = 0;
        const std::size_t n = std::min(x.size(), y.size() - std::size_t(lag));
        for (std::size_t i = 8000; i < std::min(n, std::size_t(16000)); ++i) {  // 1/6 s window
            xy += double(x[i]) * y[i + std::size_t(lag)];
            xx += double(x[i]) * x[i];
            yy += double(y[i + std::size_t(lag)]) * y[i + std::size_t(lag)];
        }
        if (xx > 0 && yy > 0) best = std::max(best, xy / std::sqrt(xx * yy));
    }
    return best;
}

}  // namespace
#endif

TEST(AudioFormats, LibsndfileFormatsDecodeToTheTone) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "no libsndfile in this build (WebAssembly): the browser decodes these formats";
#else
    const int rate = 48000;  // Opus accepts 48 kHz; the others any rate
    std::vector<float> x(rate);  // 1 s
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float(std::lrint(0.4 * std::sin(2 * 3.14159265358979 * 440.0 * double(i) / rate) * 32768.0) / 32768.0);
    struct Case {
        const char* name;
        int format;
        bool lossless;
        const char* reported;
    };
    const Case cases[] = {
        {"FLAC 16-bit", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, true, "FLAC 16-bit"},
        {"AIFF 16-bit", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, true, "AIFF 16-bit"},
        {"OGG Vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS, false, "OGG Vorbis"},
        {"Opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, false, "OGG Opus"},
        {"MP3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, false, "MPEG MP3"},
    };
    for (const Case& c : cases) {
        const auto bytes = encode(x, rate, c.format);
        if (bytes.empty()) {
            ADD_FAILURE() << "libsndfile cannot write " << c.name;
            continue;
        }
        auto r = ser::decode_audio(bytes.data(), bytes.size());
        ASSERT_TRUE(r.is_ok()) << c.name << ": " << r.status.to_string();
        EXPECT_EQ(r.value.format, c.reported);
        EXPECT_EQ(r.value.source_rate_hz, rate);
        EXPECT_EQ(r.value.channels, 1);
        if (c.lossless) {
            EXPECT_EQ(r.value.samples, x) << c.name;
        } else {
            const double corr = best_correlation(x, r.value.samples);
            EXPECT_GT(corr, 0.99) << c.name;
            EXPECT_NEAR(double(r.value.samples.size()), double(x.size()), 0.1 * rate) << c.name;
        }
        // The whole chain to 16 kHz works for every format.
        auto s = ser::load_audio_16k(bytes.data(), bytes.size());
        ASSERT_TRUE(s.is_ok()) << c.name;
        EXPECT_EQ(s.value.rate_hz, 16000);
    }
#endif
}
