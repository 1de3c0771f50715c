// The project's one resampler: libsoxr 0.1.3 (built from the Debian source, plain-C paths, for every target).
// Between decode and features (any rate -> 16 kHz); within 2e-3 of librosa's kaiser_best beyond 16 edge samples (reference/resample).
#include <soxr.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "ser/audio/resample.h"

namespace ser {
namespace {

// soxr's HQ recipe (20-bit precision, linear phase, single-precision plain-C path) with the
// pass band ending at 0.89 of the lower Nyquist frequency and the stop band at 1.0 (no aliasing).
// Chosen by measurement (docs/audio.md "Resampler"): HQ's own 0.913 rings 2.6e-3 away from
// kaiser_best at output sample 16 (tolerance 2e-3); 0.89 gives 1.65e-3 there and keeps a
// 16k -> 48k -> 16k round trip of a RAVDESS clip at 40.9 dB SNR.
constexpr double kPassbandEnd = 0.89;
constexpr double kStopbandBegin = 1.0;
// soxr filters with FFT blocks of up to 2^17 points by default; a live stream then waits for
// a whole block (31 ms behind at 44.1 kHz -> 16 kHz). 2^10 keeps the lag to the filter length.
// (soxr lets the SOXR_MIN_DFT_SIZE / SOXR_LARGE_DFT_SIZE environment variables override this.)
constexpr unsigned kLog2LargeDftSize = 10;

// soxr's plain-C FFT keeps one process-wide table cache (fft4g_cache.h) that any FFT call may
// grow with realloc. Its reader/writer lock (ccrw2.h) exists only when soxr is built with
// OpenMP, which ours is not: two threads resampling at once crashed `ser eval` on 48 kHz files
// (1 run in 3, 240 clips, 2 jobs). So every soxr call takes this lock; resampling is a small
// share of the work next to the features.
std::mutex& soxr_mutex() {
    static std::mutex m;
    return m;
}

Status check_rates(int in_rate_hz, int out_rate_hz) {
    for (int r : {in_rate_hz, out_rate_hz}) {
        if (r < kMinRateHz || r > kMaxRateHz)
            return Status::error("resample", "sample rate " + std::to_string(r) + " Hz; expected " +
                                                 std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz");
    }
    return Status::ok();
}

Result<soxr_t> create(int in_rate_hz, int out_rate_hz) {
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    q.passband_end = kPassbandEnd;
    q.stopband_begin = kStopbandBegin;
    soxr_runtime_spec_t rt = soxr_runtime_spec(1);
    rt.log2_large_dft_size = kLog2LargeDftSize;
    soxr_error_t err = nullptr;
    std::lock_guard<std::mutex> lock(soxr_mutex());
    soxr_t s = soxr_create(double(in_rate_hz), double(out_rate_hz), 1, &err, &io, &q, &rt);
    if (s == nullptr || err != nullptr) {
        if (s != nullptr) soxr_delete(s);
        return Status::error("resample", std::string("soxr: ") + (err ? err : "no resampler") +
                                             "; expected a resampler for " + std::to_string(in_rate_hz) + " -> " +
                                             std::to_string(out_rate_hz) + " Hz");
    }
    return s;
}

void destroy(soxr_t s) {
    std::lock_guard<std::mutex> lock(soxr_mutex());
    soxr_delete(s);
}

// Feeds `n` input samples (x == nullptr: end of input, drains the filter) and appends the output.
Status run(soxr_t s, double ratio, const float* x, std::size_t n, std::vector<float>& out) {
    std::vector<float> buf(std::size_t(double(std::min<std::size_t>(n, 1 << 16)) * ratio) + 4096);
    std::size_t pos = 0;
    for (;;) {
        std::size_t in_done = 0, out_done = 0;
        const std::size_t in_len = x != nullptr ? n - pos : 0;
        soxr_error_t err = nullptr;
        {
            std::lock_guard<std::mutex> lock(soxr_mutex());
            err = soxr_process(s, x != nullptr ? x + pos : nullptr, in_len, &in_done, buf.data(), buf.size(), &out_done);
        }
        if (err != nullptr) return Status::error("resample", std::string("soxr: ") + err + "; expected a successful conversion");
        out.insert(out.end(), buf.begin(), buf.begin() + std::ptrdiff_t(out_done));
        pos += in_done;
        if (x == nullptr) {
            if (out_done == 0) break;                 // filter drained
        } else if (pos >= n && out_done < buf.size()) {
            break;                                    // all input taken, more may come
        } else if (in_done == 0 && out_done == 0) {
            return Status::error("resample", "soxr made no progress; expected it to consume input");
        }
    }
    return Status::ok();
}

}  // namespace

Result<std::vector<float>> resample(const float* samples, std::size_t n_samples, int in_rate_hz, int out_rate_hz) {
    Status st = check_rates(in_rate_hz, out_rate_hz);
    if (!st) return st;
    if (n_samples == 0) return std::vector<float>{};
    if (in_rate_hz == out_rate_hz) return std::vector<float>(samples, samples + n_samples);
    // librosa.resample: n_out = ceil(n * out / in), output cut or zero-padded to that length.
    const std::uint64_t n_out = (std::uint64_t(n_samples) * std::uint64_t(out_rate_hz) + std::uint64_t(in_rate_hz) - 1) /
                                std::uint64_t(in_rate_hz);
    auto s = create(in_rate_hz, out_rate_hz);
    if (!s.is_ok()) return s.status;
    const double ratio = double(out_rate_hz) / double(in_rate_hz);
    std::vector<float> out;
    out.reserve(std::size_t(n_out) + 64);
    st = run(s.value, ratio, samples, n_samples, out);
    if (st) st = run(s.value, ratio, nullptr, 0, out);
    destroy(s.value);
    if (!st) return st;
    out.resize(std::size_t(n_out), 0.0f);
    return out;
}

StreamResampler::StreamResampler() = default;
StreamResampler::~StreamResampler() {
    if (state_ != nullptr) destroy(static_cast<soxr_t>(state_));
}

Status StreamResampler::reset(int in_rate_hz, int out_rate_hz) {
    if (state_ != nullptr) {
        destroy(static_cast<soxr_t>(state_));
        state_ = nullptr;
    }
    Status st = check_rates(in_rate_hz, out_rate_hz);
    if (!st) return st;
    auto s = create(in_rate_hz, out_rate_hz);
    if (!s.is_ok()) return s.status;
    state_ = s.value;
    ratio_ = double(out_rate_hz) / double(in_rate_hz);
    return Status::ok();
}

Status StreamResampler::push(const float* samples, std::size_t n_samples, std::vector<float>& out) {
    if (state_ == nullptr) return Status::error("resample", "push before reset(); expected reset(in_rate, out_rate) first");
    if (n_samples == 0) return Status::ok();
    return run(static_cast<soxr_t>(state_), ratio_, samples, n_samples, out);
}

Status StreamResampler::flush(std::vector<float>& out) {
    if (state_ == nullptr) return Status::error("resample", "flush before reset(); expected reset(in_rate, out_rate) first");
    return run(static_cast<soxr_t>(state_), ratio_, nullptr, 0, out);
}

}  // namespace ser
