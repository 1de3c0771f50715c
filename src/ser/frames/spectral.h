// Spectral shape descriptors per frame (centroid, bandwidth, roll-off, flatness, flux, slope, contrast).
// Feature stage (|STFT| [n_bins, T] from FrameFeatures::stft_mag -> [k, T]); librosa.feature.spectral_* 0.9.2 where defined.
#pragma once
#include <Eigen/Core>

#include "ser/base/status.h"

namespace ser {

// Every function takes a magnitude spectrogram `mag` laid out like FrameFeatures::stft_mag:
// [n_fft/2 + 1, T], column t = frame t, non-negative and finite, n_bins >= 2. Bin k sits at
// k * sr / n_fft Hz (librosa.fft_frequencies) with n_fft = 2 (n_bins - 1), or, where an n_fft
// argument is given (> 0, even), with that n_fft: `mag` may then hold only the lowest
// n_bins <= n_fft/2 + 1 bins (a band-limited view, e.g. below 7 kHz, that ignores the
// resampler-dependent edge near Nyquist). Each returns a [rows, T] matrix (librosa's layout)
// or an error naming the bad argument.

// librosa.feature.spectral_centroid: sum_k f_k S[k,t] / sum_k S[k,t]; 0 for an all-zero frame
// (util.normalize leaves such columns unnormalised). Hz, [1, T].
Result<Eigen::MatrixXf> spectral_centroid(const Eigen::MatrixXf& mag, int sample_rate_hz, int n_fft = 0);

// librosa.feature.spectral_bandwidth(p=2, norm=True): (sum_k S~[k,t] |f_k - centroid_t|^p)^(1/p)
// with S~ the L1-normalised column. Hz, [1, T]. p in [1, 4].
Result<Eigen::MatrixXf> spectral_bandwidth(const Eigen::MatrixXf& mag, int sample_rate_hz, float p = 2.0f,
                                           int n_fft = 0);

// librosa.feature.spectral_rolloff: the lowest bin frequency at which the cumulative magnitude
// reaches roll_percent of the column total (0 Hz for an all-zero frame). Hz, [1, T].
// roll_percent in (0, 1).
Result<Eigen::MatrixXf> spectral_rolloff(const Eigen::MatrixXf& mag, int sample_rate_hz,
                                         float roll_percent = 0.85f, int n_fft = 0);

// librosa.feature.spectral_flatness(amin=1e-10, power=2): geometric mean / arithmetic mean of
// max(amin, S^power) over the bins (Dubnov 2004). In (0, 1], [1, T]. power in [0.5, 4].
Result<Eigen::MatrixXf> spectral_flatness(const Eigen::MatrixXf& mag, float power = 2.0f,
                                          float amin = 1e-10f);

// Spectral flux (no librosa function; Essentia's Flux with norm "L2", half-rectified as in
// Dixon 2006, "Onset detection revisited"): || max(0, S~[:,t] - S~[:,t-1]) ||_2 where S~ is
// S scaled to unit L2 norm per column when `normalise` (so loudness does not count; all-zero
// columns stay zero), else S itself. flux[0] = 0. [1, T].
Result<Eigen::MatrixXf> spectral_flux(const Eigen::MatrixXf& mag, bool normalise = true);

// Spectral slope (Peeters 2004, "A large set of audio features", section 6.1.4): the slope of
// the least-squares line through (f_k, S[k,t]) divided by sum_k S[k,t], i.e.
// (K sum f S - sum f sum S) / (K sum f^2 - (sum f)^2) / sum S. 1/Hz; 0 for an all-zero frame. [1, T].
Result<Eigen::MatrixXf> spectral_slope(const Eigen::MatrixXf& mag, int sample_rate_hz, int n_fft = 0);

// librosa.feature.spectral_contrast(fmin=200, n_bands=6, quantile=0.02, linear=False)
// (Jiang et al. 2002): octave sub-bands [0, fmin], [fmin, 2 fmin], ..., the last extended to
// Nyquist; per band the mean of the top and bottom `quantile` of the sorted magnitudes (at
// least one bin each), returned as power_to_db(peak) - power_to_db(valley) with librosa's
// defaults (ref 1, amin 1e-10, top_db 80 over each whole [n_bands+1, T] matrix). dB, [n_bands + 1, T].
// Needs fmin * 2^(n_bands-1) < sr/2, fmin > 0, n_bands in [1, 12], quantile in (0, 0.5).
Result<Eigen::MatrixXf> spectral_contrast(const Eigen::MatrixXf& mag, int sample_rate_hz,
                                          float fmin_hz = 200.0f, int n_bands = 6,
                                          float quantile = 0.02f, int n_fft = 0);

// spectral_contrast in its two steps. spectral_contrast_bands: per frame, the mean of the top
// (peak) and bottom (valley) quantile of each sub-band, [n_bands + 1, T]; a column depends on its
// frame only, so a caller may compute columns separately (emo_stream.h). contrast_from_bands:
// power_to_db(peak) - power_to_db(valley), the top_db floor taken over each whole matrix.
// spectral_contrast(...) == contrast_from_bands(spectral_contrast_bands(...)).
struct ContrastBands {
    Eigen::MatrixXd peak;
    Eigen::MatrixXd valley;
};
Result<ContrastBands> spectral_contrast_bands(const Eigen::MatrixXf& mag, int sample_rate_hz, float fmin_hz = 200.0f,
                                              int n_bands = 6, float quantile = 0.02f, int n_fft = 0);
Eigen::MatrixXf contrast_from_bands(ContrastBands bands);

}  // namespace ser
