// Corpus records and the reader interface: what every corpus reader gives per clip, in one label vocabulary.
// Sits between the folders on disk and training/evaluation (issue #9 item 1); each reader follows its corpus's published naming.
#pragma once
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser::corpus {

// The one label vocabulary: RAVDESS's eight emotions (Livingstone & Russo 2018), which cover
// every other corpus's classes except EmoDB's boredom.
const std::vector<std::string>& vocabulary();  // neutral calm happy sad angry fearful disgust surprised
bool in_vocabulary(const std::string& label);
std::string vocabulary_text();                 // "neutral calm happy ...", for messages

// One clip as a reader places it. Strings are empty when the corpus does not say.
struct ClipRecord {
    std::string path;          // root joined with the file's path below it
    std::string label;         // a vocabulary name, or the corpus's own word when outside it ("boredom")
    std::string speaker;       // qualified by corpus: "ravdess/07" and "ased/07" are different people
    std::string corpus;        // reader name ("ravdess") or, for a manifest, its corpus column / file stem
    std::string sentence;      // the corpus's own sentence/text id ("01", "DFA", "a01", TESS's word)
    std::string gender;        // "female", "male" or "" (unknown)
    std::string intensity;     // as the corpus names it: "normal"/"strong", "low"/"medium"/"high"/"unspecified"
    int repetition = 0;        // take number when the name has one, else 0
    std::string source_label;  // the emotion code as written in the file name ("05", "ANG", "W", "sa")

    bool labelled_in_vocabulary() const { return in_vocabulary(label); }
};

// What reading one or more roots gives: clips sorted by path, and every file left out with why.
struct CorpusRead {
    std::vector<ClipRecord> clips;
    std::vector<std::string> problems;  // "file: why" — files that were not placed (never guessed)
    std::vector<std::string> notes;     // kept, but worth saying ("label 'boredom' outside the vocabulary")
};

// A corpus layout. A new corpus is one new .cpp implementing this and one row in registry.cpp.
class CorpusReader {
public:
    virtual ~CorpusReader() = default;
    virtual std::string name() const = 0;                // "ravdess": what --corpus takes and speakers carry
    virtual std::string layout() const = 0;              // the naming, quoted in refusals
    virtual std::vector<std::string> labels() const = 0; // every label this reader can give
    // The licence its authors publish it under, with the paper to cite (as ../shared/data/README.md
    // states them); "" when the reader cannot know (a manifest). Model cards quote it.
    virtual std::string licence() const = 0;

    // One file from its path relative to the root (folders may carry part of the naming);
    // the record's path is that relative path. Refuses, naming the file and why, instead of guessing.
    virtual Result<ClipRecord> place(const std::string& relative_path) const = 0;

    // How well a root fits this layout: the fraction of `files` (audio files below the root,
    // relative, sorted) that place() accepts; 0 for an empty list.
    virtual double recognise(const std::string& root, const std::vector<std::string>& files) const;

    // Every file of `files` placed, paths joined to the root; refusals go to problems. A Status
    // only when the root as a whole cannot be read (a manifest that cannot be opened).
    virtual Result<CorpusRead> read(const std::string& root, const std::vector<std::string>& files) const;
};

}  // namespace ser::corpus
