// Shared pieces of `ser train`, `ser eval`, `ser classify`: options, the data request, metric output, SVG.
// Thin front end over the training library (labelled_data.h, protocols.h, metrics.h); the SVG is written by hand.
#include "eval_common.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ser/train/corpus/registry.h"
#include "ser/vectors/feature_sets.h"
#include "ser/train/dataset.h"

namespace ser::cli {

Result<ParsedArgs> parse_args(const std::vector<std::string>& args, const std::set<std::string>& value_options,
                              const std::set<std::string>& flag_options) {
    ParsedArgs p;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
            std::string name = a.substr(2), value;
            const auto eq = name.find('=');
            const bool inline_value = eq != std::string::npos;
            if (inline_value) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            if (value_options.count(name)) {
                if (!inline_value) {
                    if (i + 1 >= args.size())
                        return Status::error("args", "--" + name + " needs a value; expected --" + name + " VALUE");
                    value = args[++i];
                }
                p.values[name] = value;
                p.lists[name].push_back(value);
            } else if (flag_options.count(name) && !inline_value) {
                p.flags.insert(name);
            } else {
                return Status::error("args", "unknown option '" + a + "'; see --help");
            }
        } else {
            p.positional.push_back(a);
        }
    }
    return p;
}

Result<int> parse_int(const std::string& option, const std::string& text, int lo, int hi) {
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || v < lo || v > hi)
        return Status::error("args", "--" + option + " is '" + text + "'; expected an integer " + std::to_string(lo) +
                                         " to " + std::to_string(hi));
    return int(v);
}

Result<double> parse_double(const std::string& option, const std::string& text, double lo, double hi) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno != 0 || !(v >= lo && v <= hi)) {
        std::ostringstream o;
        o << "--" << option << " is '" << text << "'; expected a number in [" << lo << ", " << hi << "]";
        return Status::error("args", o.str());
    }
    return v;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::set<std::string> train_value_options() {
    return {"hidden", "epochs", "seed", "batch", "lr", "l2", "dropout", "patience", "val", "augment"};
}
std::set<std::string> train_flag_options() { return {"no-class-weights", "no-corpus-weights", "no-refit", "stop-on-loss"}; }

const char* train_options_help() {
    return "  --augment K         train on K perturbed copies of every training clip as well (default 0):\n"
           "                      noise at 5-35 dB SNR, gain, speed 0.92-1.08, other sample rates\n"
           "                      (`ser info MODEL` shows the recipe); the\n"
           "                      copies of a clip stay in its split and are never tested on\n"
           "  --hidden W[,W...]   hidden ReLU layer widths (default 256)\n"
           "  --epochs N          maximum epochs (default 200)\n"
           "  --seed N            random seed: same seed, same model (default 1)\n"
           "  --batch N           mini-batch size (default 64)\n"
           "  --lr X              Adam learning rate (default 0.001)\n"
           "  --l2 X              L2 weight decay (default 0.0001)\n"
           "  --dropout X         dropout on hidden units, 0-0.9 (default 0)\n"
           "  --patience N        early stopping patience in epochs (default 30)\n"
           "  --val X             validation share for early stopping, 0-0.5 (default 0.1)\n"
           "  --no-class-weights  do not weight classes by inverse frequency\n"
           "  --no-corpus-weights let each corpus weigh by its clip count (default: every corpus weighs the\n"
           "                      same in the loss, and every class within its corpus)\n"
           "  --stop-on-loss      early stopping watches validation loss (default: validation accuracy)\n"
           "  --no-refit          keep the early-stopped weights (default: retrain on all the data for the\n"
           "                      epoch count early stopping chose)\n";
}

std::set<std::string> calibration_value_options() { return {"calibrate", "cal-shrink", "cal-cap", "cal-draws"}; }

const char* calibration_options_help() {
    return "speaker calibration (models that accept profiles; the 'emo' set):\n"
           "  --calibrate K      profiles of K neutral clips per speaker: training speakers' drawn at random,\n"
           "                     test speakers' the first K by path (not scored; figures with and without)\n"
           "  --cal-shrink S     seconds of voiced speech at which a profile weighs half (default 0.5)\n"
           "  --cal-cap SD       largest shift per feature in population sds, 0 = none (default 3)\n"
           "  --cal-draws N      profiles drawn per training clip (default 1)\n";
}

Status read_calibration_options(const ParsedArgs& a, const std::string& set_name, CalibrationOptions& out) {
    if (!a.has("calibrate")) {
        for (const char* o : {"cal-shrink", "cal-cap", "cal-draws"})
            if (a.has(o)) return Status::error("args", std::string("--") + o + " needs --calibrate K");
        return Status::ok();
    }
    Result<int> k = parse_int("calibrate", a.get("calibrate"), 1, 16);
    if (!k) return k.status;
    out.k = k.value;
    if (a.has("cal-shrink")) {
        Result<double> v = parse_double("cal-shrink", a.get("cal-shrink"), 0.0, 600.0);
        if (!v) return v.status;
        out.shrink_s = float(v.value);
    }
    if (a.has("cal-cap")) {
        Result<double> v = parse_double("cal-cap", a.get("cal-cap"), 0.0, 100.0);
        if (!v) return v.status;
        out.cap_sd = float(v.value);
    }
    if (a.has("cal-draws")) {
        Result<int> v = parse_int("cal-draws", a.get("cal-draws"), 1, 16);
        if (!v) return v.status;
        out.draws = v.value;
    }
    Result<std::vector<std::string>> names = feature_vector_names(set_name);
    if (!names) return names.status;
    out.feature_names = std::move(names.value);
    return out.validate();
}

Status read_train_options(const ParsedArgs& a, TrainOptions& opt) {
    if (a.has("hidden")) {
        opt.hidden.clear();
        const std::string h = a.get("hidden");
        if (h != "none" && h != "0") {
            for (const auto& w : split_list(h)) {
                auto v = parse_int("hidden", w, 1, 8192);
                if (!v) return v.status;
                opt.hidden.push_back(v.value);
            }
        }
    }
    struct IntOpt {
        const char* name;
        int* dst;
        int lo, hi;
    } ints[] = {{"epochs", &opt.max_epochs, 1, 100000}, {"batch", &opt.batch_size, 1, 65536}, {"patience", &opt.patience, 1, 100000}};
    for (auto& o : ints)
        if (a.has(o.name)) {
            auto v = parse_int(o.name, a.get(o.name), o.lo, o.hi);
            if (!v) return v.status;
            *o.dst = v.value;
        }
    if (a.has("seed")) {
        auto v = parse_int("seed", a.get("seed"), 0, 2147483647);
        if (!v) return v.status;
        opt.seed = std::uint64_t(v.value);
    }
    struct DblOpt {
        const char* name;
        double* dst;
        double lo, hi;
    } dbls[] = {{"lr", &opt.learning_rate, 1e-7, 1.0}, {"l2", &opt.l2, 0.0, 1.0}, {"dropout", &opt.dropout, 0.0, 0.9},
                {"val", &opt.validation_fraction, 0.0, 0.5}};
    for (auto& o : dbls)
        if (a.has(o.name)) {
            auto v = parse_double(o.name, a.get(o.name), o.lo, o.hi);
            if (!v) return v.status;
            *o.dst = v.value;
        }
    if (a.flags.count("no-class-weights")) opt.class_weighting = false;
    if (a.flags.count("no-corpus-weights")) opt.group_weighting = false;
    if (a.flags.count("no-refit")) opt.refit = false;
    if (a.flags.count("stop-on-loss")) opt.stop_on_accuracy = false;
    return opt.validate();
}

std::string default_cache_dir() {
    if (const char* c = std::getenv("SER_CACHE"); c && *c) return std::string(c) + "/features";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/ser/features";
    return "";
}

Result<std::vector<std::string>> parse_emotions(const std::string& text) {
    const auto& all = ravdess_emotions();
    if (text.empty() || text == "all") return all;
    std::vector<std::string> out;
    for (const auto& e : split_list(text)) {
        if (std::find(all.begin(), all.end(), e) == all.end()) {
            std::string list;
            for (const auto& n : all) list += (list.empty() ? "" : ",") + n;
            return Status::error("args", "emotion '" + e + "' is not a RAVDESS emotion; expected some of " + list);
        }
        if (std::find(out.begin(), out.end(), e) != out.end())
            return Status::error("args", "emotion '" + e + "' is listed twice; expected each once");
        out.push_back(e);
    }
    if (out.size() < 2) return Status::error("args", "--emotions lists " + std::to_string(out.size()) + "; expected at least 2");
    return out;
}

std::set<std::string> data_value_options() { return {"data", "corpus", "map"}; }

const char* data_options_help() {
    return "  --data ROOT         a corpus folder or a .csv manifest (path,label[,speaker][,corpus]); repeat for\n"
           "                      several corpora. Layouts are recognised: ravdess crema-d tess emodb savee ased nemo\n"
           "  --corpus NAME       read every root with this reader instead of recognising it\n"
           "  --map FROM=TO[,..]  relabel clips before selecting classes (calm=neutral); repeatable\n";
}

Result<DataRequest> data_request(const ParsedArgs& a, const std::vector<std::string>& roots,
                                 const std::vector<std::string>& classes, const std::string& set_name, int n_jobs,
                                 const std::string& cache_dir, bool quiet, int n_augment) {
    DataRequest r;
    r.roots = roots;
    r.corpus = a.get("corpus");
    if (!r.corpus.empty()) {
        Result<const corpus::CorpusReader*> reader = corpus::find_corpus_reader(r.corpus);
        if (!reader) return reader.status;
    }
    r.map_rules = a.get_all("map");
    r.classes = classes;
    r.feature_set = set_name;
    r.n_jobs = n_jobs;
    r.cache_dir = cache_dir;
    r.n_augment = n_augment;
    if (!quiet) {
        r.progress = [](std::size_t done, std::size_t total) {
            if (done == total || done % 50 == 0) std::fprintf(stderr, "\rfeatures: %zu/%zu clips", done, total);
            if (done == total) std::fprintf(stderr, "\n");
        };
    }
    return r;
}

void report_data(const char* cmd, const LabelledData& d, bool quiet) {
    for (const auto& p : d.problems) std::fprintf(stderr, "%s: skipped %s\n", cmd, p.c_str());
    for (const auto& n : d.notes) std::fprintf(stderr, "%s: note: %s\n", cmd, n.c_str());
    if (quiet) return;
    for (const auto& [rule, n] : d.mapped) std::fprintf(stderr, "map %s: %zu clips\n", rule.c_str(), n);
    for (const auto& t : d.corpora) std::fprintf(stderr, "%s\n", corpus::tally_line(t).c_str());
    if (!d.left_out.empty()) {
        std::string what;
        for (const auto& [label, n] : d.left_out) what += (what.empty() ? "" : ", ") + label + " " + std::to_string(n);
        std::fprintf(stderr, "left out (not a class): %s\n", what.c_str());
    }
}

Result<std::vector<std::string>> parse_protocols(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& p : split_list(text)) {
        if (p != "random" && p != "speaker" && p != "loco")
            return Status::error("args", "--protocol is '" + p + "'; expected random, speaker or loco");
        if (std::find(out.begin(), out.end(), p) != out.end())
            return Status::error("args", "--protocol lists '" + p + "' twice; expected each once");
        out.push_back(p);
    }
    if (out.empty()) return Status::error("args", "--protocol is empty; expected random, speaker or loco");
    return out;
}

Result<int> read_augment(const ParsedArgs& a) {
    if (!a.has("augment")) return 0;
    return parse_int("augment", a.get("augment"), 0, 64);
}

std::string describe_augment(int n_augment) {
    if (n_augment == 0) return "none";
    return std::to_string(n_augment) + " copies per clip: " + training_augment_config().describe();
}

std::string percent(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f%%", 100.0 * v);
    return b;
}

void print_metrics(const Metrics& m) {
    std::printf("UAR %s   accuracy %s   macro-F1 %s   (%d clips)\n", percent(m.uar).c_str(), percent(m.accuracy).c_str(),
                percent(m.macro_f1).c_str(), m.n);
    std::printf("\n%-10s %9s %9s %9s %8s\n", "class", "precision", "recall", "F1", "support");
    for (std::size_t c = 0; c < m.classes.size(); ++c)
        std::printf("%-10s %9.3f %9.3f %9.3f %8d\n", m.classes[c].c_str(), m.per_class[c].precision,
                    m.per_class[c].recall, m.per_class[c].f1, m.per_class[c].support);
    std::printf("\nconfusion (rows true, columns predicted)\n%-10s", "");
    for (const auto& c : m.classes) std::printf(" %9.9s", c.c_str());
    std::printf("\n");
    for (std::size_t r = 0; r < m.classes.size(); ++r) {
        std::printf("%-10s", m.classes[r].c_str());
        for (std::size_t c = 0; c < m.classes.size(); ++c) std::printf(" %9d", m.confusion(Eigen::Index(r), Eigen::Index(c)));
        std::printf("\n");
    }
}

namespace {
void figure_row(const std::string& name, double uar, double acc, double f1, int n) {
    std::printf("%-44s %9s %9s %9s", name.c_str(), percent(uar).c_str(), percent(acc).c_str(), percent(f1).c_str());
    if (n >= 0) std::printf(" %7d", n);
    std::printf("\n");
}
}  // namespace

void print_protocol(const ProtocolResult& r) {
    std::printf("%-44s %9s %9s %9s %7s\n", "", "UAR", "accuracy", "macro-F1", "clips");
    for (const auto& f : r.folds) figure_row(f.name, f.metrics.uar, f.metrics.accuracy, f.metrics.macro_f1, f.n_test);
    figure_row("mean", r.uar.mean, r.accuracy.mean, r.macro_f1.mean, -1);
    std::printf("%-44s %9.1f %9.1f %9.1f\n", "sd (points)", 100 * r.uar.sd, 100 * r.accuracy.sd, 100 * r.macro_f1.sd);
    figure_row("min", r.uar.min, r.accuracy.min, r.macro_f1.min, -1);
    figure_row("max", r.uar.max, r.accuracy.max, r.macro_f1.max, -1);
    std::printf("\nper corpus, pooled over %s:\n", r.protocol == "random" ? "seeds" : "folds");
    for (std::size_t c = 0; c < r.corpus_names.size(); ++c) {
        const Metrics& m = r.per_corpus[c];
        figure_row(r.corpus_names[c], m.uar, m.accuracy, m.macro_f1, m.n);
    }
    figure_row("all corpora", r.pooled.uar, r.pooled.accuracy, r.pooled.macro_f1, r.pooled.n);
    std::printf("\npooled over all %s:\n", r.protocol == "random" ? "seeds" : "folds");
    print_metrics(r.pooled);
    if (r.has_calibration) print_calibration(r);
}

void print_calibration(const ProtocolResult& r) {
    const ProtocolResult::Calibrated& c = r.calibration;
    std::printf("\nwith a speaker profile: %s\n", c.description.c_str());
    std::printf("%d speakers calibrated (%d left out: too few %s clips), %d clips as profiles, %d scored\n",
                c.n_speakers, c.n_speakers_left_out, "neutral", c.n_calibration_clips, c.n_scored);
    std::printf("%-24s %11s %11s %7s %11s %11s\n", "same clips", "UAR plain", "calibrated", "gain", "acc plain", "calibrated");
    auto row = [](const std::string& name, const Metrics& p, const Metrics& k) {
        std::printf("%-24s %10.1f%% %10.1f%% %+7.1f %10.1f%% %10.1f%%\n", name.c_str(), 100 * p.uar, 100 * k.uar,
                    100 * (k.uar - p.uar), 100 * p.accuracy, 100 * k.accuracy);
    };
    for (std::size_t i = 0; i < r.corpus_names.size() && i < c.plain_per_corpus.size(); ++i)
        row(r.corpus_names[i], c.plain_per_corpus[i], c.calibrated_per_corpus[i]);
    row("all corpora", c.plain, c.calibrated);
}

namespace {
std::string xml_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}
std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}
}  // namespace

std::string confusion_svg(const Metrics& m, const std::string& title) {
    const int k = int(m.classes.size());
    const int cell = 64, left = 110, top = 70;
    const int w = left + k * cell + 30, h = top + k * cell + 70;
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w
      << " " << h << "\" font-family=\"sans-serif\">\n";
    o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    o << "<text x=\"" << w / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << xml_escape(title) << "</text>\n";
    o << "<text x=\"" << w / 2 << "\" y=\"40\" text-anchor=\"middle\" font-size=\"11\" fill=\"#444\">accuracy "
      << percent(m.accuracy) << ", UAR " << percent(m.uar) << ", macro-F1 " << percent(m.macro_f1) << ", n=" << m.n
      << " (cells: share of the true class)</text>\n";
    for (int r = 0; r < k; ++r) {
        const double row_sum = std::max(1, m.confusion.row(r).sum());
        for (int c = 0; c < k; ++c) {
            const double share = m.confusion(r, c) / row_sum;
            // White to dark blue by row share.
            const int R = int(255 - share * (255 - 31)), G = int(255 - share * (255 - 78)), B = int(255 - share * (255 - 140));
            const int x = left + c * cell, y = top + r * cell;
            o << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell << "\" height=\"" << cell << "\" fill=\"rgb("
              << R << "," << G << "," << B << ")\" stroke=\"#999\"/>\n";
            o << "<text x=\"" << x + cell / 2 << "\" y=\"" << y + cell / 2 - 2 << "\" text-anchor=\"middle\" font-size=\"13\" fill=\""
              << (share > 0.5 ? "white" : "black") << "\">" << m.confusion(r, c) << "</text>\n";
            o << "<text x=\"" << x + cell / 2 << "\" y=\"" << y + cell / 2 + 14 << "\" text-anchor=\"middle\" font-size=\"10\" fill=\""
              << (share > 0.5 ? "white" : "#333") << "\">" << fmt("%.0f%%", 100 * share) << "</text>\n";
        }
        o << "<text x=\"" << left - 6 << "\" y=\"" << top + r * cell + cell / 2 + 4
          << "\" text-anchor=\"end\" font-size=\"12\">" << xml_escape(m.classes[r]) << "</text>\n";
    }
    for (int c = 0; c < k; ++c)
        o << "<text x=\"" << left + c * cell + cell / 2 << "\" y=\"" << top + k * cell + 16
          << "\" text-anchor=\"middle\" font-size=\"11\">" << xml_escape(m.classes[c]) << "</text>\n";
    o << "<text x=\"" << left + k * cell / 2 << "\" y=\"" << top + k * cell + 40
      << "\" text-anchor=\"middle\" font-size=\"12\">predicted</text>\n";
    o << "<text x=\"16\" y=\"" << top + k * cell / 2 << "\" font-size=\"12\" transform=\"rotate(-90 16 " << top + k * cell / 2
      << ")\" text-anchor=\"middle\">true</text>\n";
    o << "</svg>\n";
    return o.str();
}

std::string curves_svg(const std::vector<std::vector<EpochStats>>& histories, const std::vector<std::string>& names,
                       const std::string& title) {
    const int w = 760, h = 420, left = 60, right = 60, top = 50, bottom = 50;
    const int pw = w - left - right, ph = h - top - bottom;
    int max_epoch = 1;
    double max_loss = 1e-6;
    for (const auto& hist : histories)
        for (const auto& e : hist) {
            max_epoch = std::max(max_epoch, e.epoch);
            if (std::isfinite(e.train_loss)) max_loss = std::max(max_loss, e.train_loss);
            if (std::isfinite(e.val_loss)) max_loss = std::max(max_loss, e.val_loss);
        }
    max_loss *= 1.05;
    auto X = [&](double epoch) { return left + pw * (epoch - 1) / std::max(1, max_epoch - 1); };
    auto YL = [&](double loss) { return top + ph * (1.0 - std::min(loss, max_loss) / max_loss); };
    auto YA = [&](double acc) { return top + ph * (1.0 - acc); };
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << " "
      << h << "\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    o << "<text x=\"" << w / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << xml_escape(title) << "</text>\n";
    o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#888\"/>\n";
    for (int i = 0; i <= 4; ++i) {
        const double yy = top + ph * i / 4.0;
        o << "<line x1=\"" << left << "\" x2=\"" << left + pw << "\" y1=\"" << yy << "\" y2=\"" << yy
          << "\" stroke=\"#eee\"/>\n";
        o << "<text x=\"" << left - 6 << "\" y=\"" << yy + 4 << "\" text-anchor=\"end\" font-size=\"10\" fill=\"#b03030\">"
          << fmt("%.2f", max_loss * (1 - i / 4.0)) << "</text>\n";
        o << "<text x=\"" << left + pw + 6 << "\" y=\"" << yy + 4 << "\" font-size=\"10\" fill=\"#2060b0\">"
          << fmt("%.0f%%", 100 * (1 - i / 4.0)) << "</text>\n";
    }
    for (int i = 0; i <= 5; ++i) {
        const double ep = 1 + (max_epoch - 1) * i / 5.0;
        o << "<text x=\"" << X(ep) << "\" y=\"" << top + ph + 16 << "\" text-anchor=\"middle\" font-size=\"10\">"
          << fmt("%.0f", ep) << "</text>\n";
    }
    o << "<text x=\"" << left + pw / 2 << "\" y=\"" << h - 12 << "\" text-anchor=\"middle\" font-size=\"12\">epoch</text>\n";
    o << "<text x=\"14\" y=\"" << top + ph / 2 << "\" font-size=\"12\" fill=\"#b03030\" transform=\"rotate(-90 14 "
      << top + ph / 2 << ")\" text-anchor=\"middle\">loss (train solid, validation dashed)</text>\n";
    o << "<text x=\"" << w - 12 << "\" y=\"" << top + ph / 2 << "\" font-size=\"12\" fill=\"#2060b0\" transform=\"rotate(90 "
      << w - 12 << " " << top + ph / 2 << ")\" text-anchor=\"middle\">validation accuracy</text>\n";
    const double opacity = histories.size() > 1 ? 0.55 : 1.0;
    auto polyline = [&](const std::vector<EpochStats>& hist, auto value, auto ymap, const char* colour, const char* dash) {
        std::ostringstream pts;
        int n = 0;
        for (const auto& e : hist) {
            const double v = value(e);
            if (!std::isfinite(v)) continue;
            pts << fmt("%.1f", X(e.epoch)) << "," << fmt("%.1f", ymap(v)) << " ";
            ++n;
        }
        if (n == 0) return;
        o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" stroke-opacity=\"" << opacity << "\""
          << (dash[0] ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) << " points=\"" << pts.str()
          << "\"/>\n";
    };
    for (std::size_t i = 0; i < histories.size(); ++i) {
        o << "<g><title>" << xml_escape(i < names.size() ? names[i] : "") << "</title>\n";
        polyline(histories[i], [](const EpochStats& e) { return e.train_loss; }, YL, "#b03030", "");
        polyline(histories[i], [](const EpochStats& e) { return e.val_loss; }, YL, "#b03030", "5,3");
        polyline(histories[i], [](const EpochStats& e) { return e.val_accuracy; }, YA, "#2060b0", "");
        o << "</g>\n";
    }
    o << "</svg>\n";
    return o.str();
}

Status write_text_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return Status::error("plots", "cannot write '" + path + "'; expected a writable path");
    f << text;
    if (!f) return Status::error("plots", "writing '" + path + "' failed");
    return Status::ok();
}

Status write_plots(const std::string& dir, const Metrics& m, const std::vector<std::vector<EpochStats>>& histories,
                   const std::vector<std::string>& names, const std::string& title) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::error("plots", "cannot create '" + dir + "': " + ec.message());
    Status st = write_text_file(dir + "/confusion.svg", confusion_svg(m, title));
    if (!st) return st;
    std::fprintf(stderr, "wrote %s/confusion.svg\n", dir.c_str());
    if (!histories.empty()) {
        st = write_text_file(dir + "/curves.svg", curves_svg(histories, names, "training curves: " + title));
        if (!st) return st;
        std::fprintf(stderr, "wrote %s/curves.svg\n", dir.c_str());
    }
    return Status::ok();
}

}  // namespace ser::cli
