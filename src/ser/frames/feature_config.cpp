// Named feature configurations C1 "librosa-default" and C2 "speech" and their range checks.
// Parameters of the framing/feature stage; values from ../shared/reference/README.md section 3.
#include "ser/frames/feature_config.h"

#include <cmath>
#include <cstdio>

namespace ser {

namespace {

bool is_power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

std::string fmt(const char* format, double a, double b = 0.0, double c = 0.0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, format, a, b, c);
    return buf;
}

}  // namespace

FeatureConfig config_c1() {
    FeatureConfig c;
    c.name = "C1";
    c.version = 1;
    c.sample_rate_hz = 16000;
    c.n_fft = 2048;
    c.win_length = 2048;
    c.hop_length = 512;
    c.n_mels = 128;
    c.fmin_hz = 0.0f;
    c.fmax_hz = 8000.0f;
    c.n_mfcc = 20;
    c.n_chroma = 12;
    c.estimate_tuning = true;   // chroma_stft(tuning=None)
    c.tuning = 0.0f;
    c.top_db = 80.0f;
    c.amin = 1e-10f;
    return c;
}

FeatureConfig config_c2() {
    FeatureConfig c = config_c1();
    c.name = "C2";
    c.n_fft = 512;
    c.win_length = 400;          // 25 ms Hann centred in 512 samples
    c.hop_length = 160;          // 10 ms
    c.n_mels = 64;
    c.estimate_tuning = false;   // chroma_stft(tuning=0.0)
    c.tuning = 0.0f;
    return c;
}

Result<FeatureConfig> config_by_name(const std::string& name) {
    if (name == "C1" || name == "c1" || name == "librosa-default") return config_c1();
    if (name == "C2" || name == "c2" || name == "speech") return config_c2();
    return Status::error("feature_config", "unknown configuration '" + name +
                                               "'; expected C1 (librosa-default) or C2 (speech)");
}

std::vector<std::string> config_names() { return {"C1", "C2"}; }

Status FeatureConfig::validate() const {
    const char* m = "feature_config";
    if (sample_rate_hz < 1000 || sample_rate_hz > 192000)
        return Status::error(m, fmt("sample_rate_hz is %.0f; expected 1000 to 192000", sample_rate_hz));
    if (!is_power_of_two(n_fft) || n_fft < 64 || n_fft > 8192)
        return Status::error(m, fmt("n_fft is %.0f; expected a power of two from 64 to 8192", n_fft));
    if (hop_length < 1 || hop_length > n_fft)
        return Status::error(m, fmt("hop_length is %.0f; expected 1 to n_fft (%.0f)", hop_length, n_fft));
    if (win_length < 16 || win_length > n_fft)
        return Status::error(m, fmt("win_length is %.0f; expected 16 to n_fft (%.0f)", win_length, n_fft));
    const double nyquist = sample_rate_hz / 2.0;
    if (!std::isfinite(fmin_hz) || !std::isfinite(fmax_hz) || fmin_hz < 0.0f || fmin_hz >= fmax_hz ||
        fmax_hz > nyquist)
        return Status::error(m, fmt("fmin_hz %.6g / fmax_hz %.6g; expected 0 <= fmin < fmax <= sr/2 = %.6g Hz",
                                    fmin_hz, fmax_hz, nyquist));
    if (n_mels < 1 || n_mels > 256)
        return Status::error(m, fmt("n_mels is %.0f; expected 1 to 256", n_mels));
    if (n_mfcc < 1 || n_mfcc > n_mels)
        return Status::error(m, fmt("n_mfcc is %.0f; expected 1 to n_mels (%.0f)", n_mfcc, n_mels));
    if (n_chroma != 12)
        return Status::error(m, fmt("n_chroma is %.0f; expected 12 (pitch classes C..B)", n_chroma));
    if (!std::isfinite(tuning) || tuning < -0.5f || tuning >= 0.5f)
        return Status::error(m, fmt("tuning is %.6g bins; expected -0.5 <= tuning < 0.5", tuning));
    if (!std::isfinite(top_db) || top_db <= 0.0f || top_db > 300.0f)
        return Status::error(m, fmt("top_db is %.6g dB; expected 0 < top_db <= 300", top_db));
    if (!std::isfinite(amin) || amin <= 0.0f || amin > 1e-3f)
        return Status::error(m, fmt("amin is %.6g; expected 0 < amin <= 1e-3", amin));
    return Status::ok();
}

bool FeatureConfig::same_as(const FeatureConfig& o) const {
    return name == o.name && version == o.version && sample_rate_hz == o.sample_rate_hz &&
           n_fft == o.n_fft && win_length == o.win_length && hop_length == o.hop_length &&
           n_mels == o.n_mels && fmin_hz == o.fmin_hz && fmax_hz == o.fmax_hz && n_mfcc == o.n_mfcc &&
           n_chroma == o.n_chroma && estimate_tuning == o.estimate_tuning && tuning == o.tuning &&
           top_db == o.top_db && amin == o.amin;
}

std::string FeatureConfig::describe() const {
    char buf[512];
    char tuning_text[64];
    if (estimate_tuning)
        std::snprintf(tuning_text, sizeof tuning_text, "estimated");
    else
        std::snprintf(tuning_text, sizeof tuning_text, "%g", double(tuning));
    std::snprintf(buf, sizeof buf,
                  "%s v%d (sr %d Hz, n_fft %d, win %d, hop %d, %d mels %g-%g Hz Slaney, %d MFCC, "
                  "%d chroma, tuning %s, top_db %g)",
                  name.c_str(), version, sample_rate_hz, n_fft, win_length, hop_length, n_mels,
                  double(fmin_hz), double(fmax_hz), n_mfcc, n_chroma, tuning_text, double(top_db));
    return buf;
}

}  // namespace ser
