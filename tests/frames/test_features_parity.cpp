// Parity of every frame feature with librosa 0.9.2: each file of ../shared/reference (both configs),
// element-wise |x - ref| <= atol + rtol*|ref| with the manifest's per-file tolerances (reference README 6).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"
#include "npy.h"

namespace {

using ser::test::NpyArray;
using ser::test::read_npy;
using ser::test::shared_path;
using json = nlohmann::json;

const json& manifest() {
    static const json m = [] {
        std::ifstream f(shared_path("reference/manifest.json"));
        json j;
        if (f) j = json::parse(f, nullptr, /*allow_exceptions=*/false);
        return j;
    }();
    return m;
}

// Worst error/tolerance ratio per feature, printed at the end of each config's test (docs/features.md).
std::map<std::string, double>& worst() {
    static std::map<std::string, double> w;
    return w;
}

void note(const std::string& key, double ratio) {
    double& w = worst()[key];
    w = std::max(w, ratio);
}

// Compares got (Eigen, [F, T]) with a row-major reference; returns the worst ratio.
// When mask_db is set, only elements with ref >= mask_db are compared.
double compare(const Eigen::MatrixXf& got, const NpyArray& ref, double rtol, double atol,
               const std::string& what, double mask_min = -INFINITY) {
    EXPECT_EQ(got.rows(), ref.rows()) << what;
    EXPECT_EQ(got.cols(), ref.cols()) << what;
    if (got.rows() != ref.rows() || got.cols() != ref.cols()) return INFINITY;
    double worst_ratio = 0.0;
    long n_bad = 0;
    std::string first_bad;
    for (long f = 0; f < ref.rows(); ++f) {
        for (long t = 0; t < ref.cols(); ++t) {
            const double r = ref.data[f * ref.cols() + t];
            if (r < mask_min) continue;
            const double x = got(f, t);
            const double tol = atol + rtol * std::fabs(r);
            const double err = std::fabs(x - r);
            const double ratio = tol > 0 ? err / tol : (err > 0 ? INFINITY : 0.0);
            if (!(err <= tol)) {
                if (n_bad++ == 0) {
                    char buf[200];
                    std::snprintf(buf, sizeof buf, "(%ld, %ld): got %.9g, ref %.9g, tol %.3g", f, t, x, r, tol);
                    first_bad = buf;
                }
            }
            worst_ratio = std::max(worst_ratio, ratio);
        }
    }
    EXPECT_EQ(n_bad, 0) << what << ": " << n_bad << " elements out of tolerance, first " << first_bad;
    return worst_ratio;
}

Eigen::MatrixXf as_matrix(const NpyArray& a) {
    Eigen::MatrixXf m(a.rows(), a.cols());
    for (long f = 0; f < a.rows(); ++f)
        for (long t = 0; t < a.cols(); ++t) m(f, t) = a.data[f * a.cols() + t];
    return m;
}

Eigen::MatrixXf column(const std::vector<float>& v) {
    return Eigen::Map<const Eigen::MatrixXf>(v.data(), Eigen::Index(v.size()), 1);
}

ser::FeatureConfig config_for(const std::string& name) {
    auto c = ser::config_by_name(name);
    EXPECT_TRUE(c.is_ok()) << c.status.to_string();
    return c.value;
}

std::vector<const json*> entries(const std::string& config, const std::string& input) {
    std::vector<const json*> out;
    for (const json& e : manifest()["files"]) {
        if (e["config"].is_string() && e["config"] == config &&
            ((input.empty() && e["input"].is_null()) || (e["input"].is_string() && e["input"] == input)))
            out.push_back(&e);
    }
    return out;
}

void check_filters(const std::string& config) {
    ser::FeatureExtractor fx(config_for(config));
    ASSERT_TRUE(fx.status().is_ok()) << fx.status().to_string();
    int n_checked = 0;
    for (const json* e : entries(config, "")) {
        const std::string feature = (*e)["feature"];
        const std::string file = (*e)["file"];
        const double rtol = (*e)["tolerance"]["rtol"], atol = (*e)["tolerance"]["atol"];
        SCOPED_TRACE(file);
        const NpyArray ref = read_npy(shared_path("reference/" + file));
        ASSERT_TRUE(ref.ok()) << ref.error;
        if (feature == "window") {
            // The bare win_length window: the centred part of window().
            const int off = (fx.config().n_fft - fx.config().win_length) / 2;
            Eigen::MatrixXf w = fx.window().segment(off, fx.config().win_length);
            note(config + " window", compare(w, ref, rtol, atol, file));
        } else if (feature == "window_padded") {
            note(config + " window", compare(Eigen::MatrixXf(fx.window()), ref, rtol, atol, file));
        } else if (feature == "mel_filterbank") {
            note(config + " mel filterbank", compare(fx.mel_filterbank(), ref, rtol, atol, file));
        } else if (feature == "chroma_filterbank") {
            note(config + " chroma filterbank",
                 compare(fx.chroma_filterbank(float((*e)["tuning"].get<double>())), ref, rtol, atol, file));
        } else {
            ADD_FAILURE() << "unexpected filter entry " << feature;
            continue;
        }
        ++n_checked;
    }
    EXPECT_GE(n_checked, 3);
}

// Top histogram bins of a fragile tuning estimate (manifest estimation_diagnostics), used to
// accept a near-tied bin: it must be one of the listed bins within 1 count of the winner.
bool tuning_among_near_ties(const json& diag, float tuning) {
    if (!diag.contains("histogram_top5")) return false;
    const int best = diag["histogram_top5"][0][1];
    for (const json& item : diag["histogram_top5"]) {
        const double edge = item[0];
        const int count = item[1];
        if (count >= best - 1 && count > 0 && std::fabs(edge - tuning) < 1e-6) return true;
    }
    return false;
}

void check_input(const std::string& config, const std::string& input) {
    SCOPED_TRACE(config + " " + input);
    const NpyArray sig = read_npy(shared_path("reference/signals/" + input + ".npy"));
    ASSERT_TRUE(sig.ok()) << sig.error;
    ser::FeatureExtractor fx(config_for(config));
    ASSERT_TRUE(fx.status().is_ok());
    ser::FrameFeatures ff;
    const ser::Status st = fx.compute(sig.data.data(), sig.data.size(), ff);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    const Eigen::MatrixXf power = ff.stft_mag.array().square().matrix();
    float ref_tuning = fx.config().tuning;
    int n_checked = 0;
    const auto all = entries(config, input);
    // chroma_tuning first: the chroma checks use the stored tuning.
    for (const json* e : all)
        if ((*e)["feature"] == "chroma_tuning") ref_tuning = float((*e)["value"].get<double>());

    for (const json* e : all) {
        const std::string feature = (*e)["feature"];
        const std::string file = (*e)["file"];
        const json& tol = (*e)["tolerance"];
        const double rtol = tol["rtol"], atol = tol["atol"];
        SCOPED_TRACE(file);
        const NpyArray ref = read_npy(shared_path("reference/" + file));
        ASSERT_TRUE(ref.ok()) << ref.error;
        const std::string key = config + " " + feature;
        if (feature == "stft_mag") {
            note(key, compare(ff.stft_mag, ref, rtol, atol, file));
        } else if (feature == "melspec") {
            note(key, compare(ff.melspec, ref, rtol, atol, file));
        } else if (feature == "melspec_db") {
            note(key, compare(ff.melspec_db, ref, rtol, atol, file));
            // strict rule: bins within 40 dB of the file's max.
            const double within = tol["strict"]["within_db_of_max"], strict_atol = tol["strict"]["atol"];
            const double ref_max = *std::max_element(ref.data.begin(), ref.data.end());
            note(key + " strict", compare(ff.melspec_db, ref, 0.0, strict_atol, file + " strict", ref_max - within));
        } else if (feature == "mfcc") {
            const int n_mfcc = (*e)["n_mfcc"];
            if (n_mfcc == fx.config().n_mfcc) {
                note(key, compare(ff.mfcc, ref, rtol, atol, file));
            } else {
                ser::FeatureConfig c = fx.config();
                c.n_mfcc = n_mfcc;
                ser::FeatureExtractor fx2(c);
                ASSERT_TRUE(fx2.status().is_ok()) << fx2.status().to_string();
                ser::FrameFeatures ff2;
                ASSERT_TRUE(fx2.compute(sig.data.data(), sig.data.size(), ff2).is_ok());
                note(key, compare(ff2.mfcc, ref, rtol, atol, file));
            }
        } else if (feature == "chroma_tuning") {
            const json& diag = (*e)["estimation_diagnostics"];
            const bool fragile = diag.value("fragile", false);
            const float estimated = fx.estimate_tuning(power);
            EXPECT_FLOAT_EQ(estimated, ff.tuning) << "compute() and estimate_tuning() disagree";
            const bool exact = std::fabs(double(estimated) - double(ref.data[0])) <= atol;
            if (!exact) {
                EXPECT_TRUE(fragile && tuning_among_near_ties(diag, estimated))
                    << "tuning " << estimated << ", reference " << ref.data[0]
                    << (fragile ? " (fragile, but not a near-tied top bin)" : " (not fragile)");
                std::printf("[ note     ] %s %s: tuning %.2f, reference %.2f (fragile near-tie)\n", config.c_str(),
                            input.c_str(), estimated, ref.data[0]);
            }
            note(config + " tuning mismatches", exact ? 0.0 : 1.0);
        } else if (feature == "chroma") {
            // Step 2: with the stored tuning (for C2 the fixed 0.0, also what compute() used).
            const float tuning = float((*e)["tuning"].get<double>());
            note(key, compare(fx.chroma_from_power(power, tuning), ref, rtol, atol, file));
            if (!fx.config().estimate_tuning || std::fabs(ff.tuning - ref_tuning) < 1e-6f)
                note(key + " (compute)", compare(ff.chroma, ref, rtol, atol, file + " via compute()"));
        } else if (feature == "chroma_filterbank") {
            const float tuning = float((*e)["tuning"].get<double>());
            note(config + " chroma filterbank", compare(fx.chroma_filterbank(tuning), ref, rtol, atol, file));
        } else if (feature == "zcr") {
            note(key, compare(ff.zcr, ref, rtol, atol, file));
        } else if (feature == "rms") {
            note(key, compare(ff.rms, ref, rtol, atol, file));
        } else if (feature == "seed_vector") {
            ser::FeatureVector v;
            const ser::Status s = ser::compute_feature_vector("seed", fx, sig.data.data(), sig.data.size(), v);
            ASSERT_TRUE(s.is_ok()) << s.to_string();
            ASSERT_EQ(v.values.size(), std::size_t(ref.rows()));
            if (std::fabs(ff.tuning - ref_tuning) >= 1e-6f) {
                // Near-tied tuning bin (accepted above): compare the chroma means at the stored tuning.
                const Eigen::MatrixXf c = fx.chroma_from_power(power, ref_tuning);
                for (int i = 0; i < c.rows(); ++i) v.values[1 + i] = c.row(i).mean();
            }
            const Eigen::MatrixXf got = column(v.values);
            for (const json& seg : (*e)["segments"]) {
                const int start = seg["start"], stop = seg["stop"];
                NpyArray part;
                part.shape = {stop - start};
                part.data.assign(ref.data.begin() + start, ref.data.begin() + stop);
                const std::string name = seg["name"];
                note(config + " seed " + name, compare(got.middleRows(start, stop - start), part, seg["rtol"],
                                                       seg["atol"], file + " " + name));
            }
        } else {
            ADD_FAILURE() << "unexpected entry " << feature;
            continue;
        }
        ++n_checked;
    }
    EXPECT_GE(n_checked, 7) << "reference files missing for " << input;
}

void run_config(const std::string& config) {
    ASSERT_FALSE(manifest().is_discarded()) << "manifest.json unreadable";
    ASSERT_TRUE(manifest().contains("inputs"));
    check_filters(config);
    int n_inputs = 0;
    for (auto it = manifest()["inputs"].begin(); it != manifest()["inputs"].end(); ++it) {
        if (it.key() == "tones_48k") continue;
        check_input(config, it.key());
        ++n_inputs;
    }
    EXPECT_EQ(n_inputs, 10);
    for (const auto& [k, v] : worst())
        if (k.rfind(config, 0) == 0) std::printf("[ parity   ] %-32s worst error/tolerance %.4f\n", k.c_str(), v);
}

TEST(FeatureParity, C1AgainstLibrosa) { run_config("C1"); }
TEST(FeatureParity, C2AgainstLibrosa) { run_config("C2"); }

}  // namespace
