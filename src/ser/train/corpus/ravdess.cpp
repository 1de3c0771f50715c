// RAVDESS reader: "03-01-EE-II-SS-RR-AA.<ext>" in Actor_NN folders, speech and song, audio only.
// Naming from Livingstone & Russo 2018 (PLoS ONE 13(5): e0196391) as parsed by dataset.h's parse_ravdess_name.
#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/naming.h"
#include "ser/train/dataset.h"

namespace ser::corpus {
namespace {

class RavdessReader final : public CorpusReader {
public:
    std::string name() const override { return "ravdess"; }
    std::string licence() const override { return "CC BY-NC-SA 4.0 (Livingstone & Russo 2018)"; }
    std::string layout() const override { return "03-01-EE-II-SS-RR-AA.<ext> (RAVDESS, in Actor_NN folders)"; }
    std::vector<std::string> labels() const override { return vocabulary(); }

    Result<ClipRecord> place(const std::string& rel) const override {
        const std::string stem = stem_of(rel);
        // parse_ravdess_name cuts at the first dot: refuse "name.trimmed.wav" here instead.
        if (stem.find('.') != std::string::npos) return refuse(rel, "extra dotted suffix in '" + stem + "'");
        Result<RavdessName> n = parse_ravdess_name(base_name(rel));
        if (!n.is_ok()) return Status::error("corpus", n.status.message);
        if (n.value.modality != 3) return refuse(rel, "modality " + two(n.value.modality) + " is not 03 (audio only)");
        const std::string actor = two(n.value.actor);
        const std::string folder = parent_folder(rel);
        // The release keeps each actor in Actor_NN: a file under another actor's folder is misplaced.
        if (folder.size() == 8 && lower(folder.substr(0, 6)) == "actor_" && folder.substr(6) != actor)
            return refuse(rel, "actor " + actor + " in the name but folder " + folder);
        ClipRecord c;
        c.path = rel;
        c.label = n.value.emotion_name();
        c.source_label = two(n.value.emotion);
        c.corpus = name();
        c.speaker = name() + "/" + actor;
        c.sentence = two(n.value.statement);
        c.gender = n.value.actor % 2 == 1 ? "male" : "female";  // odd actors male, even female
        c.intensity = n.value.intensity == 1 ? "normal" : "strong";
        c.repetition = n.value.repetition;
        return c;
    }

private:
    static std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }
    Status refuse(const std::string& rel, const std::string& why) const {
        return refuse_name("RAVDESS", layout(), rel, why);
    }
};

}  // namespace

const CorpusReader& ravdess_reader() {
    static const RavdessReader reader;
    return reader;
}

}  // namespace ser::corpus
