// The model card reader: a shipped model's metadata (written by `ser train`, not by this reader),
// the multi-corpus form, and metadata it cannot read (empty card, no throw).
#include <gtest/gtest.h>

#include <numeric>

#include "ser/model/model.h"
#include "ser/model/model_card.h"

namespace {

TEST(ModelCard, ShippedModelCardIsReadFromItsMetadata) {
    auto m = ser::load_model_file(std::string(SER_SOURCE_DIR) + "/models/ser-3class.sermodel");
    ASSERT_TRUE(m.is_ok()) << m.status.to_string();
    const ser::ModelCard card = ser::read_model_card(m.value.metadata_json);
    // models/README.md: RAVDESS 20 + ASED 64 + SAVEE 4 + nEMO 9 speakers, 2452 clips.
    ASSERT_EQ(card.corpora.size(), 4u);
    int corpus_clips = 0, corpus_speakers = 0;
    for (const auto& c : card.corpora) {
        corpus_clips += c.n_clips;
        corpus_speakers += c.n_speakers;
    }
    EXPECT_EQ(card.n_speakers, 97);
    EXPECT_EQ(corpus_speakers, card.n_speakers);
    EXPECT_EQ(card.n_clips, 2452);
    EXPECT_EQ(corpus_clips, card.n_clips);
    for (const auto& c : card.corpora) EXPECT_FALSE(c.licence.empty()) << c.name;
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

TEST(ModelCard, CorporaWrittenAreReadBack) {
    ser::ModelCard::Corpus a;
    a.name = "savee";
    a.n_speakers = 4;
    a.n_clips = 240;
    a.clips_per_class = {{"angry", 60}, {"neutral", 120}, {"happy", 60}};
    a.licence = "free for research use";
    ser::ModelCard::Corpus b;
    b.name = "extra";  // a manifest's corpus: no licence known
    b.n_speakers = 1;
    b.n_clips = 3;
    const nlohmann::ordered_json meta = {{"corpora", ser::corpora_metadata({a, b})}};
    const ser::ModelCard card = ser::read_model_card(meta.dump());
    ASSERT_EQ(card.corpora.size(), 2u);
    EXPECT_EQ(card.corpora[0].name, "savee");
    EXPECT_EQ(card.corpora[0].n_clips, 240);
    EXPECT_EQ(card.corpora[0].clips_per_class, a.clips_per_class);
    EXPECT_EQ(card.corpora[0].licence, a.licence);
    EXPECT_EQ(card.corpora[1].licence, "");
    EXPECT_EQ(card.n_speakers, 5);
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
