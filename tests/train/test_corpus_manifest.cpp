// The CSV manifest reader and its RFC 4180 parser: relative paths, missing files, labels outside the
// vocabulary, BOM, quoted fields, blank lines, and every refused row reported with its line number.
#include <gtest/gtest.h>

#include <filesystem>

#include "corpus_tree.h"
#include "ser/train/corpus/csv.h"
#include "ser/train/corpus/labels.h"
#include "ser/train/corpus/registry.h"

namespace {

namespace fs = std::filesystem;
using ser::corpus::ClipRecord;

bool has(const std::vector<std::string>& lines, const std::string& part) {
    for (const std::string& l : lines)
        if (l.find(part) != std::string::npos) return true;
    return false;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const std::string& l : lines) s += l + "\n";
    return s;
}

TEST(CorpusCsv, QuotedFieldsBomBlankLinesAndErrors) {
    const auto r = ser::corpus::parse_csv(
        "\xEF\xBB\xBFpath,label\r\n"
        "\"a, b.wav\",happy\r\n"
        "\r\n"
        "\"say \"\"hi\"\".wav\",sad\n"
        "\"two\nlines.wav\",angry\n"
        "plain.wav,neutral\n"
        "bad\"quote.wav,calm\n"
        "\"after\"x,calm\n"
        "last.wav,calm");
    ASSERT_EQ(r.size(), 8u);
    EXPECT_EQ(r[0].fields, (std::vector<std::string>{"path", "label"}));  // BOM gone
    EXPECT_EQ(r[1].fields, (std::vector<std::string>{"a, b.wav", "happy"}));
    EXPECT_EQ(r[2].line, 4);  // the blank line 3 is dropped
    EXPECT_EQ(r[2].fields[0], "say \"hi\".wav");
    EXPECT_EQ(r[3].fields[0], "two\nlines.wav");
    EXPECT_EQ(r[3].line, 5);
    EXPECT_EQ(r[4].line, 7);  // after a record spanning lines 5-6
    EXPECT_NE(r[5].error.find("quote inside an unquoted field"), std::string::npos);
    EXPECT_NE(r[6].error.find("text after a closing quote"), std::string::npos);
    EXPECT_EQ(r[7].fields, (std::vector<std::string>{"last.wav", "calm"}));  // no final newline
    const auto open = ser::corpus::parse_csv("path,label\n\"never,closed\n");
    ASSERT_EQ(open.size(), 2u);
    EXPECT_NE(open[1].error.find("quote opened on line 2 never closes"), std::string::npos);
}

class CorpusManifestTree : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = ser::test::make_tree("manifest", {"sub/clips/a.wav", "sub/clips/b, c.wav", "sub/clips/say \"hi\".wav",
                                                  "up.wav", "sub/clips/d.flac", "sub/clips/e.wav"});
    }
    std::string manifest(const std::string& name, const std::string& text) {
        const fs::path p = root_ / "sub" / name;
        ser::test::write_file(p, text);
        return p.string();
    }
    fs::path root_;
};

TEST_F(CorpusManifestTree, RelativePathsDefaultsAndQuotedNames) {
    const std::string m = manifest("extra.csv",
                                   "\xEF\xBB\xBFpath,label\r\n"
                                   "clips/a.wav,Happy\r\n"
                                   "\r\n"
                                   "\"clips/b, c.wav\",sad\r\n"
                                   "\"clips/say \"\"hi\"\".wav\",angry\r\n"
                                   "../up.wav,neutral\r\n");
    EXPECT_EQ(ser::corpus::recognise_corpus(m).value->name(), "manifest");
    auto r = ser::corpus::read_corpus(m);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_TRUE(r.value.problems.empty()) << joined(r.value.problems);
    ASSERT_EQ(r.value.clips.size(), 4u);
    for (const ClipRecord& c : r.value.clips) {
        EXPECT_TRUE(fs::exists(c.path)) << c.path;
        EXPECT_EQ(c.corpus, "extra");            // the manifest's name
        EXPECT_EQ(c.speaker, "extra/unknown");   // no speaker column: one group per corpus
    }
    // Sorted by path; "../up.wav" resolves against the manifest's folder.
    EXPECT_EQ(fs::path(r.value.clips[3].path), (root_ / "up.wav").lexically_normal());
    EXPECT_EQ(fs::path(r.value.clips[0].path).filename(), "a.wav");
    EXPECT_EQ(r.value.clips[0].label, "happy");  // case folded
    EXPECT_EQ(fs::path(r.value.clips[1].path).filename(), "b, c.wav");
    EXPECT_EQ(fs::path(r.value.clips[2].path).filename(), "say \"hi\".wav");
}

TEST_F(CorpusManifestTree, SpeakerAndCorpusColumnsInAnyOrder) {
    const std::string abs = (root_ / "up.wav").string();
    const std::string m = manifest("mixed.csv",
                                   "label,corpus,path,speaker\n"
                                   "angry,ravdess,clips/a.wav,07\n"
                                   "angry,ased,clips/d.flac,07\n"
                                   "sad,,clips/e.wav,ravdess/07\n"
                                   "calm,mine,\"" + abs + "\",\n");
    auto r = ser::corpus::read_corpus(m);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 4u) << joined(r.value.problems);
    std::map<std::string, std::string> speaker_of;
    for (const ClipRecord& c : r.value.clips) speaker_of[fs::path(c.path).filename().string()] = c.speaker;
    EXPECT_EQ(speaker_of["a.wav"], "ravdess/07");
    EXPECT_EQ(speaker_of["d.flac"], "ased/07");     // same id, other corpus: another person
    EXPECT_EQ(speaker_of["e.wav"], "mixed/ravdess/07");  // corpus defaults to the manifest name, then qualifies
    EXPECT_EQ(speaker_of["up.wav"], "mine/unknown");     // absolute path, empty speaker
}

TEST_F(CorpusManifestTree, BadRowsAreReportedWithLineNumbers) {
    const std::string m = manifest("bad.csv",
                                   "path,label,speaker\n"
                                   "clips/a.wav,happy,s1\n"
                                   "clips/missing.wav,sad,s1\n"
                                   "clips/d.flac,,s1\n"
                                   "clips/e.wav,sad\n"
                                   "\"clips/e.wav,sad,s1\n");
    auto r = ser::corpus::read_corpus(m);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 1u);
    EXPECT_EQ(r.value.clips[0].speaker, "bad/s1");
    const auto& p = r.value.problems;
    ASSERT_EQ(p.size(), 4u) << joined(p);
    EXPECT_TRUE(has(p, "bad.csv:3: 'clips/missing.wav' does not exist")) << joined(p);
    EXPECT_TRUE(has(p, "bad.csv:4: empty label for 'clips/d.flac'")) << joined(p);
    EXPECT_TRUE(has(p, "bad.csv:5: 2 fields, expected 3 as in the header")) << joined(p);
    EXPECT_TRUE(has(p, "bad.csv:6: quote opened on line 6 never closes")) << joined(p);
}

TEST_F(CorpusManifestTree, LabelsOutsideTheVocabularyAreKeptAndSaid) {
    const std::string m = manifest("outside.csv",
                                   "path,label\n"
                                   "clips/a.wav,happy\n"
                                   "clips/d.flac,Frustrated\n"
                                   "clips/e.wav,frustrated\n"
                                   "clips/a.wav,sad\n");
    auto r = ser::corpus::read_corpus(m);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 3u);
    ASSERT_EQ(r.value.notes.size(), 1u);
    EXPECT_NE(r.value.notes[0].find("outside.csv:3: label 'frustrated' is outside the vocabulary"), std::string::npos)
        << r.value.notes[0];
    EXPECT_NE(r.value.notes[0].find("2 rows"), std::string::npos);
    ASSERT_EQ(r.value.problems.size(), 1u);
    EXPECT_NE(r.value.problems[0].find("outside.csv:5: "), std::string::npos);
    EXPECT_NE(r.value.problems[0].find("already listed on line 2"), std::string::npos);
    // Left out by default, kept when asked for, mappable because the data has it.
    const auto sel = ser::corpus::select_classes(r.value.clips, {});
    EXPECT_EQ(sel.clips.size(), 1u);
    EXPECT_EQ(sel.left_out.at("frustrated"), 2u);
    auto map = ser::corpus::parse_label_map({"frustrated=angry"}, ser::corpus::known_labels(r.value.clips));
    ASSERT_TRUE(map.is_ok()) << map.status.to_string();
    EXPECT_FALSE(ser::corpus::parse_label_map({"frustrated=angry"}, ser::corpus::known_labels()).is_ok());
}

TEST_F(CorpusManifestTree, HeaderProblemsRefuseTheManifest) {
    const std::pair<std::string, std::string> cases[] = {
        {"path,label,speakr\nclips/a.wav,happy,s1\n", "bad1.csv:1: unknown column 'speakr'"},
        {"path,speaker\nclips/a.wav,s1\n", "header lacks 'label'"},
        {"label,label,path\n", "column 'label' appears twice"},
        {"\n\n", "empty manifest"},
    };
    int n = 1;
    for (const auto& [text, why] : cases) {
        auto r = ser::corpus::read_corpus(manifest("bad" + std::to_string(n++) + ".csv", text));
        ASSERT_FALSE(r.is_ok()) << text;
        EXPECT_NE(r.status.message.find(why), std::string::npos) << r.status.message;
        EXPECT_NE(r.status.message.find("expected"), std::string::npos) << r.status.message;
    }
    EXPECT_FALSE(ser::corpus::read_corpus((root_ / "sub" / "none.csv").string(), "manifest").is_ok());
}

}  // namespace
