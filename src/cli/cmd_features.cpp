// `ser features FILE|DIR...`: feature vectors of many files as CSV or JSON (batch, threads, cache).
// Thin front end over the corpus readers (corpus/registry.h) and ser::compute_batch_features (dataset.h).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <map>
#include <string>

#include "cli.h"
#include "ser/train/corpus/registry.h"
#include "ser/train/dataset.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"

namespace ser::cli {
namespace {

void help(FILE* out) {
    std::string sets;
    for (const FeatureSetInfo& s : feature_sets())
        sets += "    " + s.name + " v" + std::to_string(s.version) + " (" + s.config + "): " + s.summary + "\n";
    std::fprintf(out,
                 "usage: ser features FILE|DIR... [--set NAME] [--config C1|C2] [--format csv|json]\n"
                 "                    [--jobs N] [--cache DIR | --no-cache] [--out FILE]\n\n"
                 "Feature vectors of audio files (folders are searched recursively for wav, flac,\n"
                 "ogg, opus, mp3, aiff). Every file is decoded, mixed to mono, resampled to 16 kHz.\n\n"
                 "  --set NAME      feature set (default seed); the set fixes its configuration:\n%s"
                 "  --config C      check that the set is defined on configuration C (or, without\n"
                 "                  --set, pick the first set defined on C)\n"
                 "  --format F      csv (default; one row per file) or json (an array of\n"
                 "                  {file, config, set, version, names, values[, ravdess]})\n"
                 "  --jobs N        worker threads (default 0 = all cores)\n"
                 "  --cache DIR     feature cache (default $SER_CACHE/features or ~/.cache/ser/features);\n"
                 "                  entries are keyed by file content + set/config name and version\n"
                 "  --no-cache      compute everything, read and write no cache\n"
                 "  --out FILE      write to FILE instead of standard output\n\n"
                 "A folder whose layout a corpus reader recognises (ravdess crema-d tess emodb savee ased\n"
                 "nemo) adds corpus, speaker and label per file; a file that reader cannot place is\n"
                 "reported on stderr with why. RAVDESS names (03-01-EE-II-SS-RR-AA.ext) also add their\n"
                 "parsed fields. Other files get plain rows (empty fields, never guessed). Files that\n"
                 "fail are reported on stderr and left out; the exit status is then 1 (2 for bad arguments).\n",
                 sets.c_str());
}

std::string default_cache_dir() {
    if (const char* c = std::getenv("SER_CACHE"); c != nullptr && *c != '\0') return std::string(c) + "/features";
    if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') return std::string(h) + "/.cache/ser/features";
    return std::string();
}

std::string csv_quote(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

void progress_bar(std::size_t done, std::size_t total) {
    const int width = 40;
    const int filled = total ? int(double(done) / double(total) * width) : width;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(std::size_t(filled), '#').c_str(),
                 std::string(std::size_t(width - filled), ' ').c_str(), done, total);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
}

// The clips of `input` as its recognised corpus reader places them, keyed by normalised path; the files that
// reader refuses are reported. Nothing for a file or a folder of no known layout: those give plain rows.
std::map<std::string, corpus::ClipRecord> place_in_corpus(const std::string& input) {
    std::map<std::string, corpus::ClipRecord> out;
    std::error_code ec;
    if (!std::filesystem::is_directory(input, ec) || !corpus::recognise_corpus(input)) return out;
    Result<corpus::CorpusRead> read = corpus::read_corpus(input);
    if (!read) return out;
    for (const auto& p : read.value.problems) std::fprintf(stderr, "ser features: note: %s\n", p.c_str());
    for (auto& c : read.value.clips) out[std::filesystem::path(c.path).lexically_normal().generic_string()] = c;
    return out;
}

int usage_error(const std::string& text) {
    std::fprintf(stderr, "ser features: %s\n", text.c_str());
    std::fprintf(stderr, "(ser features --help for the options)\n");
    return kExitUsage;
}

int run_features(const Args& args) {
    std::vector<std::string> inputs;
    std::string set_name, config_name, format = "csv", out_path, cache_dir = default_cache_dir();
    bool cache_is_default = true;
    int jobs = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& dst) {
            if (i + 1 >= args.size()) return false;
            dst = args[++i];
            return true;
        };
        if (a == "--help" || a == "-h") {
            help(stdout);
            return kExitOk;
        } else if (a == "--set") {
            if (!value(set_name)) return usage_error("--set needs a name");
        } else if (a == "--config") {
            if (!value(config_name)) return usage_error("--config needs a name");
        } else if (a == "--format") {
            if (!value(format)) return usage_error("--format needs csv or json");
            if (format != "csv" && format != "json") return usage_error("--format is '" + format + "'; expected csv or json");
        } else if (a == "--jobs") {
            std::string v;
            if (!value(v)) return usage_error("--jobs needs a count");
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n < 0 || n > 1024)
                return usage_error("--jobs is '" + v + "'; expected 0 (all cores) to 1024");
            jobs = int(n);
        } else if (a == "--cache") {
            if (!value(cache_dir) || cache_dir.empty()) return usage_error("--cache needs a folder");
            cache_is_default = false;
        } else if (a == "--no-cache") {
            cache_dir.clear();
            cache_is_default = false;
        } else if (a == "--out") {
            if (!value(out_path) || out_path.empty()) return usage_error("--out needs a file name");
        } else if (a.size() > 1 && a[0] == '-') {
            return usage_error("unknown option '" + a + "'");
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) return usage_error("no file or folder given");

    // The set decides the configuration; --config only checks it or picks a set.
    if (set_name.empty() && !config_name.empty()) {
        for (const FeatureSetInfo& s : feature_sets())
            if (s.config == config_name) {
                set_name = s.name;
                break;
            }
        if (set_name.empty()) {
            Result<FeatureConfig> c = config_by_name(config_name);
            if (!c.is_ok()) return usage_error(c.status.to_string());
            return usage_error("no feature set is defined on configuration " + config_name);
        }
    }
    if (set_name.empty()) set_name = "seed";
    Result<FeatureSetInfo> set = feature_set_by_name(set_name);
    if (!set.is_ok()) return usage_error(set.status.to_string());
    if (!config_name.empty() && config_name != set.value.config)
        return usage_error("set '" + set_name + "' is defined on " + set.value.config + ", not " + config_name);

    int status = kExitOk;
    std::vector<Clip> clips;
    std::vector<corpus::ClipRecord> placed;   // one per clip; empty corpus when no reader placed it
    for (const std::string& in : inputs) {
        Result<ScanResult> scan = scan_audio_paths({in});
        if (!scan.is_ok()) {
            std::fprintf(stderr, "ser features: %s\n", scan.status.to_string().c_str());
            status = kExitFailed;
            continue;
        }
        const std::map<std::string, corpus::ClipRecord> known = place_in_corpus(in);
        for (const Clip& c : scan.value.clips) {
            clips.push_back(c);
            const auto it = known.find(std::filesystem::path(c.path).lexically_normal().generic_string());
            placed.push_back(it == known.end() ? corpus::ClipRecord{} : it->second);
        }
    }
    std::vector<std::string> paths;
    for (const Clip& c : clips) paths.push_back(c.path);

    FILE* out = stdout;
    if (!out_path.empty()) {
        out = std::fopen(out_path.c_str(), "w");
        if (out == nullptr) {
            std::fprintf(stderr, "ser features: cannot write '%s'\n", out_path.c_str());
            return kExitFailed;
        }
    }

    // An unusable default cache (read-only home) only costs time; an explicit one is an error.
    if (cache_is_default && !cache_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(cache_dir, ec);
        if (ec) {
            std::fprintf(stderr, "ser features: note: no cache (cannot create '%s': %s)\n", cache_dir.c_str(),
                         ec.message().c_str());
            cache_dir.clear();
        }
    }

    BatchOptions opt;
    opt.feature_set = set_name;
    opt.n_jobs = jobs;
    opt.cache_dir = cache_dir;
    if (isatty(STDERR_FILENO) && !paths.empty()) opt.progress = progress_bar;
    Result<BatchFeatures> batch = compute_batch_features(paths, opt);
    if (!batch.is_ok()) {
        std::fprintf(stderr, "ser features: %s\n", batch.status.to_string().c_str());
        if (out != stdout) std::fclose(out);
        return kExitFailed;
    }
    const BatchFeatures& b = batch.value;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (!b.errors[i].empty()) {
            std::fprintf(stderr, "ser features: %s\n", b.errors[i].c_str());
            status = kExitFailed;
        }
    }

    if (format == "json") {
        nlohmann::json arr = nlohmann::json::array();
        for (std::size_t i = 0; i < paths.size(); ++i) {
            if (!b.errors[i].empty()) continue;
            nlohmann::json o;
            o["file"] = paths[i];
            o["config"] = set.value.config;
            o["set"] = set.value.name;
            o["version"] = set.value.version;
            o["names"] = b.names;
            std::vector<float> v(b.names.size());
            for (std::size_t j = 0; j < v.size(); ++j) v[j] = b.values(Eigen::Index(i), Eigen::Index(j));
            o["values"] = v;
            if (clips[i].parsed) {
                const RavdessName& r = clips[i].info;
                o["ravdess"] = {{"modality", r.modality},     {"channel", r.channel},       {"emotion", r.emotion},
                                {"emotion_name", r.emotion_name()}, {"intensity", r.intensity}, {"statement", r.statement},
                                {"repetition", r.repetition}, {"actor", r.actor}};
            }
            if (!placed[i].corpus.empty())
                o["corpus"] = {{"name", placed[i].corpus}, {"speaker", placed[i].speaker}, {"label", placed[i].label}};
            arr.push_back(std::move(o));
        }
        std::fprintf(out, "%s\n", arr.dump(1).c_str());
    } else {
        std::fprintf(out, "file,actor,emotion,emotion_name,intensity,statement,repetition,corpus,speaker,label");
        for (const std::string& n : b.names) std::fprintf(out, ",%s", csv_quote(n).c_str());
        std::fprintf(out, "\n");
        for (std::size_t i = 0; i < paths.size(); ++i) {
            if (!b.errors[i].empty()) continue;
            std::fprintf(out, "%s", csv_quote(paths[i]).c_str());
            if (clips[i].parsed) {
                const RavdessName& r = clips[i].info;
                std::fprintf(out, ",%d,%d,%s,%d,%d,%d", r.actor, r.emotion, r.emotion_name().c_str(), r.intensity,
                             r.statement, r.repetition);
            } else {
                std::fprintf(out, ",,,,,,");
            }
            std::fprintf(out, ",%s,%s,%s", csv_quote(placed[i].corpus).c_str(), csv_quote(placed[i].speaker).c_str(),
                         csv_quote(placed[i].label).c_str());
            for (Eigen::Index j = 0; j < b.values.cols(); ++j) std::fprintf(out, ",%.9g", double(b.values(Eigen::Index(i), j)));
            std::fprintf(out, "\n");
        }
    }
    if (out != stdout && std::fclose(out) != 0) {
        std::fprintf(stderr, "ser features: error writing '%s'\n", out_path.c_str());
        return kExitFailed;
    }
    return status;
}

const Registration reg{{"features", "feature vectors of files/folders as CSV or JSON (threads, cache)", run_features}};

}  // namespace
}  // namespace ser::cli
