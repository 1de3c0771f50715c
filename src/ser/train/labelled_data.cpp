// Corpus roots to a labelled feature set: read (registry.h), relabel (labels.h), select, then features.
// Rows follow the readers' path order, so a RAVDESS folder gives the rows the RAVDESS-only loader gave.
#include "ser/train/labelled_data.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "ser/train/corpus/labels.h"
#include "ser/train/corpus/registry.h"
#include "ser/train/dataset.h"

namespace ser {

std::size_t LabelledData::n_left_out() const {
    std::size_t n = 0;
    for (const auto& [label, count] : left_out) n += count;
    return n;
}

namespace {

// Read every root and apply the label rules; what is kept is still every label.
Result<corpus::CorpusRead> read_and_map(const DataRequest& request, std::map<std::string, std::size_t>& mapped) {
    Result<corpus::CorpusRead> read = corpus::read_corpora(request.roots, request.corpus);
    if (!read) return read.status;
    if (request.map_rules.empty()) return read;
    Result<corpus::LabelMap> map = corpus::parse_label_map(request.map_rules, corpus::known_labels(read.value.clips));
    if (!map) return map.status;
    mapped = corpus::apply_label_map(read.value.clips, map.value);
    return read;
}

Result<BatchFeatures> features_of(const std::vector<std::string>& files, const DataRequest& request) {
    BatchOptions bo;
    bo.feature_set = request.feature_set;
    bo.n_jobs = request.n_jobs;
    bo.cache_dir = request.cache_dir;
    bo.n_augment = request.n_augment;
    bo.augment = training_augment_config();
    bo.progress = request.progress;
    if (!request.cache_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(request.cache_dir, ec);
    }
    return compute_batch_features(files, bo);
}

// Rows of the files whose features worked, copies after them; failures go to problems. Returns the clips kept.
std::vector<corpus::ClipRecord> fill_set(const std::vector<corpus::ClipRecord>& clips, const BatchFeatures& bf, const DataRequest& request,
              LabelledData& d) {
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        if (bf.errors[i].empty())
            keep.push_back(i);
        else
            d.problems.push_back(clips[i].path + ": " + bf.errors[i]);
    }
    const Eigen::Index n_cols = bf.values.cols();
    const int k = request.n_augment;
    d.set.x.resize(Eigen::Index(keep.size()), n_cols);
    d.set.augmented.x.resize(Eigen::Index(keep.size()) * k, n_cols);
    for (std::size_t r = 0; r < keep.size(); ++r) {
        const corpus::ClipRecord& c = clips[keep[r]];
        d.set.x.row(Eigen::Index(r)) = bf.values.row(Eigen::Index(keep[r]));
        const auto at = std::find(request.classes.begin(), request.classes.end(), c.label);
        d.set.labels.push_back(int(at - request.classes.begin()));
        d.set.speakers.push_back(c.speaker);
        d.set.corpora.push_back(c.corpus);
        d.set.paths.push_back(c.path);
        for (int j = 0; j < k; ++j) {
            d.set.augmented.x.row(Eigen::Index(r) * k + j) = bf.augmented.row(Eigen::Index(keep[r]) * k + j);
            d.set.augmented.source.push_back(int(r));
        }
    }
    std::vector<corpus::ClipRecord> kept;
    for (std::size_t i : keep) kept.push_back(clips[i]);
    return kept;
}

}  // namespace

Result<LabelledData> load_labelled_data(const DataRequest& request) {
    if (request.classes.size() < 2)
        return Status::error("data", std::to_string(request.classes.size()) + " classes asked; expected at least 2");
    LabelledData d;
    Result<corpus::CorpusRead> read = read_and_map(request, d.mapped);
    if (!read) return read.status;
    d.problems = read.value.problems;
    d.notes = read.value.notes;
    corpus::Selection sel = corpus::select_classes(read.value.clips, request.classes);
    d.left_out = sel.left_out;
    if (sel.clips.empty())
        return Status::error("data", "no clip with one of the classes (" + std::to_string(request.classes.size()) +
                                         " asked) under the given roots; expected clips labelled with them");
    std::vector<std::string> files;
    for (const auto& c : sel.clips) files.push_back(c.path);
    Result<BatchFeatures> bf = features_of(files, request);
    if (!bf) return bf.status;
    d.set.classes = request.classes;
    d.corpora = corpus::corpus_tallies(fill_set(sel.clips, bf.value, request, d));
    const std::set<std::string> distinct(d.set.speakers.begin(), d.set.speakers.end());
    d.speakers_sorted.assign(distinct.begin(), distinct.end());
    return d;
}

}  // namespace ser
