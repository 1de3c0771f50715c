// EmoDB reader: "SSTTTEV.<ext>", e.g. 03a01Fa.wav: speaker SS, text TTT, German emotion letter E, version V.
// Naming from Burkhardt et al. 2005, "A Database of German Emotional Speech" (Interspeech), and emodb.bilderbar.info/docu.
#include <cctype>
#include <map>
#include <set>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

class EmoDbReader final : public CorpusReader {
public:
    std::string name() const override { return "emodb"; }
    std::string licence() const override { return "none stated by its authors: research use (Burkhardt et al. 2005)"; }
    std::string layout() const override {
        return "SSTTTEV.<ext> (EmoDB: speaker 03 08-16, text a01..b10, emotion W L E A F T N, version letter)";
    }
    std::vector<std::string> labels() const override {
        return {"angry", "boredom", "disgust", "fearful", "happy", "sad", "neutral"};
    }

    Result<ClipRecord> place(const std::string& rel) const override {
        const std::string s = stem_of(rel);
        if (s.size() != 7) return refuse(rel, std::to_string(s.size()) + " characters, expected 7");
        // Ten speakers with their published gender (docu: 03 male 31 years, 08 female 34, ...).
        static const std::map<std::string, std::string> speakers = {
            {"03", "male"}, {"08", "female"}, {"09", "female"}, {"10", "male"},   {"11", "male"},
            {"12", "male"}, {"13", "female"}, {"14", "female"}, {"15", "male"}, {"16", "female"}};
        const auto sp = speakers.find(s.substr(0, 2));
        if (sp == speakers.end()) return refuse(rel, "speaker '" + s.substr(0, 2) + "' is not one of 03 08..16");
        static const std::set<std::string> texts = {"a01", "a02", "a04", "a05", "a07",
                                                    "b01", "b02", "b03", "b09", "b10"};
        const std::string text = lower(s.substr(2, 3));
        if (!texts.count(text)) return refuse(rel, "text '" + s.substr(2, 3) + "' is not one of the ten codes");
        // Letters of the German words: Wut, Langeweile, Ekel, Angst, Freude, Trauer, Neutral.
        // Position fixes the meaning, so a lower-case letter is read the same.
        static const std::map<char, std::string> emotions = {{'W', "angry"}, {'L', "boredom"}, {'E', "disgust"},
                                                             {'A', "fearful"}, {'F', "happy"}, {'T', "sad"},
                                                             {'N', "neutral"}};
        const char letter = char(std::toupper(static_cast<unsigned char>(s[5])));
        const auto e = emotions.find(letter);
        if (e == emotions.end()) return refuse(rel, std::string("emotion letter '") + s[5] + "' is not W L E A F T N");
        if (!std::isalpha(static_cast<unsigned char>(s[6])))
            return refuse(rel, std::string("version '") + s[6] + "' is not a letter");
        ClipRecord c;
        c.path = rel;
        c.label = e->second;  // "boredom" stays itself: outside the vocabulary
        c.source_label = std::string(1, letter);
        c.corpus = name();
        c.speaker = name() + "/" + sp->first;
        c.sentence = text;
        c.gender = sp->second;
        c.repetition = std::tolower(static_cast<unsigned char>(s[6])) - 'a' + 1;
        return c;
    }

private:
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("EmoDB", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& emodb_reader() {
    static const EmoDbReader reader;
    return reader;
}

}  // namespace ser::corpus
