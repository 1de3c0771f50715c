// Labelled feature sets from corpora on disk: roots -> readers (corpus/registry.h) -> --map -> class selection
// -> cached batch features (dataset.h) -> LabelledSet. The first stage of `ser train` and `ser eval` (issue #9).
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ser/base/status.h"
#include "ser/train/corpus/registry.h"
#include "ser/train/protocols.h"

namespace ser {

struct DataRequest {
    std::vector<std::string> roots;      // folders or .csv manifests (--data, repeatable)
    std::string corpus;                  // reader for every root (--corpus); "" = recognise each root
    std::vector<std::string> map_rules;  // --map arguments, "calm=neutral[,...]"
    std::vector<std::string> classes;    // class order of the set; clips with other labels are left out
    std::string feature_set = "seed";
    int n_jobs = 0;                      // feature threads, 0 = all cores
    std::string cache_dir;               // "" = no cache
    int n_augment = 0;                   // perturbed copies per clip (training_augment_config())
    std::function<void(std::size_t done, std::size_t total)> progress;
};

struct LabelledData {
    LabelledSet set;
    std::vector<std::string> speakers_sorted;    // distinct, qualified by corpus
    std::vector<corpus::CorpusTally> corpora;    // per corpus, of the rows kept (tally_line() for logs)
    std::map<std::string, std::size_t> left_out; // label -> clips whose label is not a class
    std::map<std::string, std::size_t> mapped;   // "from=to" -> clips the rule relabelled
    std::vector<std::string> problems;           // files not placed or whose features failed ("path: why")
    std::vector<std::string> notes;              // kept, but worth saying (registry notes)
    std::size_t n_left_out() const;
};

// Reads, relabels, selects and computes features. Fails when a root cannot be read, a rule is refused,
// or no clip has one of the classes; files that fail individually are listed in problems instead.
Result<LabelledData> load_labelled_data(const DataRequest& request);

}  // namespace ser
