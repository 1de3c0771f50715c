// classify_files against analyse_file one file at a time: the same results, bit for bit, in the
// order given, with one thread or several; errors stay with their file.
#include <gtest/gtest.h>

#include "ser/classify/analysis.h"
#include "ser/model/model.h"
#include "ser/train/batch_classify.h"

namespace {

std::shared_ptr<const ser::ClassifierContext> shipped_3class() {
    auto m = ser::load_model_file(std::string(SER_SOURCE_DIR) + "/models/ser-3class.sermodel");
    EXPECT_TRUE(m.is_ok()) << m.status.to_string();
    auto c = ser::ClassifierContext::create(std::move(m.value));
    EXPECT_TRUE(c.is_ok()) << c.status.to_string();
    return c.value;
}

TEST(BatchClassify, EqualsOneFileAtATimeInGivenOrder) {
    const auto ctx = shipped_3class();
    ASSERT_TRUE(ctx);
    const std::string d = std::string(SER_SHARED_DIR) + "/data/ravdess/";
    const std::vector<std::string> paths = {d + "Actor_02/03-01-05-01-01-01-02.flac", d + "Actor_01/03-01-01-01-01-01-01.flac",
                                            "/no/such/file.wav", d + "Actor_03/03-01-03-02-02-01-03.flac"};
    ser::AnalysisOptions one;
    one.timeline = false;
    for (int jobs : {1, 2}) {
        const auto got = ser::classify_files(ctx, paths, jobs);
        ASSERT_EQ(got.size(), paths.size());
        for (std::size_t i = 0; i < paths.size(); ++i) {
            EXPECT_EQ(got[i].path, paths[i]);
            auto want = ser::analyse_file(ctx, paths[i], one);
            ASSERT_EQ(got[i].status.is_ok(), want.is_ok()) << paths[i];
            if (!want) {
                EXPECT_EQ(got[i].status.to_string(), want.status.to_string());
                continue;
            }
            EXPECT_EQ(got[i].result.top, want.value.result.top);
            EXPECT_EQ(got[i].result.probabilities, want.value.result.probabilities) << paths[i] << " jobs " << jobs;
        }
    }
    EXPECT_TRUE(ser::classify_files(ctx, {}, 2).empty());
}

}  // namespace
