// The label vocabulary and the default recognise/read of a reader that places files by their names.
// Paths follow the listing's sorted order (naming.h), so a read is deterministic.
#include "ser/train/corpus/corpus.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "ser/train/corpus/naming.h"

namespace ser::corpus {

const std::vector<std::string>& vocabulary() {
    // RAVDESS's emotion codes 01..08, in their order (dataset.h ravdess_emotions()).
    static const std::vector<std::string> names = {"neutral", "calm",    "happy",   "sad",
                                                   "angry",   "fearful", "disgust", "surprised"};
    return names;
}

bool in_vocabulary(const std::string& label) {
    const auto& v = vocabulary();
    return std::find(v.begin(), v.end(), label) != v.end();
}

std::string vocabulary_text() {
    std::string out;
    for (const std::string& l : vocabulary()) out += (out.empty() ? "" : " ") + l;
    return out;
}

double CorpusReader::recognise(const std::string& /*root*/, const std::vector<std::string>& files) const {
    if (files.empty()) return 0.0;
    std::size_t placed = 0;
    for (const std::string& f : files) placed += place(f).is_ok() ? 1 : 0;
    return double(placed) / double(files.size());
}

Result<CorpusRead> CorpusReader::read(const std::string& root, const std::vector<std::string>& files) const {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec))
        return Status::error("corpus", "'" + root + "' is not a folder; expected a " + name() + " folder");
    CorpusRead out;
    for (const std::string& f : files) {
        Result<ClipRecord> r = place(f);
        const std::string path = join_path(root, f);
        if (!r.is_ok()) {
            out.problems.push_back(path + ": " + r.status.message);
            continue;
        }
        r.value.path = path;
        out.clips.push_back(std::move(r.value));
    }
    return out;
}

}  // namespace ser::corpus
