// --map label rules and class selection: valid rules, unknown labels, malformed rules, conflicts and
// chains are refused with a message; applying counts every change; selection says what it left out.
#include <gtest/gtest.h>

#include "ser/train/corpus/labels.h"

namespace {

using ser::corpus::ClipRecord;

ClipRecord clip(const std::string& label, const std::string& path) {
    ClipRecord c;
    c.label = label;
    c.path = path;
    return c;
}

TEST(CorpusMap, ParsesValidRules) {
    const auto known = ser::corpus::known_labels();
    auto one = ser::corpus::parse_label_map({"calm=neutral"}, known);
    ASSERT_TRUE(one.is_ok()) << one.status.to_string();
    ASSERT_EQ(one.value.rules.size(), 1u);
    EXPECT_EQ(one.value.rules[0].from, "calm");
    EXPECT_EQ(one.value.rules[0].to, "neutral");
    EXPECT_EQ(one.value.apply("calm"), "neutral");
    EXPECT_EQ(one.value.apply("sad"), "sad");
    // Several per argument, several arguments, case and spaces ignored, a repeated identical rule kept once.
    auto many = ser::corpus::parse_label_map({" Boredom = Neutral ,surprised=happy", "calm=neutral", "calm=neutral"}, known);
    ASSERT_TRUE(many.is_ok()) << many.status.to_string();
    ASSERT_EQ(many.value.rules.size(), 3u);
    EXPECT_EQ(many.value.apply("boredom"), "neutral");
    EXPECT_EQ(many.value.apply("surprised"), "happy");
    EXPECT_TRUE(ser::corpus::parse_label_map({}, known).value.empty());
}

TEST(CorpusMap, RefusesUnknownLabels) {
    const auto known = ser::corpus::known_labels();
    for (const char* rule : {"clam=neutral", "calm=neutrall", "anger=angry"}) {
        auto r = ser::corpus::parse_label_map({rule}, known);
        ASSERT_FALSE(r.is_ok()) << rule;
        EXPECT_EQ(r.status.module, "corpus");
        EXPECT_NE(r.status.message.find("unknown label"), std::string::npos) << r.status.message;
        EXPECT_NE(r.status.message.find(std::string("'") + rule + "'"), std::string::npos) << r.status.message;
        EXPECT_NE(r.status.message.find("expected one of"), std::string::npos);
    }
}

TEST(CorpusMap, RefusesMalformedConflictingAndChainedRules) {
    const auto known = ser::corpus::known_labels();
    const std::pair<std::vector<std::string>, const char*> bad[] = {
        {{"calm"}, "malformed"},
        {{"calm="}, "malformed"},
        {{"=neutral"}, "malformed"},
        {{"calm=neutral=sad"}, "malformed"},
        {{"calm=neutral,"}, "empty rule"},
        {{""}, "empty rule"},
        {{"calm=neutral", "calm=happy"}, "already mapped to 'neutral'"},
        {{"calm=neutral,neutral=sad"}, "is itself mapped"},
    };
    for (const auto& [rules, why] : bad) {
        auto r = ser::corpus::parse_label_map(rules, known);
        ASSERT_FALSE(r.is_ok()) << rules.front();
        EXPECT_NE(r.status.message.find(why), std::string::npos) << r.status.message;
        EXPECT_NE(r.status.message.find("expected"), std::string::npos) << r.status.message;
    }
}

TEST(CorpusMap, AppliesOnceAndCountsEveryChange) {
    std::vector<ClipRecord> clips = {clip("calm", "a"), clip("calm", "b"), clip("boredom", "c"), clip("sad", "d")};
    auto map = ser::corpus::parse_label_map({"calm=neutral,surprised=happy"}, ser::corpus::known_labels(clips));
    ASSERT_TRUE(map.is_ok());
    const auto counts = ser::corpus::apply_label_map(clips, map.value);
    EXPECT_EQ(counts.at("calm=neutral"), 2u);
    EXPECT_EQ(counts.at("surprised=happy"), 0u);  // a rule that matched nothing is visible too
    EXPECT_EQ(clips[0].label, "neutral");
    EXPECT_EQ(clips[1].label, "neutral");
    EXPECT_EQ(clips[2].label, "boredom");
    EXPECT_EQ(clips[3].label, "sad");
}

TEST(CorpusClasses, ParsesAndSelects) {
    const auto known = ser::corpus::known_labels();
    auto list = ser::corpus::parse_class_list("angry, Happy,neutral", known);
    ASSERT_TRUE(list.is_ok()) << list.status.to_string();
    EXPECT_EQ(list.value, (std::vector<std::string>{"angry", "happy", "neutral"}));
    EXPECT_NE(ser::corpus::parse_class_list("angry,,happy", known).status.message.find("empty item"), std::string::npos);
    EXPECT_NE(ser::corpus::parse_class_list("angry,angry", known).status.message.find("twice"), std::string::npos);
    EXPECT_NE(ser::corpus::parse_class_list("angry,joy", known).status.message.find("unknown label 'joy'"), std::string::npos);

    const std::vector<ClipRecord> clips = {clip("angry", "a"), clip("boredom", "b"), clip("calm", "c"), clip("happy", "d")};
    // Default: the vocabulary, so boredom is left out and said so.
    const auto all = ser::corpus::select_classes(clips, {});
    EXPECT_EQ(all.clips.size(), 3u);
    EXPECT_EQ(all.left_out, (std::map<std::string, std::size_t>{{"boredom", 1}}));
    const auto three = ser::corpus::select_classes(clips, list.value);
    ASSERT_EQ(three.clips.size(), 2u);
    EXPECT_EQ(three.clips[0].path, "a");
    EXPECT_EQ(three.left_out, (std::map<std::string, std::size_t>{{"boredom", 1}, {"calm", 1}}));
    EXPECT_EQ(three.absent, (std::vector<std::string>{"neutral"}));
    // Asked for by name, an outside label is kept.
    EXPECT_EQ(ser::corpus::select_classes(clips, {"boredom"}).clips.size(), 1u);
}

}  // namespace
