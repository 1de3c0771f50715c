// CREMA-D reader: "AAAA_SSS_EEE_LL.<ext>" (actor 1001-1091, sentence code, emotion code, level), e.g. 1001_DFA_ANG_XX.wav.
// Naming from Cao et al. 2014 (IEEE Trans. Affective Computing 5(4)) and github.com/CheyneyComputerScience/CREMA-D README.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/csv.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

class CremaDReader final : public CorpusReader {
public:
    std::string name() const override { return "crema-d"; }
    std::string licence() const override { return "ODbL 1.0 (Cao et al. 2014)"; }
    std::string layout() const override {
        return "AAAA_SSS_EEE_LL.<ext> (CREMA-D: actor 1001-1091, one of 12 sentence codes, "
               "ANG DIS FEA HAP NEU SAD, LO MD HI XX)";
    }
    std::vector<std::string> labels() const override {
        return {"angry", "disgust", "fearful", "happy", "neutral", "sad"};
    }

    Result<ClipRecord> place(const std::string& rel) const override {
        // The release writes every field in upper case; lower-case copies are read the same way.
        const std::vector<std::string> f = split(stem_of(rel), '_');
        if (f.size() != 4) return refuse(rel, std::to_string(f.size()) + " underscore-separated fields, expected 4");
        const int actor = fixed_digits(f[0], 4, 1001, 1091);
        if (actor < 0) return refuse(rel, "actor '" + f[0] + "' is not 1001..1091");
        static const std::set<std::string> sentences = {"IEO", "TIE", "IOM", "IWW", "TAI", "MTI",
                                                        "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"};
        const std::string sentence = upper(f[1]);
        if (!sentences.count(sentence)) return refuse(rel, "sentence '" + f[1] + "' is not one of the 12 codes");
        static const std::map<std::string, std::string> emotions = {{"ANG", "angry"}, {"DIS", "disgust"},
                                                                    {"FEA", "fearful"}, {"HAP", "happy"},
                                                                    {"NEU", "neutral"}, {"SAD", "sad"}};
        const auto e = emotions.find(upper(f[2]));
        if (e == emotions.end()) return refuse(rel, "emotion '" + f[2] + "' is not ANG DIS FEA HAP NEU SAD");
        static const std::map<std::string, std::string> levels = {
            {"LO", "low"}, {"MD", "medium"}, {"HI", "high"}, {"XX", "unspecified"}};
        const auto l = levels.find(upper(f[3]));
        if (l == levels.end()) return refuse(rel, "level '" + f[3] + "' is not LO MD HI XX");
        ClipRecord c;
        c.path = rel;
        c.label = e->second;
        c.source_label = e->first;
        c.corpus = name();
        c.speaker = name() + "/" + f[0];
        c.sentence = sentence;
        c.intensity = l->second;
        // Gender is not in the name: read() takes it from VideoDemographics.csv when the root has it.
        return c;
    }

    Result<CorpusRead> read(const std::string& root, const std::vector<std::string>& files) const override {
        Result<CorpusRead> out = CorpusReader::read(root, files);
        if (!out.is_ok()) return out;
        const std::map<std::string, std::string> sex = demographics(join_path(root, "VideoDemographics.csv"), out.value.notes);
        for (ClipRecord& c : out.value.clips) {
            const auto g = sex.find(c.speaker.substr(name().size() + 1));
            if (g != sex.end()) c.gender = g->second;
        }
        return out;
    }

private:
    // The release's VideoDemographics.csv: ActorID,Age,Sex,Race,Ethnicity; Sex "Male"/"Female".
    // Empty when the file is absent; a file without those columns is noted, not guessed from.
    static std::map<std::string, std::string> demographics(const std::string& path, std::vector<std::string>& notes) {
        std::map<std::string, std::string> out;
        std::ifstream in(path, std::ios::binary);
        if (!in) return out;
        std::stringstream text;
        text << in.rdbuf();
        const std::vector<CsvRecord> rows = parse_csv(text.str());
        int id = -1, sex = -1;
        for (std::size_t i = 0; !rows.empty() && i < rows[0].fields.size(); ++i) {
            const std::string h = lower(trim(rows[0].fields[i]));
            if (h == "actorid") id = int(i);
            if (h == "sex") sex = int(i);
        }
        if (id < 0 || sex < 0) {
            notes.push_back(path + ":1: no ActorID and Sex columns; gender left unknown");
            return out;
        }
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const auto& f = rows[r].fields;
            if (!rows[r].error.empty() || int(f.size()) <= std::max(id, sex)) continue;
            const std::string g = lower(trim(f[std::size_t(sex)]));
            if (g == "male" || g == "female") out[trim(f[std::size_t(id)])] = g;
        }
        return out;
    }
    static std::string upper(std::string s) {
        for (char& ch : s) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        return s;
    }
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("CREMA-D", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& crema_d_reader() {
    static const CremaDReader reader;
    return reader;
}

}  // namespace ser::corpus
