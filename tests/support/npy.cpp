// Reader for NumPy .npy files used by the parity tests (see npy.h).
#include "npy.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ser::test {

std::string shared_path(const std::string& relative) { return std::string(SER_SHARED_DIR) + "/" + relative; }

NpyArray read_npy(const std::string& path) {
    NpyArray out;
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        out.error = "cannot open " + path;
        return out;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
        out.error = path + ": not an npy file";
        return out;
    }
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t header_len = 0, header_start = 0;
    if (major == 1) {
        header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        header_start = 10;
    } else {
        if (bytes.size() < 12) { out.error = path + ": truncated header"; return out; }
        std::uint32_t n = 0;
        std::memcpy(&n, bytes.data() + 8, 4);
        header_len = n;
        header_start = 12;
    }
    if (header_start + header_len > bytes.size()) {
        out.error = path + ": truncated header";
        return out;
    }
    const std::string header(bytes.data() + header_start, header_len);
    const bool is_f4 = header.find("'<f4'") != std::string::npos;
    const bool is_f8 = header.find("'<f8'") != std::string::npos;
    if ((!is_f4 && !is_f8) || header.find("'fortran_order': False") == std::string::npos) {
        out.error = path + ": only little-endian float32/float64 in C order are supported: " + header;
        return out;
    }
    const auto open = header.find('(', header.find("'shape'"));
    const auto close = header.find(')', open);
    std::stringstream dims(header.substr(open + 1, close - open - 1));
    std::string item;
    long count = 1;
    while (std::getline(dims, item, ',')) {
        if (item.find_first_of("0123456789") == std::string::npos) continue;
        out.shape.push_back(std::stol(item));
        count *= out.shape.back();
    }
    const std::size_t data_start = header_start + header_len;
    const std::size_t item_size = is_f4 ? 4 : 8;
    if (bytes.size() < data_start + count * item_size) {
        out.error = path + ": truncated data";
        return out;
    }
    out.data.resize(count);
    for (long i = 0; i < count; ++i) {
        if (is_f4) {
            std::memcpy(&out.data[i], bytes.data() + data_start + i * 4, 4);
        } else {
            double d;
            std::memcpy(&d, bytes.data() + data_start + i * 8, 8);
            out.data[i] = static_cast<float>(d);
        }
    }
    return out;
}

std::vector<float> speech_at_three_levels(std::string* error) {
    std::vector<float> x;
    const char* names[] = {"ravdess_a01_angry", "ravdess_a02_neutral", "ravdess_a03_happy"};
    const float gains[] = {0.3f, 1.0f, 2.5f};
    for (int i = 0; i < 3; ++i) {
        const NpyArray a = read_npy(shared_path(std::string("reference/signals/") + names[i] + ".npy"));
        if (!a.ok()) {
            if (error) *error = a.error;
            return {};
        }
        for (float v : a.data) x.push_back(v * gains[i]);
    }
    return x;
}

}  // namespace ser::test
