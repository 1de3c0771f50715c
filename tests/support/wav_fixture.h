// In-memory WAV writer for tests: builds RIFF/RIFX WAVE bytes (PCM, float, extensible, extra chunks).
// Test support only; fixtures are made in code, never committed as binaries (decode tests, fuzz test).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ser::test {

struct WavSpec {
    std::uint16_t tag = 1;            // 1 PCM, 3 IEEE float, 0xFFFE extensible
    std::uint16_t channels = 1;
    std::uint32_t rate_hz = 16000;
    std::uint16_t bits = 16;          // container bits
    std::uint16_t sub_tag = 1;        // extensible only
    std::uint16_t valid_bits = 0;     // extensible only; 0 = bits
    bool big_endian = false;          // RIFX
    std::int64_t block_align = -1;    // -1 = channels * bits / 8
    std::int64_t data_size = -1;      // -1 = the real payload size (else written as is, e.g. a lie)
};

class ByteWriter {
public:
    explicit ByteWriter(bool big_endian) : big_(big_endian) {}
    void raw(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
    }
    void tag(const char* s) { raw(s, 4); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) {
            const int shift = big_ ? 8 * (n - 1 - i) : 8 * i;
            bytes.push_back(std::uint8_t(v >> shift));
        }
    }
    std::vector<std::uint8_t> bytes;

private:
    bool big_;
};

// Sample payloads in the spec's byte order.
inline std::vector<std::uint8_t> pcm_payload(const std::vector<std::int32_t>& v, int bits, bool big_endian = false) {
    ByteWriter w(big_endian);
    for (std::int32_t x : v) {
        if (bits == 8)
            w.bytes.push_back(std::uint8_t(x + 128));
        else
            w.put(std::uint64_t(std::uint32_t(x)), bits / 8);
    }
    return w.bytes;
}
inline std::vector<std::uint8_t> float_payload(const std::vector<float>& v, bool big_endian = false) {
    ByteWriter w(big_endian);
    for (float x : v) {
        std::uint32_t u;
        std::memcpy(&u, &x, 4);
        w.u32(u);
    }
    return w.bytes;
}
inline std::vector<std::uint8_t> double_payload(const std::vector<double>& v, bool big_endian = false) {
    ByteWriter w(big_endian);
    for (double x : v) {
        std::uint64_t u;
        std::memcpy(&u, &x, 8);
        w.u64(u);
    }
    return w.bytes;
}

struct ExtraChunk {
    std::string id;                   // 4 characters
    std::vector<std::uint8_t> body;   // odd sizes get the RIFF pad byte
};

// RIFF header, optional chunks before "fmt ", "fmt ", optional chunks between, then "data".
inline std::vector<std::uint8_t> make_wav(const WavSpec& s, const std::vector<std::uint8_t>& payload,
                                          const std::vector<ExtraChunk>& before_fmt = {},
                                          const std::vector<ExtraChunk>& before_data = {}) {
    ByteWriter w(s.big_endian);
    w.tag(s.big_endian ? "RIFX" : "RIFF");
    w.u32(0);  // patched below
    w.tag("WAVE");
    auto extra = [&](const ExtraChunk& c) {
        w.tag(c.id.c_str());
        w.u32(std::uint32_t(c.body.size()));
        w.raw(c.body.data(), c.body.size());
        if (c.body.size() & 1) w.bytes.push_back(0);
    };
    for (const auto& c : before_fmt) extra(c);
    const bool ext = s.tag == 0xFFFE;
    w.tag("fmt ");
    w.u32(ext ? 40 : 16);
    w.u16(s.tag);
    w.u16(s.channels);
    w.u32(s.rate_hz);
    const std::uint32_t align = s.block_align >= 0 ? std::uint32_t(s.block_align) : std::uint32_t(s.channels) * s.bits / 8;
    w.u32(s.rate_hz * align);
    w.u16(std::uint16_t(align));
    w.u16(s.bits);
    if (ext) {
        w.u16(22);
        w.u16(s.valid_bits ? s.valid_bits : s.bits);
        w.u32(0);  // channel mask
        w.u32(s.sub_tag);
        w.u16(0x0000);
        w.u16(0x0010);
        const std::uint8_t tail[8] = {0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
        w.raw(tail, 8);
    }
    for (const auto& c : before_data) extra(c);
    w.tag("data");
    w.u32(s.data_size >= 0 ? std::uint32_t(s.data_size) : std::uint32_t(payload.size()));
    w.raw(payload.data(), payload.size());
    if (payload.size() & 1) w.bytes.push_back(0);
    // RIFF size = file size - 8, in the file's byte order.
    ByteWriter size(s.big_endian);
    size.u32(std::uint32_t(w.bytes.size() - 8));
    std::memcpy(w.bytes.data() + 4, size.bytes.data(), 4);
    return w.bytes;
}

}  // namespace ser::test
