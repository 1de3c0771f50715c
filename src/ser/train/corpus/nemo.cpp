// nEMO reader: "SPK_emotion_N.<ext>" under samples/, e.g. EB0_anger_12.flac, with gender from the root's data.tsv.
// Naming from Christop 2024, "nEMO: Dataset of Emotional Speech in Polish" (LREC-COLING), as described in ../shared/data/README.md.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

// One data.tsv row: what the corpus's own table says about a clip.
struct NemoRow {
    std::string emotion, speaker, gender;
    int line = 0;
};

class NemoReader final : public CorpusReader {
public:
    std::string name() const override { return "nemo"; }
    std::string licence() const override { return "CC BY-NC-SA 4.0 (Christop 2024)"; }
    std::string layout() const override {
        return "SPK_emotion_N.<ext> (nEMO: speaker like EB0, emotion anger fear happiness neutral sadness surprised, "
               "sentence number)";
    }
    std::vector<std::string> labels() const override {
        return {"angry", "fearful", "happy", "neutral", "sad", "surprised"};
    }

    Result<ClipRecord> place(const std::string& rel) const override {
        const std::vector<std::string> f = split(stem_of(rel), '_');
        if (f.size() != 3) return refuse(rel, std::to_string(f.size()) + " underscore-separated fields, expected 3");
        if (!speaker_code(f[0])) return refuse(rel, "speaker '" + f[0] + "' is not two letters and a digit");
        const std::string label = emotion_label(f[1]);
        if (label.empty()) return refuse(rel, "emotion '" + f[1] + "' is not anger fear happiness neutral sadness surprised");
        const int number = plain_number(f[2], 1, 999);
        if (number < 0) return refuse(rel, "sentence number '" + f[2] + "' is not 1..999");
        ClipRecord c;
        c.path = rel;
        c.label = label;
        c.source_label = lower(f[1]);
        c.corpus = name();
        c.speaker = name() + "/" + upper(f[0]);
        c.sentence = std::to_string(number);
        return c;
    }

    // Names first, then data.tsv (when the root has one) adds gender and must agree on emotion and speaker.
    Result<CorpusRead> read(const std::string& root, const std::vector<std::string>& files) const override {
        Result<CorpusRead> base = CorpusReader::read(root, files);
        if (!base.is_ok()) return base;
        CorpusRead out = std::move(base.value);
        const std::string tsv = join_path(root, "data.tsv");
        std::map<std::string, NemoRow> rows;
        if (!load_table(tsv, rows, out.notes)) return out;
        std::vector<ClipRecord> kept;
        for (ClipRecord& c : out.clips) {
            const auto r = rows.find(stem_of(c.path));
            if (r == rows.end()) {
                out.notes.push_back(c.path + ": not in " + tsv + "; gender left unknown");
            } else if (emotion_label(r->second.emotion) != c.label) {
                out.problems.push_back(c.path + ": name says " + c.source_label + " but " + tsv + ":" +
                                       std::to_string(r->second.line) + " says '" + r->second.emotion +
                                       "'; expected them to agree");
                continue;
            } else if (name() + "/" + upper(r->second.speaker) != c.speaker) {
                out.problems.push_back(c.path + ": name says speaker " + c.speaker + " but " + tsv + ":" +
                                       std::to_string(r->second.line) + " says '" + r->second.speaker +
                                       "'; expected them to agree");
                continue;
            } else if (r->second.gender == "female" || r->second.gender == "male") {
                c.gender = r->second.gender;
            }
            kept.push_back(std::move(c));
        }
        out.clips = std::move(kept);
        return out;
    }

private:
    static std::string upper(std::string s) {
        for (char& ch : s) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        return s;
    }
    static bool speaker_code(const std::string& s) {
        return s.size() == 3 && std::isalpha(static_cast<unsigned char>(s[0])) &&
               std::isalpha(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2]));
    }
    // The corpus's nouns onto the vocabulary; "" for anything else.
    static std::string emotion_label(const std::string& word) {
        static const std::map<std::string, std::string> m = {{"anger", "angry"},     {"fear", "fearful"},
                                                             {"happiness", "happy"}, {"neutral", "neutral"},
                                                             {"sadness", "sad"},     {"surprised", "surprised"}};
        const auto e = m.find(lower(trim(word)));
        return e == m.end() ? std::string() : e->second;
    }
    // data.tsv: file_id (with .wav), emotion, ..., speaker_id (space-padded), gender, age. False when absent.
    static bool load_table(const std::string& path, std::map<std::string, NemoRow>& rows,
                           std::vector<std::string>& notes) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return false;
        std::string line;
        if (!std::getline(in, line)) return false;
        const std::vector<std::string> header = split(trim(line), '\t');
        int col_file = -1, col_emotion = -1, col_speaker = -1, col_gender = -1;
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string h = trim(header[i]);
            if (h == "file_id") col_file = int(i);
            if (h == "emotion") col_emotion = int(i);
            if (h == "speaker_id") col_speaker = int(i);
            if (h == "gender") col_gender = int(i);
        }
        if (col_file < 0 || col_emotion < 0 || col_speaker < 0 || col_gender < 0) {
            notes.push_back(path + ":1: header lacks file_id, emotion, speaker_id or gender; table not used");
            return false;
        }
        const int need = std::max(std::max(col_file, col_emotion), std::max(col_speaker, col_gender));
        for (int n = 2; std::getline(in, line); ++n) {
            if (trim(line).empty()) continue;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const std::vector<std::string> f = split(line, '\t');
            if (int(f.size()) <= need) {
                notes.push_back(path + ":" + std::to_string(n) + ": " + std::to_string(f.size()) +
                                " tab-separated fields, expected at least " + std::to_string(need + 1) + "; row not used");
                continue;
            }
            NemoRow r;
            r.emotion = trim(f[std::size_t(col_emotion)]);
            r.speaker = trim(f[std::size_t(col_speaker)]);
            r.gender = lower(trim(f[std::size_t(col_gender)]));
            r.line = n;
            rows[stem_of(trim(f[std::size_t(col_file)]))] = r;
        }
        return true;
    }
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("nEMO", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& nemo_reader() {
    static const NemoReader reader;
    return reader;
}

}  // namespace ser::corpus
