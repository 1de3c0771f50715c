// The reader table, name lookup, layout recognition and multi-root reading.
// Adding a corpus: write <corpus>.cpp with a `const CorpusReader& <corpus>_reader()`, declare it below and add its row.
#include "ser/train/corpus/registry.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <system_error>

#include "ser/train/corpus/naming.h"

namespace ser::corpus {

// Each defined in its own file.
const CorpusReader& ravdess_reader();
const CorpusReader& crema_d_reader();
const CorpusReader& tess_reader();
const CorpusReader& emodb_reader();
const CorpusReader& savee_reader();
const CorpusReader& ased_reader();
const CorpusReader& nemo_reader();
const CorpusReader& manifest_reader();

const std::vector<const CorpusReader*>& corpus_readers() {
    static const std::vector<const CorpusReader*> table = {
        &ravdess_reader(), &crema_d_reader(), &tess_reader(), &emodb_reader(),
        &savee_reader(),   &ased_reader(),    &nemo_reader(), &manifest_reader(),
    };
    return table;
}

std::string corpus_names() {
    std::string out;
    for (const CorpusReader* r : corpus_readers()) out += (out.empty() ? "" : " ") + r->name();
    return out;
}

namespace {

// "CREMA-D" -> "cremad": what the user types and the reader's name compare equal.
std::string name_key(const std::string& s) {
    std::string k;
    for (unsigned char c : s)
        if (c != '-' && c != '_') k += char(std::tolower(c));
    return k;
}

// Audio files below a folder root; nothing for a file root (a manifest), an error when missing.
Result<std::vector<std::string>> root_files(const std::string& root) {
    std::error_code ec;
    if (!std::filesystem::exists(root, ec))
        return Status::error("corpus", "'" + root + "' does not exist; expected a corpus folder or a .csv manifest");
    if (!std::filesystem::is_directory(root, ec)) return std::vector<std::string>{};
    return list_audio_files(root);
}

std::string percent(double share) { return std::to_string(int(share * 100.0 + 0.5)) + "%"; }

Result<const CorpusReader*> recognise_in(const std::string& root, const std::vector<std::string>& files) {
    const CorpusReader* best = nullptr;
    const CorpusReader* runner_up = nullptr;
    double best_share = 0.0, runner_share = 0.0;
    for (const CorpusReader* r : corpus_readers()) {
        const double share = r->recognise(root, files);
        if (share > best_share) {
            runner_up = best;
            runner_share = best_share;
            best = r;
            best_share = share;
        } else if (share > runner_share) {
            runner_up = r;
            runner_share = share;
        }
    }
    const std::string hint = "; expected a folder in one of the layouts (" + corpus_names() +
                             ") or a .csv manifest, or name the reader with --corpus NAME";
    if (files.empty() && !best)
        return Status::error("corpus", "'" + root + "' holds no audio files" + hint);
    if (!best || best_share < kRecogniseShare)
        return Status::error("corpus", "'" + root + "': no layout recognised (best: " +
                                           (best ? best->name() + " places " + percent(best_share) : std::string("none")) +
                                           " of " + std::to_string(files.size()) + " audio files)" + hint);
    if (runner_up && runner_share == best_share)
        return Status::error("corpus", "'" + root + "': both " + best->name() + " and " + runner_up->name() + " place " +
                                           percent(best_share) + " of its audio files; expected one layout, name it with --corpus NAME");
    return best;
}

}  // namespace

Result<const CorpusReader*> find_corpus_reader(const std::string& name) {
    for (const CorpusReader* r : corpus_readers())
        if (name_key(r->name()) == name_key(name)) return r;
    return Status::error("corpus", "unknown corpus '" + name + "'; expected one of " + corpus_names());
}

Result<const CorpusReader*> recognise_corpus(const std::string& root) {
    Result<std::vector<std::string>> files = root_files(root);
    if (!files.is_ok()) return files.status;
    return recognise_in(root, files.value);
}

Result<CorpusRead> read_corpus(const std::string& root, const std::string& corpus_name) {
    Result<std::vector<std::string>> files = root_files(root);
    if (!files.is_ok()) return files.status;
    Result<const CorpusReader*> reader =
        corpus_name.empty() ? recognise_in(root, files.value) : find_corpus_reader(corpus_name);
    if (!reader.is_ok()) return reader.status;
    return reader.value->read(root, files.value);
}

Result<CorpusRead> read_corpora(const std::vector<CorpusRoot>& roots) {
    if (roots.empty()) return Status::error("corpus", "no data roots; expected at least one folder or manifest");
    CorpusRead out;
    std::map<std::string, std::string> owner;  // path -> root it came from
    for (const CorpusRoot& root : roots) {
        Result<CorpusRead> one = read_corpus(root.path, root.corpus);
        if (!one.is_ok()) return one.status;
        for (ClipRecord& c : one.value.clips) {
            const std::string key = std::filesystem::path(c.path).lexically_normal().generic_string();
            const auto [at, fresh] = owner.emplace(key, root.path);
            if (!fresh) {
                out.notes.push_back(c.path + ": reached from both " + at->second + " and " + root.path + "; kept once");
                continue;
            }
            out.clips.push_back(std::move(c));
        }
        out.problems.insert(out.problems.end(), one.value.problems.begin(), one.value.problems.end());
        out.notes.insert(out.notes.end(), one.value.notes.begin(), one.value.notes.end());
    }
    std::stable_sort(out.clips.begin(), out.clips.end(),
                     [](const ClipRecord& a, const ClipRecord& b) { return a.path < b.path; });
    return out;
}

Result<CorpusRead> read_corpora(const std::vector<std::string>& roots, const std::string& corpus_name) {
    std::vector<CorpusRoot> specs;
    for (const std::string& r : roots) specs.push_back({r, corpus_name});
    return read_corpora(specs);
}

std::vector<CorpusTally> corpus_tallies(const std::vector<ClipRecord>& clips) {
    std::map<std::string, CorpusTally> by_corpus;
    std::map<std::string, std::set<std::string>> speakers;
    for (const ClipRecord& c : clips) {
        CorpusTally& t = by_corpus[c.corpus];
        ++t.n_clips;
        speakers[c.corpus].insert(c.speaker);
        ++t.clips_per_label[c.label];
    }
    std::vector<CorpusTally> out;
    for (auto& [corpus, t] : by_corpus) {
        t.corpus = corpus;
        t.n_speakers = speakers[corpus].size();
        const Result<const CorpusReader*> reader = find_corpus_reader(corpus);
        if (reader) t.licence = reader.value->licence();
        out.push_back(t);
    }
    return out;
}

std::string tally_line(const CorpusTally& t) {
    std::string line = t.corpus + ": " + std::to_string(t.n_clips) + " clips, " + std::to_string(t.n_speakers) + " speakers (";
    std::string sep;
    for (const auto& [label, n] : t.clips_per_label) {
        line += sep + label + " " + std::to_string(n);
        sep = ", ";
    }
    return line + ")";
}

std::vector<std::string> corpus_summary(const std::vector<ClipRecord>& clips) {
    std::vector<std::string> out;
    for (const CorpusTally& t : corpus_tallies(clips)) out.push_back(tally_line(t));
    return out;
}

std::set<std::string> reader_labels() {
    std::set<std::string> out(vocabulary().begin(), vocabulary().end());
    for (const CorpusReader* r : corpus_readers())
        for (const std::string& l : r->labels()) out.insert(l);
    return out;
}

}  // namespace ser::corpus
