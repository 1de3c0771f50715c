// Data-set layer tests: RAVDESS name parsing (valid names, every refusal), recursive scans over
// the real data folder and a temporary tree.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ser/train/dataset.h"
#include "npy.h"

TEST(DatasetNames, ParsesTheConvention) {
    auto r = ser::parse_ravdess_name("/data/ravdess/Actor_01/03-01-05-02-01-01-01.flac");
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.modality, 3);
    EXPECT_EQ(r.value.channel, 1);
    EXPECT_EQ(r.value.emotion, 5);
    EXPECT_EQ(r.value.intensity, 2);
    EXPECT_EQ(r.value.statement, 1);
    EXPECT_EQ(r.value.repetition, 1);
    EXPECT_EQ(r.value.actor, 1);
    EXPECT_EQ(r.value.emotion_name(), "angry");
    auto w = ser::parse_ravdess_name("03-01-08-01-02-02-24.wav");
    ASSERT_TRUE(w.is_ok());
    EXPECT_EQ(w.value.emotion_name(), "surprised");
    EXPECT_EQ(w.value.actor, 24);
    ASSERT_EQ(ser::ravdess_emotions().size(), 8u);
    EXPECT_EQ(ser::ravdess_emotions()[0], "neutral");
}

TEST(DatasetNames, RefusesInsteadOfGuessing) {
    const std::pair<const char*, const char*> bad[] = {
        {"03-01-05-02-01-01.flac", "6 dash-separated fields"},
        {"03-01-05-02-01-01-01-01.flac", "8 dash-separated fields"},
        {"03-01-09-02-01-01-01.flac", "emotion code 09"},
        {"03-01-00-02-01-01-01.flac", "emotion code 00"},
        {"03-01-05-03-01-01-01.flac", "intensity code 03"},
        {"03-01-05-02-01-01-25.flac", "actor code 25"},
        {"04-01-05-02-01-01-01.flac", "modality code 04"},
        {"03-01-5-02-01-01-01.flac", "emotion field is '5'"},
        {"03-01-0a-02-01-01-01.flac", "emotion field is '0a'"},
        {"03-01-005-02-01-01-01.flac", "emotion field is '005'"},
        {"03-01-01-02-01-01-01.flac", "neutral"},
        {"03-01-05-02-01-01-01", "no file extension"},
        {"angry_speaker1.wav", "1 dash-separated fields"},
        {"", "no file extension"},
    };
    for (const auto& [name, why] : bad) {
        auto r = ser::parse_ravdess_name(name);
        ASSERT_FALSE(r.is_ok()) << name;
        EXPECT_EQ(r.status.module, "dataset");
        EXPECT_NE(r.status.message.find(why), std::string::npos) << r.status.to_string();
        EXPECT_NE(r.status.message.find("expected"), std::string::npos);
    }
}

TEST(DatasetScan, RealDataFolder) {
    auto r = ser::scan_audio_paths({ser::test::shared_path("data/ravdess")});
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 1200u);  // data/README.md: 60 clips x 20 actors
    EXPECT_TRUE(r.value.unparsed.empty());
    int per_emotion[9] = {0};
    for (std::size_t i = 0; i < r.value.clips.size(); ++i) {
        const auto& c = r.value.clips[i];
        ASSERT_TRUE(c.parsed) << c.path;
        if (i > 0) EXPECT_LT(r.value.clips[i - 1].path, c.path);
        per_emotion[c.info.emotion]++;
    }
    EXPECT_EQ(per_emotion[1], 80);   // neutral: normal intensity only, 4 per actor
    for (int e = 2; e <= 8; ++e) EXPECT_EQ(per_emotion[e], 160) << e;
}

TEST(DatasetScan, TreeWithUnparsedAndIgnoredFiles) {
    namespace fs = std::filesystem;
    const fs::path root = fs::path(::testing::TempDir()) / "ser_scan_tree";
    fs::remove_all(root);
    fs::create_directories(root / "a" / "b");
    for (const fs::path& p : {root / "a" / "b" / "03-01-05-02-01-01-01.flac", root / "a" / "recording.WAV",
                              root / "notes.txt", root / "x.Mp3"})
        std::ofstream(p) << "x";
    auto r = ser::scan_audio_paths({root.string()});
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 3u);  // notes.txt is not audio
    EXPECT_TRUE(r.value.clips[0].parsed);
    EXPECT_FALSE(r.value.clips[1].parsed);
    ASSERT_EQ(r.value.unparsed.size(), 2u);
    EXPECT_NE(r.value.unparsed[0].find("recording.WAV"), std::string::npos);

    // A file named explicitly is taken whatever its extension; duplicates collapse.
    auto f = ser::scan_audio_paths({(root / "notes.txt").string(), (root / "notes.txt").string()});
    ASSERT_TRUE(f.is_ok());
    EXPECT_EQ(f.value.clips.size(), 1u);

    auto missing = ser::scan_audio_paths({(root / "nope").string()});
    ASSERT_FALSE(missing.is_ok());
    EXPECT_NE(missing.status.message.find("does not exist"), std::string::npos);
    fs::remove_all(root);
}
