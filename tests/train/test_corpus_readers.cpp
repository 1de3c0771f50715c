// Corpus readers on their own naming: valid names, odd names (case, extra suffixes, folders), and
// names each reader cannot place, which are refused with the file and the reason instead of guessed.
#include <gtest/gtest.h>

#include "ser/train/corpus/registry.h"

namespace {

using ser::corpus::ClipRecord;

const ser::corpus::CorpusReader& reader(const std::string& name) {
    auto r = ser::corpus::find_corpus_reader(name);
    EXPECT_TRUE(r.is_ok()) << r.status.to_string();
    return *r.value;
}

ClipRecord placed(const std::string& corpus, const std::string& rel) {
    auto r = reader(corpus).place(rel);
    EXPECT_TRUE(r.is_ok()) << rel << ": " << r.status.to_string();
    return r.value;
}

// The refusal names the file, says why (`why` is in the message) and what was expected.
void refused(const std::string& corpus, const std::string& rel, const std::string& why) {
    auto r = reader(corpus).place(rel);
    ASSERT_FALSE(r.is_ok()) << corpus << " placed " << rel << " as " << r.value.label;
    EXPECT_EQ(r.status.module, "corpus");
    const std::string base = rel.substr(rel.find_last_of('/') == std::string::npos ? 0 : rel.find_last_of('/') + 1);
    EXPECT_NE(r.status.message.find("'" + base + "'"), std::string::npos) << r.status.message;
    EXPECT_NE(r.status.message.find(why), std::string::npos) << r.status.message;
    EXPECT_NE(r.status.message.find("expected"), std::string::npos) << r.status.message;
}

TEST(CorpusRegistry, NamesAndAliases) {
    EXPECT_EQ(ser::corpus::corpus_names(), "ravdess crema-d tess emodb savee ased nemo manifest");
    for (const char* alias : {"CREMA-D", "cremad", "Crema_D"}) {
        auto r = ser::corpus::find_corpus_reader(alias);
        ASSERT_TRUE(r.is_ok()) << alias;
        EXPECT_EQ(r.value->name(), "crema-d");
    }
    EXPECT_EQ(ser::corpus::find_corpus_reader("Emo-DB").value->name(), "emodb");
    auto bad = ser::corpus::find_corpus_reader("iemocap");
    ASSERT_FALSE(bad.is_ok());
    EXPECT_NE(bad.status.message.find("'iemocap'"), std::string::npos);
    EXPECT_NE(bad.status.message.find("ravdess crema-d"), std::string::npos);
}

TEST(CorpusVocabulary, EightLabelsAndOutsiders) {
    ASSERT_EQ(ser::corpus::vocabulary().size(), 8u);
    EXPECT_TRUE(ser::corpus::in_vocabulary("calm"));
    EXPECT_FALSE(ser::corpus::in_vocabulary("boredom"));
    EXPECT_FALSE(ser::corpus::in_vocabulary("Angry"));  // labels are lower case once read
    EXPECT_EQ(ser::corpus::reader_labels().count("boredom"), 1u);
    // Every reader's labels are vocabulary names except EmoDB's boredom.
    for (const auto* r : ser::corpus::corpus_readers())
        for (const std::string& l : r->labels())
            EXPECT_TRUE(ser::corpus::in_vocabulary(l) || l == "boredom") << r->name() << " " << l;
}

TEST(CorpusRavdess, ValidAndOddNames) {
    ClipRecord c = placed("ravdess", "Actor_07/03-01-05-02-01-02-07.flac");
    EXPECT_EQ(c.label, "angry");
    EXPECT_EQ(c.source_label, "05");
    EXPECT_EQ(c.speaker, "ravdess/07");
    EXPECT_EQ(c.corpus, "ravdess");
    EXPECT_EQ(c.gender, "male");
    EXPECT_EQ(c.intensity, "strong");
    EXPECT_EQ(c.sentence, "01");
    EXPECT_EQ(c.repetition, 2);
    ClipRecord f = placed("ravdess", "Actor_08/03-01-02-01-02-01-08.WAV");  // upper-case extension
    EXPECT_EQ(f.label, "calm");
    EXPECT_EQ(f.gender, "female");
    EXPECT_EQ(f.intensity, "normal");
    EXPECT_EQ(placed("ravdess", "flat/03-02-08-01-01-01-24.mp3").label, "surprised");  // song, not in Actor_NN
}

TEST(CorpusRavdess, RefusesWhatItCannotPlace) {
    refused("ravdess", "03-01-05-02-01-02-07.trimmed.wav", "extra dotted suffix");
    refused("ravdess", "03-01-05-02-01-02-07 (1).wav", "actor field");
    refused("ravdess", "Actor_05/03-01-05-02-01-02-07.wav", "folder Actor_05");
    refused("ravdess", "02-01-05-02-01-02-07.wav", "modality 02");
    refused("ravdess", "03-01-01-02-01-01-01.wav", "neutral");
    refused("ravdess", "DC_a01.wav", "dash-separated fields");
}

TEST(CorpusCremaD, ValidAndOddNames) {
    ClipRecord c = placed("crema-d", "AudioWAV/1001_DFA_ANG_XX.wav");
    EXPECT_EQ(c.label, "angry");
    EXPECT_EQ(c.source_label, "ANG");
    EXPECT_EQ(c.speaker, "crema-d/1001");
    EXPECT_EQ(c.sentence, "DFA");
    EXPECT_EQ(c.intensity, "unspecified");
    EXPECT_EQ(c.gender, "");  // not in the name
    ClipRecord l = placed("crema-d", "1091_wsi_hap_hi.WAV");  // lower-case copy
    EXPECT_EQ(l.label, "happy");
    EXPECT_EQ(l.sentence, "WSI");
    EXPECT_EQ(l.intensity, "high");
    EXPECT_EQ(placed("crema-d", "1045_IEO_FEA_LO.wav").label, "fearful");
    EXPECT_EQ(placed("crema-d", "1045_IEO_DIS_MD.wav").intensity, "medium");
    EXPECT_EQ(placed("crema-d", "1045_IEO_NEU_XX.wav").label, "neutral");
    EXPECT_EQ(placed("crema-d", "1045_IEO_SAD_XX.wav").label, "sad");
}

TEST(CorpusCremaD, RefusesWhatItCannotPlace) {
    refused("crema-d", "1001_DFA_ANG_XX_copy.wav", "5 underscore-separated fields");
    refused("crema-d", "1000_DFA_ANG_XX.wav", "actor '1000'");
    refused("crema-d", "1092_DFA_ANG_XX.wav", "actor '1092'");
    refused("crema-d", "1001_ABC_ANG_XX.wav", "sentence 'ABC'");
    refused("crema-d", "1001_DFA_SUR_XX.wav", "emotion 'SUR'");
    refused("crema-d", "1001_DFA_ANG_X.wav", "level 'X'");
}

TEST(CorpusTess, ValidAndOddNames) {
    ClipRecord c = placed("tess", "OAF_angry/OAF_back_angry.wav");
    EXPECT_EQ(c.label, "angry");
    EXPECT_EQ(c.speaker, "tess/OAF");
    EXPECT_EQ(c.sentence, "back");
    EXPECT_EQ(c.gender, "female");
    ClipRecord ps = placed("tess", "YAF_pleasant_surprised/YAF_dog_ps.wav");
    EXPECT_EQ(ps.label, "surprised");
    EXPECT_EQ(ps.source_label, "ps");
    EXPECT_EQ(placed("tess", "OAF_Pleasant_surprise/OAF_dog_ps.wav").label, "surprised");
    EXPECT_EQ(placed("tess", "OAF_Fear/OAF_bite_fear.wav").label, "fearful");
    ClipRecord odd = placed("tess", "OAF_Sad/OAF_BITE_Sad.WAV");
    EXPECT_EQ(odd.label, "sad");
    EXPECT_EQ(odd.sentence, "bite");
}

TEST(CorpusTess, RefusesWhatItCannotPlace) {
    refused("tess", "OAF_angry/OAF_back_happy.wav", "folder OAF_angry");
    refused("tess", "YAF_angry/OAF_back_angry.wav", "speaker OAF in the name but folder YAF_angry");
    refused("tess", "MAF_back_angry.wav", "speaker 'MAF'");
    refused("tess", "OAF_back_bored.wav", "emotion 'bored'");
    refused("tess", "OAF_back_angry_2.wav", "4 underscore-separated fields");
    refused("tess", "OAF_b4ck_angry.wav", "word 'b4ck'");
}

TEST(CorpusEmoDb, ValidAndOddNames) {
    ClipRecord c = placed("emodb", "wav/03a01Fa.wav");
    EXPECT_EQ(c.label, "happy");
    EXPECT_EQ(c.source_label, "F");
    EXPECT_EQ(c.speaker, "emodb/03");
    EXPECT_EQ(c.gender, "male");
    EXPECT_EQ(c.sentence, "a01");
    EXPECT_EQ(c.repetition, 1);
    ClipRecord b = placed("emodb", "16b10Lb.wav");
    EXPECT_EQ(b.label, "boredom");  // stays itself
    EXPECT_FALSE(b.labelled_in_vocabulary());
    EXPECT_EQ(b.gender, "female");
    EXPECT_EQ(b.repetition, 2);
    EXPECT_EQ(placed("emodb", "08a02Wc.wav").label, "angry");
    EXPECT_EQ(placed("emodb", "09b03ta.WAV").label, "sad");  // lower-case letter: position fixes it
    EXPECT_EQ(placed("emodb", "10a04Ea.wav").label, "disgust");
    EXPECT_EQ(placed("emodb", "11a05Aa.wav").label, "fearful");
    EXPECT_EQ(placed("emodb", "12a07Na.wav").label, "neutral");
}

TEST(CorpusEmoDb, RefusesWhatItCannotPlace) {
    refused("emodb", "03a01Fa_1.wav", "9 characters");
    refused("emodb", "05a01Fa.wav", "speaker '05'");
    refused("emodb", "03a03Fa.wav", "text 'a03'");
    refused("emodb", "03a01Xa.wav", "emotion letter 'X'");
    refused("emodb", "03a01F1.wav", "version '1'");
}

TEST(CorpusSavee, ValidAndOddNames) {
    ClipRecord c = placed("savee", "DC_a01.flac");
    EXPECT_EQ(c.label, "angry");
    EXPECT_EQ(c.speaker, "savee/DC");
    EXPECT_EQ(c.sentence, "a01");
    EXPECT_EQ(c.gender, "male");
    ClipRecord folder = placed("savee", "AudioData/JK/sa15.wav");  // the release's speaker folders
    EXPECT_EQ(folder.label, "sad");
    EXPECT_EQ(folder.speaker, "savee/JK");
    EXPECT_EQ(placed("savee", "KL_su03.wav").label, "surprised");
    EXPECT_EQ(placed("savee", "JE_n30.wav").label, "neutral");
    EXPECT_EQ(placed("savee", "JE_d07.wav").label, "disgust");
    EXPECT_EQ(placed("savee", "JE_f07.wav").label, "fearful");
    ClipRecord odd = placed("savee", "dc_A01.WAV");
    EXPECT_EQ(odd.label, "angry");
    EXPECT_EQ(odd.speaker, "savee/DC");
    EXPECT_EQ(placed("savee", "DC_h15.wav").label, "happy");
}

TEST(CorpusSavee, RefusesWhatItCannotPlace) {
    refused("savee", "DC_a16.wav", "sentence number '16' is not 01..15");
    refused("savee", "DC_n31.wav", "sentence number '31' is not 01..30");
    refused("savee", "DC_a1.wav", "sentence number '1'");
    refused("savee", "XX_a01.wav", "speaker 'XX'");
    refused("savee", "DC_b01.wav", "emotion code in 'b01'");
    refused("savee", "a01.wav", "no speaker");
    refused("savee", "DC_a01_take2.wav", "3 underscore-separated fields");
    refused("savee", "DC_a01 (1).wav", "sentence number '01 (1)'");
}

TEST(CorpusAsed, ValidAndOddNames) {
    ClipRecord c = placed("ased", "01Neutral/n1-01-01-01-01.flac");
    EXPECT_EQ(c.label, "neutral");
    EXPECT_EQ(c.speaker, "ased/01");
    EXPECT_EQ(c.gender, "female");
    EXPECT_EQ(c.sentence, "01");
    EXPECT_EQ(c.repetition, 1);
    ClipRecord quirk = placed("ased", "04Sad/S4-04-02-01-29.flac");  // the release's upper-case letter
    EXPECT_EQ(quirk.label, "sad");
    EXPECT_EQ(quirk.speaker, "ased/29");
    ClipRecord a = placed("ased", "05Angry/a5-27-02-02-65.flac");
    EXPECT_EQ(a.label, "angry");
    EXPECT_EQ(a.gender, "male");
    EXPECT_EQ(a.repetition, 2);
    EXPECT_EQ(placed("ased", "02fearful/f2-03-01-02-10.wav").label, "fearful");  // folder case
    EXPECT_EQ(placed("ased", "h3-03-01-02-10.wav").label, "happy");             // flat copy
}

TEST(CorpusAsed, RefusesWhatItCannotPlace) {
    refused("ased", "03Happy/n1-01-01-01-01.flac", "folder 03Happy");
    refused("ased", "n2-01-01-01-01.flac", "emotion field 'n2'");
    refused("ased", "x1-01-01-01-01.flac", "emotion field 'x1'");
    refused("ased", "n1-01-03-01-01.flac", "repetition '03'");
    refused("ased", "n1-01-01-03-01.flac", "gender '03'");
    refused("ased", "n1-01-01-01-66.flac", "speaker '66'");
    refused("ased", "n1-01-01-01.flac", "4 dash-separated fields");
    refused("ased", "n1-1-01-01-01.flac", "sentence '1'");
}

TEST(CorpusNemo, ValidAndOddNames) {
    ClipRecord c = placed("nemo", "samples/EB0_anger_12.flac");
    EXPECT_EQ(c.label, "angry");
    EXPECT_EQ(c.source_label, "anger");
    EXPECT_EQ(c.speaker, "nemo/EB0");
    EXPECT_EQ(c.sentence, "12");
    EXPECT_EQ(c.gender, "");  // from data.tsv when read as a root
    EXPECT_EQ(placed("nemo", "KS0_surprised_1.wav").label, "surprised");
    ClipRecord odd = placed("nemo", "sm0_Happiness_01.wav");
    EXPECT_EQ(odd.label, "happy");
    EXPECT_EQ(odd.sentence, "1");
    EXPECT_EQ(odd.speaker, "nemo/SM0");
    EXPECT_EQ(placed("nemo", "KD0_fear_3.wav").label, "fearful");
    EXPECT_EQ(placed("nemo", "KD0_sadness_3.wav").label, "sad");
    EXPECT_EQ(placed("nemo", "KD0_neutral_3.wav").label, "neutral");
}

TEST(CorpusNemo, RefusesWhatItCannotPlace) {
    refused("nemo", "EB0_anger.flac", "2 underscore-separated fields");
    refused("nemo", "EB0_boredom_1.flac", "emotion 'boredom'");
    refused("nemo", "EBX_anger_1.flac", "speaker 'EBX'");
    refused("nemo", "EB0_anger_x.flac", "sentence number 'x'");
    refused("nemo", "EB0_anger_1_v2.flac", "4 underscore-separated fields");
}

TEST(CorpusManifest, PlacesNothingByName) {
    auto r = reader("manifest").place("clip.wav");
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("'clip.wav'"), std::string::npos);
}

}  // namespace
