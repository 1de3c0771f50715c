// Corpus recognition and reading: synthetic trees in each published layout, the real ../shared/data
// folders (counts from data/README.md), refusals for mixed or unknown folders, speakers kept apart across corpora.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "corpus_tree.h"
#include "npy.h"
#include "ser/train/corpus/naming.h"
#include "ser/train/corpus/registry.h"

namespace {

namespace fs = std::filesystem;
using ser::corpus::ClipRecord;
using ser::corpus::CorpusRead;

std::string recognised(const fs::path& root) {
    auto r = ser::corpus::recognise_corpus(root.string());
    return r.is_ok() ? r.value->name() : "error: " + r.status.message;
}

std::map<std::string, std::size_t> label_counts(const std::vector<ClipRecord>& clips) {
    std::map<std::string, std::size_t> m;
    for (const ClipRecord& c : clips) ++m[c.label];
    return m;
}

std::set<std::string> speakers(const std::vector<ClipRecord>& clips) {
    std::set<std::string> s;
    for (const ClipRecord& c : clips) s.insert(c.speaker);
    return s;
}

TEST(CorpusDetect, SyntheticTreesPickTheirReader) {
    const std::map<std::string, std::vector<std::string>> trees = {
        {"ravdess", {"Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-05-02-01-01-01.wav",
                     "Actor_02/03-01-08-01-02-02-02.wav"}},
        {"crema-d", {"AudioWAV/1001_DFA_ANG_XX.wav", "AudioWAV/1001_IEO_HAP_HI.wav", "AudioWAV/1002_TIE_NEU_XX.wav"}},
        {"tess", {"OAF_angry/OAF_back_angry.wav", "OAF_Pleasant_surprise/OAF_back_ps.wav",
                  "YAF_sad/YAF_dog_sad.wav"}},
        {"emodb", {"wav/03a01Fa.wav", "wav/08b10Lb.wav", "wav/16a02Nc.wav"}},
        {"savee", {"AudioData/DC/a01.wav", "AudioData/JE/sa02.wav", "AudioData/KL/n30.wav"}},
        {"ased", {"01Neutral/n1-01-01-01-01.wav", "04Sad/S4-04-02-01-29.wav", "05Angry/a5-02-01-02-03.wav"}},
        {"nemo", {"samples/EB0_anger_1.wav", "samples/KS0_surprised_12.wav", "samples/SM0_neutral_3.wav"}},
    };
    for (const auto& [corpus, files] : trees) {
        const fs::path root = ser::test::make_tree("detect_" + corpus, files);
        EXPECT_EQ(recognised(root), corpus);
        auto read = ser::corpus::read_corpus(root.string());
        ASSERT_TRUE(read.is_ok()) << read.status.to_string();
        EXPECT_EQ(read.value.clips.size(), files.size()) << corpus;
        EXPECT_TRUE(read.value.problems.empty()) << corpus << ": " << read.value.problems.front();
        for (const ClipRecord& c : read.value.clips) {
            EXPECT_EQ(c.corpus, corpus);
            EXPECT_EQ(c.speaker.rfind(corpus + "/", 0), 0u) << c.speaker;
            EXPECT_TRUE(fs::exists(c.path)) << c.path;
        }
    }
}

TEST(CorpusDetect, StrayFilesAreReportedOneByOne) {
    const fs::path root = ser::test::make_tree("stray", {
        "Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-02-01-01-01-01.wav", "Actor_01/03-01-03-01-01-01-01.wav",
        "Actor_01/03-01-04-01-01-01-01.wav", "Actor_01/03-01-05-01-01-01-01.wav", "Actor_01/03-01-06-01-01-01-01.wav",
        "Actor_01/03-01-07-01-01-01-01.wav", "Actor_01/03-01-08-01-01-01-01.wav", "Actor_01/03-01-08-02-01-01-01.wav", "Actor_01/03-01-07-02-01-01-01.wav",
        "Actor_01/03-01-08-02-01-01-01 copy.wav", "Actor_01/notes.txt"});
    auto read = ser::corpus::read_corpus(root.string());
    ASSERT_TRUE(read.is_ok()) << read.status.to_string();
    EXPECT_EQ(read.value.clips.size(), 10u);
    ASSERT_EQ(read.value.problems.size(), 1u);  // notes.txt is not audio: not listed at all
    EXPECT_NE(read.value.problems[0].find("03-01-08-02-01-01-01 copy.wav: "), std::string::npos) << read.value.problems[0];
    EXPECT_NE(read.value.problems[0].find("actor field"), std::string::npos) << read.value.problems[0];
    // Sorted by path, so every run gives the same order.
    EXPECT_TRUE(std::is_sorted(read.value.clips.begin(), read.value.clips.end(),
                               [](const ClipRecord& a, const ClipRecord& b) { return a.path < b.path; }));
}

TEST(CorpusDetect, RefusesUnknownMixedEmptyAndMissingRoots) {
    const fs::path unknown = ser::test::make_tree("unknown", {"take1.wav", "take2.flac", "happy/take3.ogg"});
    auto u = ser::corpus::read_corpus(unknown.string());
    ASSERT_FALSE(u.is_ok());
    EXPECT_NE(u.status.message.find("no layout recognised"), std::string::npos) << u.status.message;
    EXPECT_NE(u.status.message.find("--corpus NAME"), std::string::npos);
    // Half RAVDESS, half SAVEE: neither reaches the recognition share, so nothing is guessed.
    const fs::path mixed = ser::test::make_tree("mixed", {"03-01-01-01-01-01-01.wav", "03-01-05-01-01-01-01.wav",
                                                          "DC_a01.wav", "DC_a02.wav"});
    auto m = ser::corpus::recognise_corpus(mixed.string());
    ASSERT_FALSE(m.is_ok());
    EXPECT_NE(m.status.message.find("places 50%"), std::string::npos) << m.status.message;
    const fs::path empty = ser::test::make_tree("empty", {});
    auto e = ser::corpus::read_corpus(empty.string());
    ASSERT_FALSE(e.is_ok());
    EXPECT_NE(e.status.message.find("no audio files"), std::string::npos) << e.status.message;
    auto missing = ser::corpus::read_corpus((empty / "nope").string());
    ASSERT_FALSE(missing.is_ok());
    EXPECT_NE(missing.status.message.find("does not exist"), std::string::npos);
    auto bad_name = ser::corpus::read_corpus(empty.string(), "iemocap");
    ASSERT_FALSE(bad_name.is_ok());
    EXPECT_NE(bad_name.status.message.find("unknown corpus 'iemocap'"), std::string::npos);
}

TEST(CorpusDetect, NamedReaderOverridesRecognition) {
    // A named reader reads the mixed folder and reports what it cannot place.
    const fs::path mixed = ser::test::make_tree("mixed_named", {"03-01-01-01-01-01-01.wav", "DC_a01.wav", "DC_a02.wav"});
    auto r = ser::corpus::read_corpus(mixed.string(), "ravdess");
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.clips.size(), 1u);
    EXPECT_EQ(r.value.problems.size(), 2u);
    auto s = ser::corpus::read_corpus(mixed.string(), "SAVEE");
    ASSERT_TRUE(s.is_ok());
    EXPECT_EQ(s.value.clips.size(), 2u);
    auto file_root = ser::corpus::read_corpus((mixed / "DC_a01.wav").string(), "savee");
    ASSERT_FALSE(file_root.is_ok());
    EXPECT_NE(file_root.status.message.find("is not a folder; expected a savee folder"), std::string::npos)
        << file_root.status.message;
    auto folder_manifest = ser::corpus::read_corpus(mixed.string(), "manifest");
    ASSERT_FALSE(folder_manifest.is_ok());
    EXPECT_NE(folder_manifest.status.message.find("expected a .csv manifest file"), std::string::npos);
}

TEST(CorpusDetect, NemoTableAddsGenderAndMustAgree) {
    const fs::path root = ser::test::make_tree("nemo_tsv", {"samples/EB0_anger_1.wav", "samples/KS0_fear_2.wav",
                                                            "samples/KS0_sadness_3.wav", "samples/TP0_neutral_4.wav"});
    ser::test::write_file(root / "data.tsv",
                          "file_id\temotion\traw_text\tnormalized_text\tspeaker_id\tgender\tage\n"
                          "EB0_anger_1.wav\tanger\tA.\ta\t        EB0\tfemale\t22\n"
                          "KS0_fear_2.wav\tfear\tB.\tb\t        KS0\tmale\t23\n"
                          "KS0_sadness_3.wav\thappiness\tC.\tc\t        KS0\tmale\t23\n");
    auto r = ser::corpus::read_corpus(root.string());
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 3u);
    EXPECT_EQ(r.value.clips[0].gender, "female");
    EXPECT_EQ(r.value.clips[1].gender, "male");
    EXPECT_EQ(r.value.clips[2].gender, "");  // TP0 is not in the table
    ASSERT_EQ(r.value.problems.size(), 1u);
    EXPECT_NE(r.value.problems[0].find("KS0_sadness_3.wav: name says sadness"), std::string::npos) << r.value.problems[0];
    EXPECT_NE(r.value.problems[0].find("data.tsv:4"), std::string::npos) << r.value.problems[0];
    ASSERT_EQ(r.value.notes.size(), 1u);
    EXPECT_NE(r.value.notes[0].find("TP0_neutral_4.wav: not in"), std::string::npos);
}

TEST(CorpusDetect, CremaDDemographicsAddGender) {
    const fs::path root = ser::test::make_tree("crema_demo", {"AudioWAV/1001_DFA_ANG_XX.wav", "AudioWAV/1002_DFA_SAD_LO.wav",
                                                              "AudioWAV/1003_DFA_NEU_XX.wav"});
    ser::test::write_file(root / "VideoDemographics.csv",
                          "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n"
                          "1002,21,Female,Caucasian,Not Hispanic\n");
    auto r = ser::corpus::read_corpus(root.string());
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 3u);
    EXPECT_EQ(r.value.clips[0].gender, "male");
    EXPECT_EQ(r.value.clips[1].gender, "female");
    EXPECT_EQ(r.value.clips[2].gender, "");  // 1003 not in the table
    ser::test::write_file(root / "VideoDemographics.csv", "Actor,Gender\n1001,Male\n");
    auto odd = ser::corpus::read_corpus(root.string());
    ASSERT_TRUE(odd.is_ok());
    EXPECT_EQ(odd.value.clips[0].gender, "");
    ASSERT_EQ(odd.value.notes.size(), 1u);
    EXPECT_NE(odd.value.notes[0].find("no ActorID and Sex columns"), std::string::npos);
}

TEST(CorpusDetect, SpeakersWithTheSameIdStayApartAcrossCorpora) {
    const fs::path rav = ser::test::make_tree("collide_ravdess", {"Actor_07/03-01-05-01-01-01-07.wav"});
    const fs::path ased = ser::test::make_tree("collide_ased", {"05Angry/a5-01-01-02-07.wav"});
    const fs::path emodb = ser::test::make_tree("collide_emodb", {"wav/03a01Wa.wav"});
    const fs::path savee = ser::test::make_tree("collide_savee", {"DC_a01.wav"});
    auto r = ser::corpus::read_corpora({rav.string(), ased.string(), emodb.string(), savee.string()});
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.clips.size(), 4u);
    const std::set<std::string> s = speakers(r.value.clips);
    EXPECT_EQ(s, (std::set<std::string>{"ravdess/07", "ased/07", "emodb/03", "savee/DC"}));
    // The same root twice: each file kept once, and said so.
    auto twice = ser::corpus::read_corpora({rav.string(), rav.string() + "/"});
    ASSERT_TRUE(twice.is_ok());
    EXPECT_EQ(twice.value.clips.size(), 1u);
    EXPECT_EQ(twice.value.notes.size(), 1u);
    // One root per reader name.
    auto named = ser::corpus::read_corpora(std::vector<ser::corpus::CorpusRoot>{{rav.string(), "ravdess"}, {ased.string(), ""}});
    ASSERT_TRUE(named.is_ok());
    EXPECT_EQ(named.value.clips.size(), 2u);
    EXPECT_FALSE(ser::corpus::read_corpora(std::vector<std::string>{}).is_ok());
}

// --- the real corpora in ../shared/data (data/README.md) ---

struct RealCorpus {
    const char* folder;
    std::size_t clips, speakers;
    std::map<std::string, std::size_t> labels;
};

CorpusRead read_real(const std::string& folder) {
    auto r = ser::corpus::read_corpus(ser::test::shared_path("data/" + folder));
    EXPECT_TRUE(r.is_ok()) << r.status.to_string();
    return r.value;
}

TEST(CorpusReal, CountsMatchTheDataReadme) {
    const RealCorpus corpora[] = {
        // 20 actors x (2 sentences x 2 repetitions x (1 neutral + 7 emotions x 2 intensities)).
        {"ravdess", 1200, 20, {{"neutral", 80}, {"calm", 160}, {"happy", 160}, {"sad", 160},
                               {"angry", 160}, {"fearful", 160}, {"disgust", 160}, {"surprised", 160}}},
        {"ased", 2474, 65, {{"neutral", 522}, {"fearful", 510}, {"happy", 486}, {"sad", 470}, {"angry", 486}}},
        // 4 speakers x (15 per emotion, 30 neutral).
        {"savee", 480, 4, {{"neutral", 120}, {"angry", 60}, {"disgust", 60}, {"fearful", 60},
                           {"happy", 60}, {"sad", 60}, {"surprised", 60}}},
        {"nemo", 613, 9, {{"angry", 103}, {"fearful", 103}, {"happy", 108}, {"neutral", 107},
                          {"sad", 106}, {"surprised", 86}}},
    };
    for (const RealCorpus& rc : corpora) {
        EXPECT_EQ(recognised(ser::test::shared_path(std::string("data/") + rc.folder)), rc.folder);
        const CorpusRead r = read_real(rc.folder);
        EXPECT_EQ(r.clips.size(), rc.clips) << rc.folder;
        EXPECT_EQ(speakers(r.clips).size(), rc.speakers) << rc.folder;
        EXPECT_EQ(label_counts(r.clips), rc.labels) << rc.folder;
        EXPECT_TRUE(r.problems.empty()) << rc.folder << ": " << r.problems.front();
        EXPECT_TRUE(r.notes.empty()) << rc.folder << ": " << r.notes.front();
        for (const ClipRecord& c : r.clips) EXPECT_EQ(c.corpus, rc.folder);
    }
}

TEST(CorpusReal, EveryOtherReaderRefusesEachCorpus) {
    for (const char* folder : {"ravdess", "ased", "savee", "nemo"}) {
        const std::string root = ser::test::shared_path(std::string("data/") + folder);
        auto files = ser::corpus::list_audio_files(root);
        ASSERT_TRUE(files.is_ok());
        for (const auto* reader : ser::corpus::corpus_readers()) {
            if (reader->name() == folder) continue;
            EXPECT_EQ(reader->recognise(root, files.value), 0.0) << reader->name() << " on " << folder;
        }
    }
}

TEST(CorpusReal, GendersAndTheAsedQuirk) {
    auto by_gender = [](const std::vector<ClipRecord>& clips) {
        std::map<std::string, std::set<std::string>> m;
        for (const ClipRecord& c : clips) m[c.gender].insert(c.speaker);
        return m;
    };
    const CorpusRead rav = read_real("ravdess");
    EXPECT_EQ(by_gender(rav.clips)["male"].size(), 10u);
    EXPECT_EQ(by_gender(rav.clips)["female"].size(), 10u);
    const CorpusRead nemo = read_real("nemo");  // gender from data.tsv: 5 m, 4 f
    EXPECT_EQ(by_gender(nemo.clips)["male"].size(), 5u);
    EXPECT_EQ(by_gender(nemo.clips)["female"].size(), 4u);
    EXPECT_EQ(by_gender(nemo.clips).count(""), 0u);
    const CorpusRead savee = read_real("savee");
    EXPECT_EQ(by_gender(savee.clips)["male"].size(), 4u);
    const CorpusRead ased = read_real("ased");
    const auto quirk = std::find_if(ased.clips.begin(), ased.clips.end(),
                                    [](const ClipRecord& c) { return c.path.find("S4-04-02-01-29") != std::string::npos; });
    ASSERT_NE(quirk, ased.clips.end());
    EXPECT_EQ(quirk->label, "sad");
    EXPECT_EQ(quirk->speaker, "ased/29");
}

TEST(CorpusReal, AllFourTogetherKeepTheirSpeakersApart) {
    std::vector<std::string> roots;
    for (const char* f : {"ravdess", "ased", "savee", "nemo"}) roots.push_back(ser::test::shared_path(std::string("data/") + f));
    auto r = ser::corpus::read_corpora(roots);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.clips.size(), 4767u);             // README: 1200 + 2474 + 480 + 613
    EXPECT_EQ(speakers(r.value.clips).size(), 98u);     // README: 98 speakers; ravdess/07 != ased/07
    EXPECT_TRUE(r.value.problems.empty());
    const std::vector<std::string> summary = ser::corpus::corpus_summary(r.value.clips);
    ASSERT_EQ(summary.size(), 4u);
    EXPECT_EQ(summary[0], "ased: 2474 clips, 65 speakers (angry 486, fearful 510, happy 486, neutral 522, sad 470)");
    EXPECT_EQ(summary[2], "ravdess: 1200 clips, 20 speakers (angry 160, calm 160, disgust 160, fearful 160, happy 160, "
                          "neutral 80, sad 160, surprised 160)");
    for (const std::string& line : summary) std::printf("  %s\n", line.c_str());
    // The tallies behind those lines, with the licences ../shared/data/README.md states.
    const std::vector<ser::corpus::CorpusTally> tallies = ser::corpus::corpus_tallies(r.value.clips);
    ASSERT_EQ(tallies.size(), 4u);
    const char* licence_starts[] = {"none stated", "CC BY-NC-SA 4.0", "CC BY-NC-SA 4.0", "free for research"};
    const std::size_t speakers_of[] = {65, 9, 20, 4};
    for (std::size_t i = 0; i < tallies.size(); ++i) {
        EXPECT_EQ(tallies[i].licence.rfind(licence_starts[i], 0), 0u) << tallies[i].corpus << ": " << tallies[i].licence;
        EXPECT_EQ(tallies[i].n_speakers, speakers_of[i]) << tallies[i].corpus;
        EXPECT_EQ(ser::corpus::tally_line(tallies[i]), summary[i]);
    }
    // The parent folder mixes four layouts: no reader reaches the share, so it is refused, not read as ASED.
    auto parent = ser::corpus::recognise_corpus(ser::test::shared_path("data"));
    ASSERT_FALSE(parent.is_ok());
    EXPECT_NE(parent.status.message.find("best: ased places 52%"), std::string::npos) << parent.status.message;
}

}  // namespace
