// `ser features FILE|DIR...`: feature vectors of many files as CSV or JSON (batch, threads, cache).
// Thin front end over the corpus readers (corpus/registry.h) and ser::compute_batch_features (dataset.h).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <map>
#include <string>

#include "cli.h"
#include "eval_common.h"
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

struct FeaturesRequest {
    std::vector<std::string> inputs;
    FeatureSetInfo set;
    std::string format = "csv", out_path, cache_dir;
    bool cache_is_default = true;
    int n_jobs = 0;
};

// The set decides the configuration; --config only checks it or, without --set, picks the first
// set defined on it.
Result<FeatureSetInfo> resolve_set(std::string set_name, const std::string& config_name) {
    if (set_name.empty() && !config_name.empty()) {
        for (const FeatureSetInfo& s : feature_sets())
            if (s.config == config_name) {
                set_name = s.name;
                break;
            }
        if (set_name.empty()) {
            Result<FeatureConfig> c = config_by_name(config_name);
            if (!c.is_ok()) return c.status;
            return Status::error("features", "no feature set is defined on configuration " + config_name);
        }
    }
    if (set_name.empty()) set_name = "seed";
    Result<FeatureSetInfo> set = feature_set_by_name(set_name);
    if (!set.is_ok()) return set.status;
    if (!config_name.empty() && config_name != set.value.config)
        return Status::error("features", "set '" + set_name + "' is defined on " + set.value.config + ", not " + config_name);
    return set;
}

Result<FeaturesRequest> read_request(const ParsedArgs& a) {
    FeaturesRequest r;
    r.inputs = a.positional;
    if (r.inputs.empty()) return Status::error("features", "no file or folder given");
    r.format = a.get("format", "csv");
    if (r.format != "csv" && r.format != "json")
        return Status::error("features", "--format is '" + r.format + "'; expected csv or json");
    if (a.has("jobs")) {
        Result<int> n = parse_int("jobs", a.get("jobs"), 0, 1024);
        if (!n) return n.status;
        r.n_jobs = n.value;
    }
    r.out_path = a.get("out");
    if (a.has("out") && r.out_path.empty()) return Status::error("features", "--out needs a file name");
    r.cache_is_default = !a.has("cache") && !a.has("no-cache");
    r.cache_dir = a.has("no-cache") ? std::string() : a.get("cache", default_cache_dir());
    if (a.has("cache") && r.cache_dir.empty()) return Status::error("features", "--cache needs a folder");
    Result<FeatureSetInfo> set = resolve_set(a.get("set"), a.get("config"));
    if (!set) return set.status;
    r.set = set.value;
    return r;
}

// Every audio file under the inputs, with what a corpus reader says about it (an empty record when
// no reader placed it). failed: an input that could not be scanned (reported).
struct Gathered {
    std::vector<Clip> clips;
    std::vector<corpus::ClipRecord> placed;
    std::vector<std::string> paths;
    bool failed = false;
};

Gathered gather_clips(const std::vector<std::string>& inputs) {
    Gathered g;
    for (const std::string& in : inputs) {
        Result<ScanResult> scan = scan_audio_paths({in});
        if (!scan.is_ok()) {
            std::fprintf(stderr, "ser features: %s\n", scan.status.to_string().c_str());
            g.failed = true;
            continue;
        }
        const std::map<std::string, corpus::ClipRecord> known = place_in_corpus(in);
        for (const Clip& c : scan.value.clips) {
            g.clips.push_back(c);
            g.paths.push_back(c.path);
            const auto it = known.find(std::filesystem::path(c.path).lexically_normal().generic_string());
            g.placed.push_back(it == known.end() ? corpus::ClipRecord{} : it->second);
        }
    }
    return g;
}

// An unusable default cache (read-only home) only costs time; an explicit one is an error later.
std::string usable_cache(const FeaturesRequest& r) {
    if (!r.cache_is_default || r.cache_dir.empty()) return r.cache_dir;
    std::error_code ec;
    std::filesystem::create_directories(r.cache_dir, ec);
    if (!ec) return r.cache_dir;
    std::fprintf(stderr, "ser features: note: no cache (cannot create '%s': %s)\n", r.cache_dir.c_str(), ec.message().c_str());
    return std::string();
}

nlohmann::json ravdess_json(const RavdessName& r) {
    return {{"modality", r.modality},         {"channel", r.channel},     {"emotion", r.emotion},
            {"emotion_name", r.emotion_name()}, {"intensity", r.intensity}, {"statement", r.statement},
            {"repetition", r.repetition},     {"actor", r.actor}};
}

void write_json(FILE* out, const FeatureSetInfo& set, const Gathered& g, const BatchFeatures& b) {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i = 0; i < g.paths.size(); ++i) {
        if (!b.errors[i].empty()) continue;
        nlohmann::json o;
        o["file"] = g.paths[i];
        o["config"] = set.config;
        o["set"] = set.name;
        o["version"] = set.version;
        o["names"] = b.names;
        std::vector<float> v(b.names.size());
        for (std::size_t j = 0; j < v.size(); ++j) v[j] = b.values(Eigen::Index(i), Eigen::Index(j));
        o["values"] = v;
        if (g.clips[i].parsed) o["ravdess"] = ravdess_json(g.clips[i].info);
        const corpus::ClipRecord& c = g.placed[i];
        if (!c.corpus.empty()) o["corpus"] = {{"name", c.corpus}, {"speaker", c.speaker}, {"label", c.label}};
        arr.push_back(std::move(o));
    }
    std::fprintf(out, "%s\n", arr.dump(1).c_str());
}

void write_csv(FILE* out, const Gathered& g, const BatchFeatures& b) {
    std::fprintf(out, "file,actor,emotion,emotion_name,intensity,statement,repetition,corpus,speaker,label");
    for (const std::string& n : b.names) std::fprintf(out, ",%s", csv_quote(n).c_str());
    std::fprintf(out, "\n");
    for (std::size_t i = 0; i < g.paths.size(); ++i) {
        if (!b.errors[i].empty()) continue;
        std::fprintf(out, "%s", csv_quote(g.paths[i]).c_str());
        if (g.clips[i].parsed) {
            const RavdessName& r = g.clips[i].info;
            std::fprintf(out, ",%d,%d,%s,%d,%d,%d", r.actor, r.emotion, r.emotion_name().c_str(), r.intensity, r.statement,
                         r.repetition);
        } else {
            std::fprintf(out, ",,,,,,");
        }
        const corpus::ClipRecord& c = g.placed[i];
        std::fprintf(out, ",%s,%s,%s", csv_quote(c.corpus).c_str(), csv_quote(c.speaker).c_str(), csv_quote(c.label).c_str());
        for (Eigen::Index j = 0; j < b.values.cols(); ++j) std::fprintf(out, ",%.9g", double(b.values(Eigen::Index(i), j)));
        std::fprintf(out, "\n");
    }
}

int run_features(const Args& args) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            help(stdout);
            return kExitOk;
        }
    Result<ParsedArgs> parsed = parse_args(args, {"set", "config", "format", "jobs", "cache", "out"}, {"no-cache"});
    if (!parsed) return usage_error(parsed.status.to_string());
    Result<FeaturesRequest> rq = read_request(parsed.value);
    if (!rq) return usage_error(rq.status.to_string());
    const FeaturesRequest& r = rq.value;
    const Gathered g = gather_clips(r.inputs);

    FILE* out = r.out_path.empty() ? stdout : std::fopen(r.out_path.c_str(), "w");
    if (out == nullptr) {
        std::fprintf(stderr, "ser features: cannot write '%s'\n", r.out_path.c_str());
        return kExitFailed;
    }
    BatchOptions opt;
    opt.feature_set = r.set.name;
    opt.n_jobs = r.n_jobs;
    opt.cache_dir = usable_cache(r);
    if (isatty(STDERR_FILENO) && !g.paths.empty()) opt.progress = progress_bar;
    Result<BatchFeatures> batch = compute_batch_features(g.paths, opt);
    if (!batch.is_ok()) {
        std::fprintf(stderr, "ser features: %s\n", batch.status.to_string().c_str());
        if (out != stdout) std::fclose(out);
        return kExitFailed;
    }
    int status = g.failed ? kExitFailed : kExitOk;
    for (const std::string& e : batch.value.errors)
        if (!e.empty()) {
            std::fprintf(stderr, "ser features: %s\n", e.c_str());
            status = kExitFailed;
        }
    if (r.format == "json")
        write_json(out, r.set, g, batch.value);
    else
        write_csv(out, g, batch.value);
    if (out != stdout && std::fclose(out) != 0) {
        std::fprintf(stderr, "ser features: error writing '%s'\n", r.out_path.c_str());
        return kExitFailed;
    }
    return status;
}

const Registration reg{{"features", "feature vectors of files/folders as CSV or JSON (threads, cache)", run_features}};

}  // namespace
}  // namespace ser::cli
