// In-place products of half spectra from KissFFT's real transforms, for FFT convolution and
// correlation. Used inside the core by the pitch tracker (YIN autocorrelation) and augmentation (room impulse responses).
#pragma once
#include <cstddef>
#include <vector>

#include "kiss_fftr.h"

namespace ser {

// a[k] *= b[k] for every bin (complex product); a and b have the same length.
inline void multiply_spectra(std::vector<kiss_fft_cpx>& a, const std::vector<kiss_fft_cpx>& b) {
    for (std::size_t k = 0; k < a.size(); ++k) {
        const double re = a[k].r * b[k].r - a[k].i * b[k].i;
        const double im = a[k].r * b[k].i + a[k].i * b[k].r;
        a[k].r = re;
        a[k].i = im;
    }
}

}  // namespace ser
