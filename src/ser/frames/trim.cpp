// Silence trim and frame RMS; see trim.h for the contract (librosa.effects.trim / feature.rms).
#include "ser/frames/trim.h"

#include <algorithm>
#include <cmath>

namespace ser {

Result<std::vector<float>> frame_rms(const float* samples, std::size_t n_samples, int frame_length,
                                     int hop_length) {
    if (frame_length < 16 || frame_length > 65536 || frame_length % 2 != 0)
        return Status::error("trim", "frame_length " + format_value(frame_length) + "; expected an even number in 16..65536");
    if (hop_length < 1 || hop_length > frame_length)
        return Status::error("trim", "hop_length " + format_value(hop_length) + "; expected 1..frame_length (" +
                                         format_value(frame_length) + ")");
    if (samples == nullptr || n_samples == 0) return Status::error("trim", "input has 0 samples; expected at least 1");
    for (std::size_t i = 0; i < n_samples; ++i)
        if (!std::isfinite(samples[i]))
            return Status::error("trim", "sample " + format_value(double(i)) + " is not finite; expected finite samples");

    // Running sum of squares over the zero-padded signal, in double so that long clips keep
    // their precision; frame t covers original samples [t*hop - fl/2, t*hop + fl/2).
    std::vector<double> cum(n_samples + 1, 0.0);
    for (std::size_t i = 0; i < n_samples; ++i) cum[i + 1] = cum[i] + double(samples[i]) * samples[i];
    const long long half = frame_length / 2;
    const std::size_t n_frames = 1 + n_samples / std::size_t(hop_length);
    std::vector<float> out(n_frames);
    for (std::size_t t = 0; t < n_frames; ++t) {
        const long long lo = std::max<long long>(0, (long long)(t * hop_length) - half);
        const long long hi = std::min<long long>((long long)n_samples, (long long)(t * hop_length) + half);
        const double e = hi > lo ? cum[hi] - cum[lo] : 0.0;
        out[t] = float(std::sqrt(std::max(e, 0.0) / frame_length));
    }
    return out;
}

Result<TrimRange> trim_silence(const float* samples, std::size_t n_samples, float top_db, int frame_length,
                               int hop_length) {
    if (!(top_db > 0.0f && top_db <= 200.0f))
        return Status::error("trim", "top_db " + format_value(top_db) + " dB; expected (0, 200] dB");
    Result<std::vector<float>> rms = frame_rms(samples, n_samples, frame_length, hop_length);
    if (!rms) return rms.status;
    // amplitude_to_db(rms, ref=max, amin=1e-5, top_db=None) > -top_db.
    const double amin = 1e-5;
    const double ref = std::max(amin, double(*std::max_element(rms.value.begin(), rms.value.end())));
    long long first = -1, last = -1;
    for (std::size_t t = 0; t < rms.value.size(); ++t) {
        const double db = 20.0 * std::log10(std::max(amin, double(rms.value[t]))) - 20.0 * std::log10(ref);
        if (db > -double(top_db)) {
            if (first < 0) first = (long long)t;
            last = (long long)t;
        }
    }
    TrimRange r;
    if (first >= 0) {
        r.start = std::min<std::size_t>(std::size_t(first) * hop_length, n_samples);
        r.end = std::min<std::size_t>(std::size_t(last + 1) * hop_length, n_samples);
    }
    return r;
}

}  // namespace ser
