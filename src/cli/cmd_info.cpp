// `ser info FILE...`: what a file is. Audio: format, source rate, channels, duration, peak and RMS
// level; other kinds (model files) through info_hooks.h. Thin front end over ser::decode_audio.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "ser/audio/decode.h"
#include "cli.h"
#include "info_hooks.h"

namespace ser::cli {

std::vector<InfoHandler>& info_handlers() {
    static std::vector<InfoHandler> all;
    return all;
}

namespace {

void help(FILE* out) {
    std::fprintf(out,
                 "usage: ser info FILE...\n\n"
                 "Prints what each file is. Audio (WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF): format,\n"
                 "source sample rate, channels, duration, peak and RMS level over all channels in\n"
                 "dBFS (20*log10 of the value, full scale = 1.0). Model files: their summary.\n"
                 "Exit status: 0 when every file was read, 1 when any failed, 2 for bad arguments.\n");
}

std::string dbfs(double v) {
    if (v <= 0.0) return "-inf dBFS";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f dBFS", 20.0 * std::log10(v));
    return buf;
}

int print_audio(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    Result<Audio> r = decode_audio(bytes.data(), bytes.size());
    if (!r.is_ok()) {
        std::fprintf(stderr, "ser info: %s: %s\n", path.c_str(), r.status.to_string().c_str());
        return kExitFailed;
    }
    const Audio& a = r.value;
    double peak = 0.0, sum2 = 0.0;
    for (float v : a.samples) {
        peak = std::max(peak, double(std::fabs(v)));
        sum2 += double(v) * double(v);
    }
    const double rms = a.samples.empty() ? 0.0 : std::sqrt(sum2 / double(a.samples.size()));
    std::printf("%s\n", path.c_str());
    std::printf("  format:      %s\n", a.format.c_str());
    std::printf("  sample rate: %d Hz\n", a.source_rate_hz);
    std::printf("  channels:    %d\n", a.source_channels);
    std::printf("  duration:    %.3f s (%zu frames)\n", a.duration_s(), a.n_frames());
    std::printf("  peak:        %s\n", dbfs(peak).c_str());
    std::printf("  rms:         %s\n", dbfs(rms).c_str());
    return kExitOk;
}

int run_info(const Args& args) {
    std::vector<std::string> files;
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            help(stdout);
            return kExitOk;
        }
        if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "ser info: unknown option '%s'\n", a.c_str());
            help(stderr);
            return kExitUsage;
        }
        files.push_back(a);
    }
    if (files.empty()) {
        std::fprintf(stderr, "ser info: no file given\n");
        help(stderr);
        return kExitUsage;
    }
    int status = kExitOk;
    for (const std::string& path : files) {
        Result<std::vector<std::uint8_t>> bytes = read_file_bytes(path);
        if (!bytes.is_ok()) {
            std::fprintf(stderr, "ser info: %s\n", bytes.status.to_string().c_str());
            status = kExitFailed;
            continue;
        }
        InfoPrinter printer = print_audio;
        for (const InfoHandler& h : info_handlers()) {
            if (bytes.value.size() >= h.magic.size() &&
                std::memcmp(bytes.value.data(), h.magic.data(), h.magic.size()) == 0)
                printer = h.print;
        }
        if (printer(path, bytes.value) != kExitOk) status = kExitFailed;
    }
    return status;
}

const Registration reg{{"info", "what a file is: audio format, rate, channels, duration, level", run_info}};

}  // namespace
}  // namespace ser::cli
