// Status and Result: how every core function reports a data error as a value.
// Sits under everything in src/core; no exceptions cross the core (Emscripten aborts on an uncaught throw).
#pragma once
#include <cstdio>
#include <string>
#include <utility>

namespace ser {

// A data error names the module, what was found and what was expected, e.g.
// {"decode", "file is 0 bytes; expected a WAV/FLAC/OGG/MP3 stream"}.
struct Status {
    bool ok_ = true;
    std::string module;
    std::string message;

    static Status ok() { return {}; }
    static Status error(std::string module_name, std::string text) {
        Status s;
        s.ok_ = false;
        s.module = std::move(module_name);
        s.message = std::move(text);
        return s;
    }
    bool is_ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    // "module: message", the form printed by the CLI and shown by the app.
    std::string to_string() const { return ok_ ? std::string("ok") : module + ": " + message; }
};

// A number as it appears in error messages ("%g": 16000, 0.025, 1e+30).
inline std::string format_value(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A value or the Status that explains why there is none.
template <class T>
struct Result {
    Status status;
    T value{};

    Result() = default;
    Result(T v) : value(std::move(v)) {}            // NOLINT: implicit on purpose
    Result(Status s) : status(std::move(s)) {}      // NOLINT: implicit on purpose
    bool is_ok() const { return status.is_ok(); }
    explicit operator bool() const { return status.is_ok(); }
};

}  // namespace ser
