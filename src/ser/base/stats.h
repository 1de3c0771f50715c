// Summary statistics of float sequences, each defined once: mean and population standard deviation
// accumulated in float64 (numpy's mean/std, ddof 0), and percentiles by linear interpolation (numpy's default).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace ser {

struct MeanSd {
    double mean = 0.0;
    double sd = 0.0;
};

// n values x[0], x[stride], ...; n = 0 gives {0, 0}. Two passes (mean, then squared deviations)
// as numpy does, each value promoted to double before it is used.
inline double mean_of(const float* x, std::size_t n, std::ptrdiff_t stride = 1) {
    if (n == 0) return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += x[std::ptrdiff_t(i) * stride];
    return sum / double(n);
}

inline MeanSd mean_sd(const float* x, std::size_t n, std::ptrdiff_t stride = 1) {
    MeanSd m;
    if (n == 0) return m;
    m.mean = mean_of(x, n, stride);
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = x[std::ptrdiff_t(i) * stride] - m.mean;
        ss += d * d;
    }
    m.sd = std::sqrt(ss / double(n));
    return m;
}
inline MeanSd mean_sd(const std::vector<float>& v) { return mean_sd(v.data(), v.size()); }

// np.percentile(v, 100 q) with linear interpolation, of values already sorted ascending (n >= 1).
inline float percentile_sorted(const std::vector<float>& sorted, double q) {
    const double pos = q * double(sorted.size() - 1);
    const std::size_t lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return float(sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]));
}

}  // namespace ser
