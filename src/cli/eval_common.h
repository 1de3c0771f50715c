// Shared pieces of `ser train`, `ser eval` and `ser classify`: option parsing, the --data/--corpus/--map
// request for the training library's loader (labelled_data.h), metric and protocol printing, SVG plots.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ser/train/augment.h"
#include "ser/train/protocols.h"
#include "ser/train/metrics.h"
#include "ser/base/status.h"
#include "ser/train/labelled_data.h"
#include "ser/train/report_json.h"
#include "ser/train/trainer.h"

namespace ser::cli {

// Minimal option parser: "--name value", "--name=value" and flags. Unknown options are errors.
struct ParsedArgs {
    std::map<std::string, std::string> values;   // options given with a value (the last one when repeated)
    std::map<std::string, std::vector<std::string>> lists;  // every value of each option, in order
    std::set<std::string> flags;                 // flags given
    std::vector<std::string> positional;
    bool has(const std::string& name) const { return values.count(name) || flags.count(name); }
    std::string get(const std::string& name, const std::string& fallback = "") const {
        auto it = values.find(name);
        return it == values.end() ? fallback : it->second;
    }
    std::vector<std::string> get_all(const std::string& name) const {
        auto it = lists.find(name);
        return it == lists.end() ? std::vector<std::string>{} : it->second;
    }
};
Result<ParsedArgs> parse_args(const std::vector<std::string>& args, const std::set<std::string>& value_options,
                              const std::set<std::string>& flag_options);

Result<int> parse_int(const std::string& option, const std::string& text, int lo, int hi);
Result<double> parse_double(const std::string& option, const std::string& text, double lo, double hi);
std::vector<std::string> split_list(const std::string& text);

// Training options from --hidden --epochs --seed --batch --lr --l2 --dropout --patience --val
// --no-class-weights (defaults from TrainOptions).
Status read_train_options(const ParsedArgs& a, TrainOptions& opt);
// The option names read_train_options understands, for parse_args.
std::set<std::string> train_value_options();
std::set<std::string> train_flag_options();
// Help text for those options.
const char* train_options_help();

// --calibrate K --cal-shrink S --cal-cap SD --cal-draws N of `ser train` and `ser eval --protocol`;
// the set's names find each clip's voiced seconds. Without --calibrate, out stays disabled.
Status read_calibration_options(const ParsedArgs& a, const std::string& set_name, CalibrationOptions& out);
std::set<std::string> calibration_value_options();
const char* calibration_options_help();

// Where features are cached unless --cache says otherwise: $SER_CACHE/features or ~/.cache/ser/features.
std::string default_cache_dir();

// --corpus NAME and --map RULES (repeatable) with the roots: `ser train --data A --data B`, `ser eval --model M A B`.
std::set<std::string> data_value_options();  // data, corpus, map
const char* data_options_help();
// The loader's request; progress goes to stderr unless quiet. Refuses an unknown --corpus name.
Result<DataRequest> data_request(const ParsedArgs& a, const std::vector<std::string>& roots,
                                 const std::vector<std::string>& classes, const std::string& set_name, int n_jobs,
                                 const std::string& cache_dir, bool quiet, int n_augment);
// "<cmd>: skipped FILE: why" for every problem, notes, and (unless quiet) the corpora, rules and left-out labels.
void report_data(const char* cmd, const LabelledData& d, bool quiet);

// --augment K (0-64, default 0) of `ser train` and `ser eval --protocol`.
Result<int> read_augment(const ParsedArgs& a);
// The model metadata's "augmentation" line: "none", or K copies with the recipe
// (training_augment_config(), augment.h).
std::string describe_augment(int n_augment);

// --emotions value: "all" or empty = the eight RAVDESS emotions; otherwise a checked list.
Result<std::vector<std::string>> parse_emotions(const std::string& text);

// The fold table (UAR first), mean/sd/min/max, the per-corpus table and the pooled metrics.
void print_protocol(const ProtocolResult& r);
// With calibration: plain and calibrated UAR and accuracy on the same clips, per corpus and pooled.
void print_calibration(const ProtocolResult& r);
// --protocol value(s): random, speaker or loco, comma-separated, each once.
Result<std::vector<std::string>> parse_protocols(const std::string& text);
void print_metrics(const Metrics& m);
std::string percent(double v);

// SVG written by hand: a row-normalised confusion matrix and training curves (loss, validation accuracy).
std::string confusion_svg(const Metrics& m, const std::string& title);
std::string curves_svg(const std::vector<std::vector<EpochStats>>& histories, const std::vector<std::string>& names,
                       const std::string& title);
Status write_text_file(const std::string& path, const std::string& text);
// Creates DIR and writes confusion.svg (+ curves.svg when histories are given); prints the paths.
Status write_plots(const std::string& dir, const Metrics& m, const std::vector<std::vector<EpochStats>>& histories,
                   const std::vector<std::string>& names, const std::string& title);

}  // namespace ser::cli
