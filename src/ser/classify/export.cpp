// CSV export of features and timelines (see export.h).
#include "ser/classify/export.h"

#include <algorithm>
#include <cstdio>

namespace ser {

namespace {

void put(std::string& out, double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    out += buf;
}

// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
std::string field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

void put_matrix_header(std::string& out, const char* prefix, long n) {
    for (long i = 0; i < n; ++i) {
        out += ',';
        out += prefix;
        out += std::to_string(i);
    }
}

void put_column(std::string& out, const Eigen::MatrixXf& m, int t) {
    if (t >= m.cols()) return;
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        out += ',';
        put(out, m(i, t));
    }
}

}  // namespace

std::string features_csv(const FrameFeatures& f, int hop_length, int sample_rate_hz, double offset_s) {
    std::string out = "time_s,rms,zcr";
    put_matrix_header(out, "mfcc_", f.mfcc.rows());
    put_matrix_header(out, "chroma_", f.chroma.rows());
    put_matrix_header(out, "mel_db_", f.melspec_db.rows());
    out += "\r\n";
    const double step_s = sample_rate_hz > 0 ? double(hop_length) / sample_rate_hz : 0.0;
    for (int t = 0; t < f.n_frames; ++t) {
        put(out, offset_s + t * step_s);
        out += ',';
        if (t < f.rms.cols()) put(out, f.rms(0, t));
        out += ',';
        if (t < f.zcr.cols()) put(out, f.zcr(0, t));
        put_column(out, f.mfcc, t);
        put_column(out, f.chroma, t);
        put_column(out, f.melspec_db, t);
        out += "\r\n";
    }
    return out;
}

std::string timeline_csv(const std::vector<std::string>& classes, const std::vector<TimelinePoint>& timeline) {
    std::string out = "start_s,end_s";
    for (const auto& c : classes) out += "," + field(c);
    out += ",label\r\n";
    for (const auto& p : timeline) {
        put(out, p.start_s);
        out += ',';
        put(out, p.end_s);
        for (std::size_t k = 0; k < classes.size(); ++k) {
            out += ',';
            if (k < p.probabilities.size()) put(out, p.probabilities[k]);
        }
        out += ',';
        if (!p.probabilities.empty() && p.probabilities.size() == classes.size()) {
            auto top = std::max_element(p.probabilities.begin(), p.probabilities.end()) - p.probabilities.begin();
            out += field(classes[std::size_t(top)]);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace ser
