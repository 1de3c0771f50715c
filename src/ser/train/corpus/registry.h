// The corpus readers by name, recognition of a root's layout, and reading one or several roots into one clip list.
// Entry point for `--data ROOT... [--corpus NAME]` (issue #9); the readers themselves follow their corpora's papers (see each .cpp).
#pragma once
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ser/train/corpus/corpus.h"

namespace ser::corpus {

// Every reader, one row each: ravdess crema-d tess emodb savee ased nemo manifest.
const std::vector<const CorpusReader*>& corpus_readers();
std::string corpus_names();  // "ravdess crema-d tess emodb savee ased nemo manifest", for messages and --help

// The reader called `name`, ignoring case, '-' and '_' ("CREMA-D", "cremad", "Emo_DB");
// an unknown name is refused with the list of names.
Result<const CorpusReader*> find_corpus_reader(const std::string& name);

// A root's layout is recognised when one reader places at least this share of its audio files and
// no other reader places as many. Nine in ten: a copy's few stray files are then reported one by one,
// while a parent folder of several corpora (ASED alone is 52% of ../shared/data) is refused, not read as one.
constexpr double kRecogniseShare = 0.9;
Result<const CorpusReader*> recognise_corpus(const std::string& root);

// One root (a folder, or a .csv manifest) with the reader named `corpus_name`, or the recognised one when empty.
Result<CorpusRead> read_corpus(const std::string& root, const std::string& corpus_name = "");

// Several roots, each with its own reader name ("" = recognise); clips merged and sorted by path,
// a file reached through two roots kept once (and reported). Fails on the first root that cannot be read.
struct CorpusRoot {
    std::string path;
    std::string corpus;  // "" = recognise
};
Result<CorpusRead> read_corpora(const std::vector<CorpusRoot>& roots);
// The same reader name (or "" = recognise each) for every root: `--data A --data B [--corpus NAME]`.
Result<CorpusRead> read_corpora(const std::vector<std::string>& roots, const std::string& corpus_name = "");

// What a set of clips holds per corpus, in name order: the counts a model card and a report quote.
struct CorpusTally {
    std::string corpus;
    std::size_t n_clips = 0;
    std::size_t n_speakers = 0;
    std::map<std::string, std::size_t> clips_per_label;
    std::string licence;  // the reader's licence(); "" for a corpus no reader is named after (a manifest's)
};
std::vector<CorpusTally> corpus_tallies(const std::vector<ClipRecord>& clips);
// "ravdess: 1200 clips, 20 speakers (angry 160, calm 160, ...)", for logs.
std::string tally_line(const CorpusTally& t);
// One tally_line per corpus of corpus_tallies(clips).
std::vector<std::string> corpus_summary(const std::vector<ClipRecord>& clips);

// Every label some reader can give (the vocabulary and, e.g., EmoDB's "boredom").
std::set<std::string> reader_labels();

}  // namespace ser::corpus
