// Explicit label rules and class selection for corpus records.
// Rules are validated against the labels the readers and the data can give, so a typo is refused rather than ignored.
#include "ser/train/corpus/labels.h"

#include <algorithm>

#include "ser/train/corpus/naming.h"
#include "ser/train/corpus/registry.h"

namespace ser::corpus {
namespace {

std::string list_text(const std::set<std::string>& labels) {
    std::string out;
    for (const std::string& l : labels) out += (out.empty() ? "" : " ") + l;
    return out;
}

Status refuse_rule(const std::string& rule, const std::string& why) {
    return Status::error("corpus", "--map rule '" + rule + "': " + why);
}

// "calm = Neutral" -> {calm, neutral}, checked against `known`.
Result<LabelRule> parse_rule(const std::string& rule, const std::set<std::string>& known) {
    const std::vector<std::string> parts = split(rule, '=');
    if (parts.size() != 2 || trim(parts[0]).empty() || trim(parts[1]).empty())
        return refuse_rule(rule, "malformed; expected FROM=TO such as calm=neutral");
    LabelRule r{lower(trim(parts[0])), lower(trim(parts[1]))};
    for (const std::string* l : {&r.from, &r.to})
        if (!known.count(*l)) return refuse_rule(rule, "unknown label '" + *l + "'; expected one of " + list_text(known));
    return r;
}

}  // namespace

std::set<std::string> known_labels(const std::vector<ClipRecord>& clips) {
    std::set<std::string> out = reader_labels();
    for (const ClipRecord& c : clips) out.insert(c.label);
    return out;
}

std::string LabelMap::apply(const std::string& label) const {
    for (const LabelRule& r : rules)
        if (r.from == label) return r.to;
    return label;
}

Result<LabelMap> parse_label_map(const std::vector<std::string>& arguments, const std::set<std::string>& known) {
    LabelMap map;
    for (const std::string& arg : arguments) {
        for (const std::string& piece : split(arg, ',')) {
            if (trim(piece).empty()) return refuse_rule(arg, "empty rule; expected FROM=TO[,FROM=TO...]");
            Result<LabelRule> r = parse_rule(trim(piece), known);
            if (!r.is_ok()) return r.status;
            const auto same = std::find_if(map.rules.begin(), map.rules.end(),
                                           [&](const LabelRule& o) { return o.from == r.value.from; });
            if (same != map.rules.end()) {
                if (same->to != r.value.to)
                    return refuse_rule(trim(piece), "'" + r.value.from + "' is already mapped to '" + same->to +
                                                        "'; expected one target per label");
                continue;
            }
            map.rules.push_back(r.value);
        }
    }
    // Rules apply once, so "calm=neutral,neutral=sad" would not send calm to sad: refuse rather than surprise.
    for (const LabelRule& a : map.rules)
        for (const LabelRule& b : map.rules)
            if (a.to == b.from && a.from != a.to && b.from != b.to)
                return refuse_rule(a.from + "=" + a.to, "its target '" + a.to + "' is itself mapped (" + b.from + "=" +
                                                            b.to + "); expected no chains, rules apply once");
    return map;
}

std::map<std::string, std::size_t> apply_label_map(std::vector<ClipRecord>& clips, const LabelMap& map) {
    std::map<std::string, std::size_t> changed;
    for (const LabelRule& r : map.rules) changed[r.from + "=" + r.to] = 0;
    for (ClipRecord& c : clips)
        for (const LabelRule& r : map.rules)
            if (c.label == r.from) {
                c.label = r.to;
                ++changed[r.from + "=" + r.to];
                break;
            }
    return changed;
}

Result<std::vector<std::string>> parse_class_list(const std::string& text, const std::set<std::string>& known) {
    std::vector<std::string> out;
    for (const std::string& piece : split(text, ',')) {
        const std::string l = lower(trim(piece));
        if (l.empty()) return Status::error("corpus", "class list '" + text + "' has an empty item; expected labels separated by commas");
        if (!known.count(l))
            return Status::error("corpus", "class list '" + text + "': unknown label '" + l + "'; expected one of " + list_text(known));
        if (std::find(out.begin(), out.end(), l) != out.end())
            return Status::error("corpus", "class list '" + text + "' names '" + l + "' twice; expected each once");
        out.push_back(l);
    }
    return out;
}

Selection select_classes(const std::vector<ClipRecord>& clips, const std::vector<std::string>& classes) {
    const std::vector<std::string>& wanted = classes.empty() ? vocabulary() : classes;
    const std::set<std::string> keep(wanted.begin(), wanted.end());
    Selection s;
    std::map<std::string, std::size_t> kept;
    for (const ClipRecord& c : clips) {
        if (keep.count(c.label)) {
            s.clips.push_back(c);
            ++kept[c.label];
        } else {
            ++s.left_out[c.label];
        }
    }
    for (const std::string& w : wanted)
        if (!kept.count(w)) s.absent.push_back(w);
    return s;
}

}  // namespace ser::corpus
