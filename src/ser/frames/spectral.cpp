// Spectral shape descriptors; see spectral.h for the definitions and their sources.
#include "ser/frames/spectral.h"

#include <algorithm>
#include <utility>
#include <cfloat>
#include <cmath>
#include <vector>

namespace ser {

namespace {

Status check_mag(const Eigen::MatrixXf& mag) {
    if (mag.rows() < 2)
        return Status::error("spectral", "spectrogram has " + format_value(double(mag.rows())) +
                                             " frequency bins; expected n_fft/2+1 >= 2");
    // The whole matrix at once first (vectorised: every window of the live path checks its
    // spectrogram once per descriptor); the loop only finds the offending value.
    bool all_valid = true;
    const float* v = mag.data();
    for (Eigen::Index i = 0; i < mag.size(); ++i) all_valid &= (v[i] >= 0.0f) & (v[i] <= FLT_MAX);  // false for NaN
    if (all_valid) return Status::ok();
    for (Eigen::Index t = 0; t < mag.cols(); ++t)
        for (Eigen::Index k = 0; k < mag.rows(); ++k) {
            const float v = mag(k, t);
            if (!std::isfinite(v) || v < 0.0f)
                return Status::error("spectral", "magnitude at bin " + format_value(double(k)) + ", frame " +
                                                     format_value(double(t)) + " is " + format_value(v) +
                                                     "; expected finite and >= 0");
        }
    return Status::ok();
}

Status check_rate(int sample_rate_hz) {
    if (sample_rate_hz < 1000 || sample_rate_hz > 384000)
        return Status::error("spectral", "sample rate " + format_value(sample_rate_hz) + " Hz; expected 1000 to 384000 Hz");
    return Status::ok();
}

// n_fft 0 means 2 (n_bins - 1); otherwise even and at least 2 (n_bins - 1).
Status check_n_fft(const Eigen::MatrixXf& mag, int n_fft) {
    if (n_fft == 0) return Status::ok();
    if (n_fft < 2 || n_fft % 2 != 0 || Eigen::Index(n_fft / 2 + 1) < mag.rows())
        return Status::error("spectral", "n_fft " + format_value(n_fft) + " for " + format_value(double(mag.rows())) +
                                             " bins; expected an even n_fft with n_fft/2 + 1 >= the bin count");
    return Status::ok();
}

// librosa.fft_frequencies: bin k at k sr / n_fft, n_fft = 2 (n_bins - 1) unless given.
std::vector<double> bin_frequencies(Eigen::Index n_bins, int sample_rate_hz, int n_fft = 0) {
    const double n = n_fft > 0 ? double(n_fft) : 2.0 * double(n_bins - 1);
    std::vector<double> f(n_bins);
    for (Eigen::Index k = 0; k < n_bins; ++k) f[k] = double(k) * sample_rate_hz / n;
    return f;
}

// librosa.power_to_db(x, ref=1, amin=1e-10, top_db=80) over a whole matrix, in double.
void power_to_db_inplace(Eigen::MatrixXd& x) {
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = 10.0 * std::log10(std::max(1e-10, x.data()[i]));
    if (x.size() == 0) return;
    const double floor = x.maxCoeff() - 80.0;
    x = x.cwiseMax(floor);
}

}  // namespace

Result<Eigen::MatrixXf> spectral_centroid(const Eigen::MatrixXf& mag, int sample_rate_hz, int n_fft) {
    if (Status s = check_rate(sample_rate_hz); !s) return s;
    if (Status s = check_mag(mag); !s) return s;
    if (Status s = check_n_fft(mag, n_fft); !s) return s;
    const auto f = bin_frequencies(mag.rows(), sample_rate_hz, n_fft);
    Eigen::MatrixXf out(1, mag.cols());
    for (Eigen::Index t = 0; t < mag.cols(); ++t) {
        double sum = 0.0, weighted = 0.0;
        for (Eigen::Index k = 0; k < mag.rows(); ++k) {
            sum += mag(k, t);
            weighted += f[k] * mag(k, t);
        }
        out(0, t) = sum > 0.0 ? float(weighted / sum) : 0.0f;
    }
    return out;
}

Result<Eigen::MatrixXf> spectral_bandwidth(const Eigen::MatrixXf& mag, int sample_rate_hz, float p, int n_fft) {
    if (!(p >= 1.0f && p <= 4.0f)) return Status::error("spectral", "bandwidth order p " + format_value(p) + "; expected 1..4");
    Result<Eigen::MatrixXf> centroid = spectral_centroid(mag, sample_rate_hz, n_fft);
    if (!centroid) return centroid.status;
    const auto f = bin_frequencies(mag.rows(), sample_rate_hz, n_fft);
    Eigen::MatrixXf out(1, mag.cols());
    for (Eigen::Index t = 0; t < mag.cols(); ++t) {
        double sum = 0.0;
        for (Eigen::Index k = 0; k < mag.rows(); ++k) sum += mag(k, t);
        const double norm = sum > 0.0 ? sum : 1.0;   // unnormalised all-zero column gives 0
        const double c = centroid.value(0, t);
        double acc = 0.0;
        // p = 2 (librosa's default, the one the feature sets use) as a product: std::pow is a
        // tenth of the whole `emo` vector's time in WebAssembly, and x * x is the same double.
        if (p == 2.0f) {
            for (Eigen::Index k = 0; k < mag.rows(); ++k) acc += mag(k, t) / norm * ((f[k] - c) * (f[k] - c));
            out(0, t) = float(std::sqrt(acc));
            continue;
        }
        for (Eigen::Index k = 0; k < mag.rows(); ++k)
            acc += mag(k, t) / norm * std::pow(std::fabs(f[k] - c), double(p));
        out(0, t) = float(std::pow(acc, 1.0 / p));
    }
    return out;
}

Result<Eigen::MatrixXf> spectral_rolloff(const Eigen::MatrixXf& mag, int sample_rate_hz, float roll_percent,
                                         int n_fft) {
    if (!(roll_percent > 0.0f && roll_percent < 1.0f))
        return Status::error("spectral", "roll_percent " + format_value(roll_percent) + "; expected (0, 1)");
    if (Status s = check_rate(sample_rate_hz); !s) return s;
    if (Status s = check_mag(mag); !s) return s;
    if (Status s = check_n_fft(mag, n_fft); !s) return s;
    const auto f = bin_frequencies(mag.rows(), sample_rate_hz, n_fft);
    Eigen::MatrixXf out(1, mag.cols());
    std::vector<double> cum(mag.rows());
    for (Eigen::Index t = 0; t < mag.cols(); ++t) {
        double acc = 0.0;
        for (Eigen::Index k = 0; k < mag.rows(); ++k) cum[k] = acc += mag(k, t);
        const double threshold = roll_percent * acc;
        Eigen::Index k = 0;
        while (k + 1 < mag.rows() && cum[k] < threshold) ++k;
        out(0, t) = float(f[k]);
    }
    return out;
}

Result<Eigen::MatrixXf> spectral_flatness(const Eigen::MatrixXf& mag, float power, float amin) {
    if (!(power >= 0.5f && power <= 4.0f)) return Status::error("spectral", "flatness power " + format_value(power) + "; expected 0.5..4");
    if (!(amin > 0.0f && amin < 1.0f)) return Status::error("spectral", "flatness amin " + format_value(amin) + "; expected (0, 1)");
    if (Status s = check_mag(mag); !s) return s;
    Eigen::MatrixXf out(1, mag.cols());
    const double n = double(mag.rows());
    for (Eigen::Index t = 0; t < mag.cols(); ++t) {
        double log_sum = 0.0, sum = 0.0;
        for (Eigen::Index k = 0; k < mag.rows(); ++k) {
            const double m = double(mag(k, t));
            const double v = std::max(double(amin), power == 2.0f ? m * m : std::pow(m, double(power)));  // as bandwidth
            log_sum += std::log(v);
            sum += v;
        }
        out(0, t) = float(std::exp(log_sum / n) / (sum / n));
    }
    return out;
}

Result<Eigen::MatrixXf> spectral_flux(const Eigen::MatrixXf& mag, bool normalise) {
    if (Status s = check_mag(mag); !s) return s;
    Eigen::MatrixXf out = Eigen::MatrixXf::Zero(1, mag.cols());
    auto column_scale = [&](Eigen::Index t) {
        if (!normalise) return 1.0;
        const double n = mag.col(t).cast<double>().norm();
        return n > 0.0 ? 1.0 / n : 0.0;
    };
    double prev_scale = mag.cols() > 0 ? column_scale(0) : 1.0;
    for (Eigen::Index t = 1; t < mag.cols(); ++t) {
        const double scale = column_scale(t);
        double acc = 0.0;
        for (Eigen::Index k = 0; k < mag.rows(); ++k) {
            const double d = mag(k, t) * scale - mag(k, t - 1) * prev_scale;
            if (d > 0.0) acc += d * d;
        }
        out(0, t) = float(std::sqrt(acc));
        prev_scale = scale;
    }
    return out;
}

Result<Eigen::MatrixXf> spectral_slope(const Eigen::MatrixXf& mag, int sample_rate_hz, int n_fft) {
    if (Status s = check_rate(sample_rate_hz); !s) return s;
    if (Status s = check_mag(mag); !s) return s;
    if (Status s = check_n_fft(mag, n_fft); !s) return s;
    const auto f = bin_frequencies(mag.rows(), sample_rate_hz, n_fft);
    const double n = double(mag.rows());
    double sf = 0.0, sff = 0.0;
    for (double v : f) {
        sf += v;
        sff += v * v;
    }
    const double denom = n * sff - sf * sf;
    Eigen::MatrixXf out(1, mag.cols());
    for (Eigen::Index t = 0; t < mag.cols(); ++t) {
        double sa = 0.0, sfa = 0.0;
        for (Eigen::Index k = 0; k < mag.rows(); ++k) {
            sa += mag(k, t);
            sfa += f[k] * mag(k, t);
        }
        out(0, t) = sa > 0.0 ? float((n * sfa - sf * sa) / denom / sa) : 0.0f;
    }
    return out;
}

Result<ContrastBands> spectral_contrast_bands(const Eigen::MatrixXf& mag, int sample_rate_hz, float fmin_hz,
                                              int n_bands, float quantile, int n_fft) {
    if (Status s = check_rate(sample_rate_hz); !s) return s;
    if (n_bands < 1 || n_bands > 12) return Status::error("spectral", "contrast n_bands " + format_value(n_bands) + "; expected 1..12");
    if (!(quantile > 0.0f && quantile < 0.5f))
        return Status::error("spectral", "contrast quantile " + format_value(quantile) + "; expected (0, 0.5)");
    if (!(fmin_hz > 0.0f) || !(double(fmin_hz) * std::ldexp(1.0, n_bands - 1) < 0.5 * sample_rate_hz))
        return Status::error("spectral", "contrast bands start at fmin " + format_value(fmin_hz) + " Hz and reach " +
                                             format_value(double(fmin_hz) * std::ldexp(1.0, n_bands - 1)) +
                                             " Hz; expected fmin > 0 and fmin * 2^(n_bands-1) < sr/2 (" +
                                             format_value(0.5 * sample_rate_hz) + " Hz)");
    if (Status s = check_mag(mag); !s) return s;
    if (Status s = check_n_fft(mag, n_fft); !s) return s;
    const Eigen::Index n_bins = mag.rows(), n_frames = mag.cols();
    const auto f = bin_frequencies(n_bins, sample_rate_hz, n_fft);

    // Octave edges: 0, fmin, 2 fmin, ..., fmin 2^n_bands.
    std::vector<double> edges(n_bands + 2, 0.0);
    for (int i = 1; i < n_bands + 2; ++i) edges[i] = double(fmin_hz) * std::ldexp(1.0, i - 1);

    Eigen::MatrixXd peak(n_bands + 1, n_frames), valley(n_bands + 1, n_frames);
    std::vector<float> band;
    for (int b = 0; b <= n_bands; ++b) {
        // Bins in [low, high]; plus the bin just below for every band but the first, and
        // everything above for the last; the top bin is then dropped except in the last band.
        Eigen::Index first = -1, last = -1;
        for (Eigen::Index k = 0; k < n_bins; ++k)
            if (f[k] >= edges[b] && f[k] <= edges[b + 1]) {
                if (first < 0) first = k;
                last = k;
            }
        if (first < 0)
            return Status::error("spectral", "contrast band " + format_value(b) + " (" + format_value(edges[b]) + ".." +
                                                 format_value(edges[b + 1]) + " Hz) holds no FFT bin; expected a finer "
                                                 "spectrogram or a higher fmin");
        if (b > 0 && first > 0) --first;
        if (b == n_bands) last = n_bins - 1;
        const Eigen::Index n_selected = last - first + 1;
        const Eigen::Index used_last = (b < n_bands) ? last - 1 : last;
        const Eigen::Index n_used = used_last - first + 1;
        // np.rint rounds half to even, as nearbyint does in the default rounding mode.
        Eigen::Index q = Eigen::Index(std::nearbyint(double(quantile) * double(n_selected)));
        q = std::max<Eigen::Index>(q, 1);
        if (n_used < 1 || q > n_used)
            return Status::error("spectral", "contrast band " + format_value(b) + " keeps " + format_value(double(n_used)) +
                                                 " bins; expected at least " + format_value(double(q)));
        band.resize(n_used);
        for (Eigen::Index t = 0; t < n_frames; ++t) {
            for (Eigen::Index k = 0; k < n_used; ++k) band[k] = mag(first + k, t);
            // librosa sorts the band; only its q lowest and q highest values count, so two
            // partitions do when they cannot overlap (the sums then add the same values in
            // another order: a difference of a double's rounding, far below float).
            double lo = 0.0, hi = 0.0;
            if (2 * q <= n_used) {
                std::nth_element(band.begin(), band.begin() + (q - 1), band.end());
                std::nth_element(band.begin() + q, band.end() - q, band.end());
            } else {
                std::sort(band.begin(), band.end());
            }
            for (Eigen::Index k = 0; k < q; ++k) {
                lo += band[k];
                hi += band[n_used - 1 - k];
            }
            valley(b, t) = lo / double(q);
            peak(b, t) = hi / double(q);
        }
    }
    return ContrastBands{std::move(peak), std::move(valley)};
}

Eigen::MatrixXf contrast_from_bands(ContrastBands bands) {
    power_to_db_inplace(bands.peak);
    power_to_db_inplace(bands.valley);
    return Eigen::MatrixXf((bands.peak - bands.valley).cast<float>());
}

Result<Eigen::MatrixXf> spectral_contrast(const Eigen::MatrixXf& mag, int sample_rate_hz, float fmin_hz,
                                          int n_bands, float quantile, int n_fft) {
    Result<ContrastBands> bands = spectral_contrast_bands(mag, sample_rate_hz, fmin_hz, n_bands, quantile, n_fft);
    if (!bands) return bands.status;
    return contrast_from_bands(std::move(bands.value));
}

}  // namespace ser
