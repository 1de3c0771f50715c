// CSV manifest reader: "path,label[,speaker][,corpus]" with a header, for clips of no published layout.
// Paths are relative to the manifest's folder; RFC 4180 fields (csv.h); every row left out is reported with its line number.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "ser/train/corpus/corpus.h"
#include "ser/train/corpus/csv.h"
#include "ser/train/corpus/naming.h"

namespace ser::corpus {
namespace {

// Column positions from the header; -1 when absent.
struct Columns {
    int path = -1, label = -1, speaker = -1, corpus = -1;
    std::size_t count = 0;
};

const char* kColumns = "path,label[,speaker][,corpus]";

class ManifestReader final : public CorpusReader {
public:
    std::string name() const override { return "manifest"; }
    std::string licence() const override { return ""; }  // a manifest's clips come from anywhere
    std::string layout() const override { return std::string("a .csv manifest with columns ") + kColumns; }
    // Any label may appear in a manifest; these are only the ones it knows by name.
    std::vector<std::string> labels() const override { return vocabulary(); }

    Result<ClipRecord> place(const std::string& rel) const override {
        return Status::error("corpus", "'" + rel + "' cannot be placed by its name alone; expected a row of " + layout());
    }

    // A manifest is given as the .csv file itself.
    double recognise(const std::string& root, const std::vector<std::string>&) const override {
        std::error_code ec;
        return std::filesystem::is_regular_file(root, ec) && lower(std::filesystem::path(root).extension().string()) == ".csv"
                   ? 1.0
                   : 0.0;
    }

    Result<CorpusRead> read(const std::string& root, const std::vector<std::string>&) const override {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(root, ec))
            return Status::error("corpus", "'" + root + "' is not a file; expected a .csv manifest file");
        std::ifstream in(root, std::ios::binary);
        if (!in) return Status::error("corpus", "cannot open manifest '" + root + "'; expected a readable .csv file");
        std::stringstream text;
        text << in.rdbuf();
        const std::vector<CsvRecord> records = parse_csv(text.str());
        if (records.empty()) return Status::error("corpus", root + ": empty manifest; expected a header " + kColumns);
        Result<Columns> cols = header(root, records[0]);
        if (!cols.is_ok()) return cols.status;

        CorpusRead out = rows(root, records, cols.value);
        std::sort(out.clips.begin(), out.clips.end(),
                  [](const ClipRecord& a, const ClipRecord& b) { return a.path < b.path; });
        return out;
    }

private:
    // The data rows after the header: clips, problems per refused row, a note per outside label.
    CorpusRead rows(const std::string& root, const std::vector<CsvRecord>& records, const Columns& cols) const {
        CorpusRead out;
        std::map<std::string, int> seen;                                  // resolved path -> line
        std::map<std::string, std::pair<int, std::size_t>> outside;      // label -> first line, rows
        for (std::size_t i = 1; i < records.size(); ++i) {
            Result<ClipRecord> r = row(root, records[i], cols);
            if (!r.is_ok()) {
                if (!r.status.message.empty()) out.problems.push_back(r.status.message);
                continue;
            }
            const auto dup = seen.find(r.value.path);
            if (dup != seen.end()) {
                out.problems.push_back(where(root, records[i].line) + "'" + r.value.path + "' already listed on line " +
                                       std::to_string(dup->second) + "; expected each file once");
                continue;
            }
            seen[r.value.path] = records[i].line;
            if (!in_vocabulary(r.value.label)) {
                auto& o = outside.try_emplace(r.value.label, records[i].line, 0).first->second;
                ++o.second;
            }
            out.clips.push_back(std::move(r.value));
        }
        for (const auto& [label, at] : outside)
            out.notes.push_back(where(root, at.first) + "label '" + label + "' is outside the vocabulary (" +
                                vocabulary_text() + "); " + std::to_string(at.second) +
                                " rows kept as '" + label + "', left out unless selected or mapped");
        return out;
    }

    static std::string where(const std::string& manifest, int line) {
        return manifest + ":" + std::to_string(line) + ": ";
    }

    static Result<Columns> header(const std::string& manifest, const CsvRecord& rec) {
        if (!rec.error.empty()) return Status::error("corpus", where(manifest, rec.line) + rec.error);
        Columns c;
        c.count = rec.fields.size();
        for (std::size_t i = 0; i < rec.fields.size(); ++i) {
            const std::string h = lower(trim(rec.fields[i]));
            int* slot = h == "path" ? &c.path : h == "label" ? &c.label : h == "speaker" ? &c.speaker
                      : h == "corpus" ? &c.corpus : nullptr;
            if (!slot)
                return Status::error("corpus", where(manifest, rec.line) + "unknown column '" + trim(rec.fields[i]) +
                                                   "'; expected " + kColumns);
            if (*slot >= 0)
                return Status::error("corpus", where(manifest, rec.line) + "column '" + h + "' appears twice; expected it once");
            *slot = int(i);
        }
        if (c.path < 0 || c.label < 0)
            return Status::error("corpus", where(manifest, rec.line) + "header lacks " +
                                               (c.path < 0 ? "'path'" : "'label'") + "; expected " + kColumns);
        return c;
    }

    // One data row as a clip. An all-blank row gives an empty Status message (skipped, not a problem).
    Result<ClipRecord> row(const std::string& manifest, const CsvRecord& rec, const Columns& c) const {
        const std::string at = where(manifest, rec.line);
        if (!rec.error.empty()) return Status::error("corpus", at + rec.error);
        if (std::all_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return trim(f).empty(); }))
            return Status::error("corpus", "");
        if (rec.fields.size() != c.count)
            return Status::error("corpus", at + std::to_string(rec.fields.size()) + " fields, expected " +
                                               std::to_string(c.count) + " as in the header");
        auto field = [&](int col) { return col < 0 ? std::string() : trim(rec.fields[std::size_t(col)]); };
        const std::string rel = field(c.path);
        if (rel.empty()) return Status::error("corpus", at + "empty path; expected a file relative to the manifest");
        ClipRecord clip;
        clip.label = lower(field(c.label));
        if (clip.label.empty()) return Status::error("corpus", at + "empty label for '" + rel + "'; expected an emotion");
        namespace fs = std::filesystem;
        const fs::path p(rel);
        clip.path = (p.is_absolute() ? p : fs::path(manifest).parent_path() / p).lexically_normal().generic_string();
        std::error_code ec;
        if (!fs::is_regular_file(clip.path, ec))
            return Status::error("corpus", at + "'" + rel + "' does not exist (looked for " + clip.path +
                                               "); expected a file relative to the manifest's folder");
        clip.corpus = field(c.corpus).empty() ? stem_of(manifest) : field(c.corpus);
        if (clip.corpus.find('/') != std::string::npos)
            return Status::error("corpus", at + "corpus '" + clip.corpus + "' contains '/'; expected a plain name");
        clip.speaker = speaker_id(clip.corpus, field(c.speaker));
        clip.source_label = field(c.label);
        return clip;
    }

    // Speakers are qualified by corpus; with no speaker column or an empty cell all such clips of a
    // corpus share "<corpus>/unknown", so a speaker-grouped split never puts one person on both sides.
    static std::string speaker_id(const std::string& corpus, const std::string& speaker) {
        if (speaker.empty()) return corpus + "/unknown";
        if (speaker.rfind(corpus + "/", 0) == 0) return speaker;
        return corpus + "/" + speaker;
    }
};

}  // namespace

const CorpusReader& manifest_reader() {
    static const ManifestReader reader;
    return reader;
}

}  // namespace ser::corpus
