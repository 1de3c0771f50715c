// Reader for NumPy .npy files (version 1.0/2.0, little-endian float32/float64, C order) used by tests.
// Test support only: loads ../shared/reference golden arrays (reference/README.md "npy format").
#pragma once
#include <string>
#include <vector>

namespace ser::test {

struct NpyArray {
    std::vector<long> shape;
    std::vector<float> data;   // row-major; element (f, t) of a 2-D array is data[f * shape[1] + t]
    std::string error;         // empty when the read worked
    bool ok() const { return error.empty(); }
    long rows() const { return shape.empty() ? 0 : shape[0]; }
    long cols() const { return shape.size() < 2 ? 1 : shape[1]; }
};

NpyArray read_npy(const std::string& path);

// Path of a file below ../shared (SER_SHARED_DIR), e.g. shared_path("reference/manifest.json").
std::string shared_path(const std::string& relative);

// Real speech for stream tests: the three RAVDESS clips of ../shared/reference/signals (angry,
// neutral, happy; 16 kHz, 11 s in all) one after the other at gains 0.3, 1 and 2.5, so that the
// level of a sliding window changes. Empty (and `error` set) when a file cannot be read.
std::vector<float> speech_at_three_levels(std::string* error = nullptr);

}  // namespace ser::test
