// CSV export (export.h): round trips through a small CSV reader, against hand-built features.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ser/classify/export.h"

namespace {

// Minimal RFC 4180 reader for the tests: rows of fields, quotes and CRLF handled.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    rows.back().clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

ser::FrameFeatures make_features(int n_frames) {
    ser::FrameFeatures f;
    f.n_frames = n_frames;
    f.mfcc = Eigen::MatrixXf::Random(20, n_frames) * 100.0f;
    f.chroma = Eigen::MatrixXf::Random(12, n_frames).cwiseAbs();
    f.melspec_db = Eigen::MatrixXf::Random(128, n_frames) * 80.0f;
    f.zcr = Eigen::MatrixXf::Random(1, n_frames).cwiseAbs();
    f.rms = Eigen::MatrixXf::Random(1, n_frames).cwiseAbs() * 1e-3f;
    return f;
}

}  // namespace

TEST(Export, FeaturesCsvRoundTripsEveryValue) {
    const ser::FrameFeatures f = make_features(7);
    const auto rows = read_csv(ser::features_csv(f, 512, 16000));
    ASSERT_EQ(rows.size(), 1u + 7u);
    ASSERT_EQ(rows[0].size(), 3u + 20u + 12u + 128u);
    EXPECT_EQ(rows[0][0], "time_s");
    EXPECT_EQ(rows[0][3], "mfcc_0");
    EXPECT_EQ(rows[0][23], "chroma_0");
    EXPECT_EQ(rows[0][35], "mel_db_0");
    for (int t = 0; t < 7; ++t) {
        const auto& r = rows[t + 1];
        ASSERT_EQ(r.size(), rows[0].size());
        // librosa.frames_to_time: t * hop / sr.
        EXPECT_DOUBLE_EQ(std::stod(r[0]), t * 512.0 / 16000.0);
        // 9 significant digits: float32 values come back bit-exact.
        EXPECT_EQ(std::stof(r[1]), f.rms(0, t));
        EXPECT_EQ(std::stof(r[2]), f.zcr(0, t));
        for (int k = 0; k < 20; ++k) EXPECT_EQ(std::stof(r[3 + k]), f.mfcc(k, t));
        for (int k = 0; k < 12; ++k) EXPECT_EQ(std::stof(r[23 + k]), f.chroma(k, t));
        for (int k = 0; k < 128; ++k) EXPECT_EQ(std::stof(r[35 + k]), f.melspec_db(k, t));
    }
}

TEST(Export, EmptyFeaturesGiveTheHeaderOnly) {
    ser::FrameFeatures f;
    const auto rows = read_csv(ser::features_csv(f, 512, 16000));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].size(), 3u);
}

TEST(Export, TimelineCsvQuotesNamesAndLabelsTheTopClass) {
    const std::vector<std::string> classes = {"calm", "angry, loud", "say \"hi\""};
    std::vector<ser::TimelinePoint> tl(2);
    tl[0] = {0.0, 3.0, {0.2f, 0.7f, 0.1f}};
    tl[1] = {0.5, 3.5, {0.1f, 0.2f, 0.7f}};
    const auto rows = read_csv(ser::timeline_csv(classes, tl));
    ASSERT_EQ(rows.size(), 3u);
    ASSERT_EQ(rows[0].size(), 2u + 3u + 1u);
    EXPECT_EQ(rows[0][3], "angry, loud");
    EXPECT_EQ(rows[0][4], "say \"hi\"");
    EXPECT_DOUBLE_EQ(std::stod(rows[2][0]), 0.5);
    EXPECT_DOUBLE_EQ(std::stod(rows[2][1]), 3.5);
    EXPECT_EQ(std::stof(rows[1][3]), 0.7f);
    EXPECT_EQ(rows[1][5], "angry, loud");
    EXPECT_EQ(rows[2][5], "say \"hi\"");
}

TEST(Export, TimelinePointWithWrongWidthHasNoLabel) {
    const std::vector<std::string> classes = {"a", "b"};
    std::vector<ser::TimelinePoint> tl = {{0.0, 1.0, {1.0f}}};
    const auto rows = read_csv(ser::timeline_csv(classes, tl));
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_EQ(rows[1].size(), 5u);
    EXPECT_EQ(rows[1][4], "");   // no label for a malformed point, no crash
    EXPECT_EQ(rows[1][3], "");
}
