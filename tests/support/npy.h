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

}  // namespace ser::test
