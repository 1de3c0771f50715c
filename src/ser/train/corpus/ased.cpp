// ASED reader: "xn-SS-RR-GG-PP.<ext>" in folders 01Neutral 02Fearful 03Happy 04Sad 05Angry.
// Naming from Retta et al. 2023, "A new Amharic speech emotion dataset and classification benchmark" (ACM TALLIP), per ../shared/data/README.md.
#include <cctype>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

struct AsedEmotion {
    char letter;
    int number;
    const char* folder;  // folder name after its two digits
    const char* label;
};
// n1 neutral, f2 fearful, h3 happy, s4 sad, a5 angry: letter and folder number go together.
const AsedEmotion kEmotions[] = {{'n', 1, "Neutral", "neutral"},
                                 {'f', 2, "Fearful", "fearful"},
                                 {'h', 3, "Happy", "happy"},
                                 {'s', 4, "Sad", "sad"},
                                 {'a', 5, "Angry", "angry"}};

class AsedReader final : public CorpusReader {
public:
    std::string name() const override { return "ased"; }
    std::string licence() const override { return "none stated by its authors: research use (Retta et al. 2023)"; }
    std::string layout() const override {
        return "xn-SS-RR-GG-PP.<ext> (ASED: n1 f2 h3 s4 a5, sentence, repetition 01-02, gender 01 female/02 male, "
               "speaker 01-65; folders 01Neutral..05Angry)";
    }
    std::vector<std::string> labels() const override { return {"neutral", "fearful", "happy", "sad", "angry"}; }

    Result<ClipRecord> place(const std::string& rel) const override {
        const std::vector<std::string> f = split(stem_of(rel), '-');
        if (f.size() != 5) return refuse(rel, std::to_string(f.size()) + " dash-separated fields, expected 5");
        // The release has one upper-case letter (04Sad/S4-04-02-01-29): the letter is read in either case.
        const AsedEmotion* e = nullptr;
        if (f[0].size() == 2)
            for (const AsedEmotion& k : kEmotions)
                if (char(std::tolower(static_cast<unsigned char>(f[0][0]))) == k.letter && f[0][1] == char('0' + k.number))
                    e = &k;
        if (!e) return refuse(rel, "emotion field '" + f[0] + "' is not n1 f2 h3 s4 a5");
        if (fixed_digits(f[1], 2, 1, 99) < 0) return refuse(rel, "sentence '" + f[1] + "' is not two digits 01..99");
        const int repetition = fixed_digits(f[2], 2, 1, 2);
        if (repetition < 0) return refuse(rel, "repetition '" + f[2] + "' is not 01 or 02");
        const int gender = fixed_digits(f[3], 2, 1, 2);
        if (gender < 0) return refuse(rel, "gender '" + f[3] + "' is not 01 (female) or 02 (male)");
        if (fixed_digits(f[4], 2, 1, 65) < 0) return refuse(rel, "speaker '" + f[4] + "' is not 01..65");
        // A file in another emotion's folder is misplaced: say so rather than pick one.
        const std::string folder = parent_folder(rel);
        if (folder.size() > 2 && std::isdigit(static_cast<unsigned char>(folder[0])) &&
            std::isdigit(static_cast<unsigned char>(folder[1])) && lower(folder) != lower("0" + std::to_string(e->number) + e->folder))
            return refuse(rel, "emotion '" + f[0] + "' in the name but folder " + folder);
        ClipRecord c;
        c.path = rel;
        c.label = e->label;
        c.source_label = f[0];
        c.corpus = name();
        c.speaker = name() + "/" + f[4];
        c.sentence = f[1];
        // Per clip: a few speakers carry both codes in the original (README), so it is not a speaker property here.
        c.gender = gender == 1 ? "female" : "male";
        c.repetition = repetition;
        return c;
    }

private:
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("ASED", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& ased_reader() {
    static const AsedReader reader;
    return reader;
}

}  // namespace ser::corpus
