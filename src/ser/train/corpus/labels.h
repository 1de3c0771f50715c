// Label remapping (`--map calm=neutral`) and class selection (`--classes angry,happy,neutral`) over corpus records.
// Applied after reading (registry.h) and before features/training; every change is explicit and counted, never silent (issue #9).
#pragma once
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ser/train/corpus/corpus.h"

namespace ser::corpus {

// The labels a rule or class list may name: the vocabulary, every reader's labels and those of `clips`
// (so a manifest's own "frustrated" can be mapped).
std::set<std::string> known_labels(const std::vector<ClipRecord>& clips = {});

struct LabelRule {
    std::string from, to;
};
struct LabelMap {
    std::vector<LabelRule> rules;            // no two share `from`; no `to` is another rule's `from`
    std::string apply(const std::string& label) const;  // the rule's target, or the label unchanged
    bool empty() const { return rules.empty(); }
};

// Rules "FROM=TO" (case and spaces ignored); each argument may hold several, comma-separated
// ("calm=neutral,boredom=neutral"). Refuses a malformed rule, a label not in `known`, a label mapped
// twice to different targets, and chains (a target that is itself mapped): rules apply once, not in sequence.
Result<LabelMap> parse_label_map(const std::vector<std::string>& arguments, const std::set<std::string>& known);

// Relabels `clips` in place; returns how many clips each rule changed, keyed "from=to" (0 when none).
std::map<std::string, std::size_t> apply_label_map(std::vector<ClipRecord>& clips, const LabelMap& map);

// "angry,happy,neutral" -> its labels in that order; refuses empty items, duplicates and labels not in `known`.
Result<std::vector<std::string>> parse_class_list(const std::string& text, const std::set<std::string>& known);

// The clips whose label is one of `classes` (empty = the vocabulary, so labels outside it such as
// "boredom" are left out unless named). Says what was left out and which classes have no clip.
struct Selection {
    std::vector<ClipRecord> clips;
    std::map<std::string, std::size_t> left_out;  // label -> clips dropped
    std::vector<std::string> absent;              // requested classes with no clip
};
Selection select_classes(const std::vector<ClipRecord>& clips, const std::vector<std::string>& classes);

}  // namespace ser::corpus
