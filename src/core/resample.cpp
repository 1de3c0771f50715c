// The project's one resampler: libsamplerate's best sinc (built from the Debian source for every target).
// Between decode and features (any rate -> 16 kHz); within 2e-3 of librosa's kaiser_best (reference/resample).
#include <samplerate.h>

#include <algorithm>
#include <string>

#include "audio.h"

namespace ser {
namespace {

// Best sinc: measured against reference/resample/kaiser_best_16k.npy (docs/audio.md).
constexpr int kConverter = SRC_SINC_BEST_QUALITY;

Status check_rates(int in_rate_hz, int out_rate_hz) {
    for (int r : {in_rate_hz, out_rate_hz}) {
        if (r < kMinRateHz || r > kMaxRateHz)
            return Status::error("resample", "sample rate " + std::to_string(r) + " Hz; expected " +
                                                 std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz");
    }
    return Status::ok();
}

// Runs the converter over `n` input samples (n may be 0 for a pure flush) and appends the
// output; `end` marks the end of input so that the filter's look-ahead is emptied.
Status run(SRC_STATE* state, double ratio, const float* x, std::size_t n, bool end, std::vector<float>& out) {
    constexpr long kChunk = 1 << 16;     // input frames per call (long is 32-bit under wasm)
    std::vector<float> buf;
    std::size_t pos = 0;
    for (;;) {
        const long in_frames = long(std::min<std::size_t>(n - pos, kChunk));
        const bool last = end && pos + std::size_t(in_frames) == n;
        const long cap = long(double(in_frames) * ratio) + 4096;
        buf.resize(std::size_t(cap));
        SRC_DATA d{};
        // libsamplerate ignores end_of_input when data_in is NULL (prepare_data returns early),
        // so a flush passes a valid pointer with 0 frames.
        static const float kNoInput = 0.0f;
        d.data_in = x != nullptr ? x + pos : &kNoInput;
        d.input_frames = in_frames;
        d.data_out = buf.data();
        d.output_frames = cap;
        d.src_ratio = ratio;
        d.end_of_input = last ? 1 : 0;
        const int err = src_process(state, &d);
        if (err != 0)
            return Status::error("resample", std::string("libsamplerate: ") + src_strerror(err) +
                                                 "; expected a successful conversion");
        out.insert(out.end(), buf.begin(), buf.begin() + d.output_frames_gen);
        pos += std::size_t(d.input_frames_used);
        if (last && d.output_frames_gen == 0) break;        // look-ahead drained
        if (!end && pos >= n) break;                          // all input taken, more may come
        if (!last && d.input_frames_used == 0 && d.output_frames_gen == 0)
            return Status::error("resample", "libsamplerate made no progress; expected it to consume input");
    }
    return Status::ok();
}

}  // namespace

Result<std::vector<float>> resample(const float* samples, std::size_t n_samples, int in_rate_hz, int out_rate_hz) {
    Status s = check_rates(in_rate_hz, out_rate_hz);
    if (!s) return s;
    if (n_samples == 0) return std::vector<float>{};
    if (in_rate_hz == out_rate_hz) return std::vector<float>(samples, samples + n_samples);
    // librosa.resample: n_out = ceil(n * out / in), output cut or zero-padded to that length.
    const std::uint64_t n_out = (std::uint64_t(n_samples) * std::uint64_t(out_rate_hz) + std::uint64_t(in_rate_hz) - 1) /
                                std::uint64_t(in_rate_hz);
    int err = 0;
    SRC_STATE* state = src_new(kConverter, 1, &err);
    if (state == nullptr)
        return Status::error("resample", std::string("libsamplerate: ") + src_strerror(err) + "; expected a converter");
    std::vector<float> out;
    out.reserve(std::size_t(n_out) + 64);
    s = run(state, double(out_rate_hz) / double(in_rate_hz), samples, n_samples, true, out);
    src_delete(state);
    if (!s) return s;
    out.resize(std::size_t(n_out), 0.0f);
    return out;
}

StreamResampler::StreamResampler() = default;
StreamResampler::~StreamResampler() {
    if (state_ != nullptr) src_delete(static_cast<SRC_STATE*>(state_));
}

Status StreamResampler::reset(int in_rate_hz, int out_rate_hz) {
    if (state_ != nullptr) {
        src_delete(static_cast<SRC_STATE*>(state_));
        state_ = nullptr;
    }
    Status s = check_rates(in_rate_hz, out_rate_hz);
    if (!s) return s;
    int err = 0;
    state_ = src_new(kConverter, 1, &err);
    if (state_ == nullptr)
        return Status::error("resample", std::string("libsamplerate: ") + src_strerror(err) + "; expected a converter");
    ratio_ = double(out_rate_hz) / double(in_rate_hz);
    return Status::ok();
}

Status StreamResampler::push(const float* samples, std::size_t n_samples, std::vector<float>& out) {
    if (state_ == nullptr) return Status::error("resample", "push before reset(); expected reset(in_rate, out_rate) first");
    if (n_samples == 0) return Status::ok();
    return run(static_cast<SRC_STATE*>(state_), ratio_, samples, n_samples, false, out);
}

Status StreamResampler::flush(std::vector<float>& out) {
    if (state_ == nullptr) return Status::error("resample", "flush before reset(); expected reset(in_rate, out_rate) first");
    return run(static_cast<SRC_STATE*>(state_), ratio_, nullptr, 0, true, out);
}

}  // namespace ser
