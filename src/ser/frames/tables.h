// Table builders and kernels shared by the features*.cpp files (window, filterbanks, tuning).
// Internal to src/core (not a contract); each function names the librosa 0.9.2 / scipy / numpy code it follows.
#pragma once
#include <Eigen/Core>
#include <vector>

namespace ser::detail {

// scipy.signal.get_window('hann', n, fftbins=True): general_cosine on linspace(-pi, pi, n+1)
// without the last point, in float64 (periodic, "DFT-even").
std::vector<double> hann_periodic(int n);

// np.fft.rfftfreq(n_fft, d=1/sr) in float64: k * (1 / (n_fft * (1/sr))), k = 0..n_fft/2.
std::vector<double> fft_frequencies(int sample_rate_hz, int n_fft);

// librosa.filters.mel(htk=False, norm='slaney', dtype=float32): [n_mels, n_fft/2+1].
// Triangles in Hz between Slaney-mel-spaced edges, built in float64; like librosa, the
// triangle is rounded to float32 before the float64 area factor and rounded again.
Eigen::MatrixXf mel_filterbank(int sample_rate_hz, int n_fft, int n_mels, double fmin_hz, double fmax_hz);

// librosa.filters.chroma(ctroct=5, octwidth=2, norm=2, base_c=True, dtype=float32):
// [n_chroma, n_fft/2+1], built in float64 and rounded once (reference README 4.8).
Eigen::MatrixXf chroma_filterbank(int sample_rate_hz, int n_fft, int n_chroma, double tuning);

// The tuning histogram of librosa.pitch_tuning: 100 bins of width 0.01 over [-0.5, 0.5];
// bin i has left edge linspace(-0.5, 0.5, 101)[i] = i*0.01 - 0.5 in float64.
constexpr int kTuningBins = 100;
double tuning_bin_edge(int i);

// librosa.estimate_tuning(S=power, sr, bins_per_octave=12) with piptrack defaults
// (fmin 150 Hz, fmax 4000 Hz, threshold 0.1, ref=max), float32 arithmetic as in librosa.
// power is column-major [n_bins, n_frames] (column t = frame t), n_fft = 2*(n_bins-1).
// Returns the index of the winning histogram bin; with no candidates the bin of 0.0 (50).
// scratch buffers are reused between calls to avoid allocation.
struct TuningScratch {
    std::vector<float> mags;
    std::vector<float> pitches;
    std::vector<float> sorted;
    std::vector<double> edges;
    std::vector<int> counts;
};
int estimate_tuning_bin(const float* power, int n_bins, int n_frames, int sample_rate_hz,
                        TuningScratch& scratch);

}  // namespace ser::detail
