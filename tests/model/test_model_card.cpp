// The model card reader: a shipped model's metadata (written by `ser train`, not by this reader),
// the multi-corpus form, and metadata it cannot read (empty card, no throw).
#include <gtest/gtest.h>

#include <numeric>

#include "ser/model/model.h"
#include "ser/model/model_card.h"

namespace {

TEST(ModelCard, ShippedModelCardIsReadFromItsMetadata) {
    auto m = ser::load_model_file(std::string(SER_SOURCE_DIR) + "/models/ravdess-3class.sermodel");
    ASSERT_TRUE(m.is_ok()) << m.status.to_string();
    const ser::ModelCard card = ser::read_model_card(m.value.metadata_json);
    ASSERT_EQ(card.corpora.size(), 1u);
    EXPECT_EQ(card.corpora[0].name, "ravdess");
    EXPECT_EQ(card.n_speakers, 20);
    EXPECT_EQ(card.n_clips, 400);
    int per_class = 0;
    for (const auto& kv : card.clips_per_class) per_class += kv.second;
    EXPECT_EQ(per_class, card.n_clips);
    const ser::ModelFigure* head = ser::headline_figure(card.figures);
    ASSERT_NE(head, nullptr);
    EXPECT_EQ(head->protocol, "speaker");
    EXPECT_EQ(head->headline().rfind("speaker-independent accuracy ", 0), 0u) << head->headline();
    // The pooled confusion covers every clip once, rows in the model's class order.
    ASSERT_EQ(head->confusion.size(), m.value.classes.size());
    EXPECT_EQ(head->confusion_classes, m.value.classes);
    int total = 0, diagonal = 0;
    for (std::size_t r = 0; r < head->confusion.size(); ++r) {
        total += std::accumulate(head->confusion[r].begin(), head->confusion[r].end(), 0);
        diagonal += head->confusion[r][r];
    }
    EXPECT_EQ(total, card.n_clips);
    EXPECT_NEAR(double(diagonal) / total, head->accuracy, 0.01);  // pooled vs mean over 5 equal folds
}

TEST(ModelCard, CorporaListAndPerCorpusFigures) {
    const char* meta = R"({"corpora": [{"name": "ravdess", "n_speakers": 20, "n_clips": 400, "licence": "CC BY-NC-SA 4.0"},
                                      {"name": "ased", "n_speakers": 65, "n_clips": 900}],
        "figures": {"loco": {"accuracy": 0.7, "uar": 0.68,
                             "per_corpus": {"ravdess": {"uar": 0.66, "accuracy": 0.7, "n": 400}, "ased": {"uar": 0.7, "n": 900}},
                             "pooled": {"classes": ["a", "b"], "confusion": [[3, 1], [0, 4]]}}}})";
    const ser::ModelCard card = ser::read_model_card(meta);
    ASSERT_EQ(card.corpora.size(), 2u);
    EXPECT_EQ(card.corpora[0].licence, "CC BY-NC-SA 4.0");
    EXPECT_EQ(card.n_speakers, 85);
    ASSERT_EQ(card.figures.size(), 1u);
    EXPECT_EQ(card.figures[0].headline(), "leave-one-corpus-out accuracy 70.0%, UAR 68.0%");
    ASSERT_EQ(card.figures[0].per_corpus.size(), 2u);
    EXPECT_EQ(card.figures[0].per_corpus[1].corpus, "ased");
    EXPECT_DOUBLE_EQ(card.figures[0].per_corpus[1].uar, 0.7);
    EXPECT_EQ(card.figures[0].per_corpus[1].n, 900);
    EXPECT_EQ(card.figures[0].confusion[1][1], 4);
}

TEST(ModelCard, UnreadableMetadataGivesAnEmptyCard) {
    for (const char* bad : {"", "not json", "[1,2]", R"({"corpora": 5, "figures": {"speaker": {"pooled": {"confusion": [[1]]}}}})",
                            R"({"figures": {"speaker": {"accuracy": 0.5, "pooled": {"classes": ["a", "b"], "confusion": [[1, 2], [3]]}}}})"}) {
        const ser::ModelCard card = ser::read_model_card(bad);
        EXPECT_TRUE(card.corpora.empty()) << bad;
        for (const auto& f : card.figures) EXPECT_TRUE(f.confusion.empty()) << bad;  // ragged matrix dropped
    }
}

}  // namespace
