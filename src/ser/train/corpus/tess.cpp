// TESS reader: "SPK_word_emotion.<ext>" (SPK OAF older / YAF younger actress), often in folders like OAF_angry.
// Naming from Dupuis & Pichora-Fuller 2010, Toronto Emotional Speech Set (U of T TSpace); 'ps' is pleasant surprise.
#include <cctype>
#include <map>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

// The seven emotion words of the release; "ps" (pleasant surprise) is the vocabulary's surprised.
const std::map<std::string, std::string>& tess_emotions() {
    static const std::map<std::string, std::string> m = {{"angry", "angry"}, {"disgust", "disgust"},
                                                         {"fear", "fearful"}, {"happy", "happy"},
                                                         {"neutral", "neutral"}, {"sad", "sad"},
                                                         {"ps", "surprised"}};
    return m;
}

class TessReader final : public CorpusReader {
public:
    std::string name() const override { return "tess"; }
    std::string licence() const override { return "CC BY-NC-ND 4.0 (Dupuis & Pichora-Fuller 2010)"; }
    std::string layout() const override {
        return "SPK_word_emotion.<ext> (TESS: SPK OAF or YAF, emotion angry disgust fear happy neutral sad ps)";
    }
    std::vector<std::string> labels() const override {
        return {"angry", "disgust", "fearful", "happy", "neutral", "sad", "surprised"};
    }

    Result<ClipRecord> place(const std::string& rel) const override {
        const std::vector<std::string> f = split(stem_of(rel), '_');
        if (f.size() != 3) return refuse(rel, std::to_string(f.size()) + " underscore-separated fields, expected 3");
        const std::string speaker = upper(f[0]);
        if (speaker != "OAF" && speaker != "YAF") return refuse(rel, "speaker '" + f[0] + "' is not OAF or YAF");
        if (!word(f[1])) return refuse(rel, "word '" + f[1] + "' is not a plain word");
        const auto e = tess_emotions().find(lower(f[2]));
        if (e == tess_emotions().end()) return refuse(rel, "emotion '" + f[2] + "' is not one of the seven");
        // Folders of the common copies ("OAF_angry", "YAF_pleasant_surprised") must agree with the name.
        const std::string folder = parent_folder(rel);
        const std::size_t us = folder.find('_');
        if (us == 3 && (upper(folder.substr(0, 3)) == "OAF" || upper(folder.substr(0, 3)) == "YAF")) {
            const std::string folder_emotion = folder_label(folder.substr(4));
            if (upper(folder.substr(0, 3)) != speaker)
                return refuse(rel, "speaker " + speaker + " in the name but folder " + folder);
            if (!folder_emotion.empty() && folder_emotion != e->second)
                return refuse(rel, "emotion '" + f[2] + "' in the name but folder " + folder);
        }
        ClipRecord c;
        c.path = rel;
        c.label = e->second;
        c.source_label = lower(f[2]);
        c.corpus = name();
        c.speaker = name() + "/" + speaker;
        c.sentence = lower(f[1]);  // the target word said in "Say the word ..."
        c.gender = "female";       // both speakers are women
        return c;
    }

private:
    static std::string upper(std::string s) {
        for (char& ch : s) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        return s;
    }
    static bool word(const std::string& s) {
        if (s.empty()) return false;
        for (unsigned char ch : s)
            if (!std::isalpha(ch)) return false;
        return true;
    }
    // "angry" / "Fear" / "Pleasant_surprise" / "pleasant_surprised" -> a vocabulary label; "" if unknown.
    static std::string folder_label(const std::string& word_part) {
        const std::string w = lower(word_part);
        if (w == "pleasant_surprise" || w == "pleasant_surprised") return "surprised";
        const auto e = tess_emotions().find(w);
        return e == tess_emotions().end() ? std::string() : e->second;
    }
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("TESS", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& tess_reader() {
    static const TessReader reader;
    return reader;
}

}  // namespace ser::corpus
