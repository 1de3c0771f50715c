// SAVEE reader: "SP_eNN.<ext>" (flat copies, as in ../shared/data/savee) or "SP/eNN.<ext>" (the release's AudioData/SP folders).
// Naming from Haq & Jackson 2009-2010 (University of Surrey) and the release's AudioData/Info.txt: codes a d f h n sa su.
#include <cctype>
#include <map>
#include <set>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

class SaveeReader final : public CorpusReader {
public:
    std::string name() const override { return "savee"; }
    std::string licence() const override { return "free for research use (Haq & Jackson 2009)"; }
    std::string layout() const override {
        return "SP_eNN.<ext> or SP/eNN.<ext> (SAVEE: speaker DC JE JK KL, code a d f h n sa su, "
               "NN 01-15, neutral 01-30)";
    }
    std::vector<std::string> labels() const override {
        return {"angry", "disgust", "fearful", "happy", "neutral", "sad", "surprised"};
    }

    Result<ClipRecord> place(const std::string& rel) const override {
        const std::string stem = stem_of(rel);
        std::string speaker, code;
        const std::vector<std::string> f = split(stem, '_');
        if (f.size() == 2) {
            speaker = upper(f[0]);
            code = f[1];
        } else if (f.size() == 1) {
            speaker = upper(parent_folder(rel));  // AudioData/DC/a01.wav
            code = stem;
        } else {
            return refuse(rel, std::to_string(f.size()) + " underscore-separated fields, expected SP_eNN");
        }
        static const std::set<std::string> speakers = {"DC", "JE", "JK", "KL"};
        if (!speakers.count(speaker))
            return refuse(rel, speaker.empty() ? "no speaker (neither SP_ prefix nor speaker folder)"
                                               : "speaker '" + speaker + "' is not DC JE JK KL");
        // Two-letter codes first: "sa01" is sad, not 'a' after an 's'.
        const std::string lc = lower(code);
        const std::size_t n = lc.rfind("sa", 0) == 0 || lc.rfind("su", 0) == 0 ? 2 : 1;
        static const std::map<std::string, std::string> emotions = {
            {"a", "angry"}, {"d", "disgust"}, {"f", "fearful"}, {"h", "happy"},
            {"n", "neutral"}, {"sa", "sad"}, {"su", "surprised"}};
        const auto e = emotions.find(lc.substr(0, n));
        if (e == emotions.end()) return refuse(rel, "emotion code in '" + code + "' is not a d f h n sa su");
        // 15 sentences per emotion, 30 neutral (Info.txt and ../shared/data/README.md).
        const int number = fixed_digits(lc.substr(n), 2, 1, e->first == "n" ? 30 : 15);
        if (number < 0)
            return refuse(rel, "sentence number '" + lc.substr(n) + "' is not 01.." + (e->first == "n" ? "30" : "15"));
        ClipRecord c;
        c.path = rel;
        c.label = e->second;
        c.source_label = e->first;
        c.corpus = name();
        c.speaker = name() + "/" + speaker;
        c.sentence = lc;      // the text depends on the emotion: "a01" and "d01" are different sentences
        c.gender = "male";    // four male speakers
        return c;
    }

private:
    static std::string upper(std::string s) {
        for (char& ch : s) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        return s;
    }
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("SAVEE", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& savee_reader() {
    static const SaveeReader reader;
    return reader;
}

}  // namespace ser::corpus
