// Batch feature extraction over many files: worker threads, one FeatureExtractor each, and a
// content-addressed cache (FNV-1a 64 of the bytes + feature set/config name and version). Feeds training and `ser features`.
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <string>
#include <thread>

#include "ser/audio/decode.h"
#include "ser/train/augment.h"
#include "ser/train/dataset.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"

namespace ser {
namespace {

// FNV-1a 64 (Fowler/Noll/Vo): cheap, good spread, no dependency. Content key, not a defence
// against a malicious collision (the cache is the user's own folder).
constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;
std::uint64_t fnv1a(const void* data, std::size_t n, std::uint64_t h = kFnvOffset) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= kFnvPrime;
    }
    return h;
}

// Cache entry: "SERFEAT1", u64 key, u32 n_values, n float32 values, u64 FNV-1a of all bytes
// before it; little-endian host order (x86 and wasm are both little-endian). Anything that
// does not check out is ignored and recomputed.
constexpr char kMagic[8] = {'S', 'E', 'R', 'F', 'E', 'A', 'T', '1'};

std::string cache_path(const std::string& dir, const std::string& set, int version, std::uint64_t key) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
    return dir + "/" + set + "-v" + std::to_string(version) + "-" + hex + ".bin";
}

bool read_cache(const std::string& path, std::uint64_t key, std::size_t n_values, std::vector<float>& out) {
    const std::size_t expected = 8 + 8 + 4 + 4 * n_values + 8;
    Result<std::vector<std::uint8_t>> r = read_file_bytes(path, expected);
    if (!r.is_ok() || r.value.size() != expected) return false;
    const std::uint8_t* p = r.value.data();
    std::uint64_t k, sum;
    std::uint32_t n;
    std::memcpy(&k, p + 8, 8);
    std::memcpy(&n, p + 16, 4);
    std::memcpy(&sum, p + expected - 8, 8);
    if (std::memcmp(p, kMagic, 8) != 0 || k != key || n != n_values || sum != fnv1a(p, expected - 8)) return false;
    out.resize(n_values);
    std::memcpy(out.data(), p + 20, 4 * n_values);
    for (float v : out)
        if (std::isnan(v)) return false;  // NaN is never a valid cached feature
    return true;
}

void write_cache(const std::string& path, std::uint64_t key, const std::vector<float>& values) {
    std::vector<std::uint8_t> b(8 + 8 + 4 + 4 * values.size() + 8);
    const std::uint32_t n = std::uint32_t(values.size());
    std::memcpy(b.data(), kMagic, 8);
    std::memcpy(b.data() + 8, &key, 8);
    std::memcpy(b.data() + 16, &n, 4);
    std::memcpy(b.data() + 20, values.data(), 4 * values.size());
    const std::uint64_t sum = fnv1a(b.data(), b.size() - 8);
    std::memcpy(b.data() + b.size() - 8, &sum, 8);
    // Write to a private temporary name, then rename: readers never see half a file.
    const std::string tmp = path + ".tmp" + std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return;  // a cache that cannot be written only costs time
    const bool ok = std::fwrite(b.data(), 1, b.size(), f) == b.size();
    if (std::fclose(f) != 0 || !ok) {
        std::remove(tmp.c_str());
        return;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) std::remove(tmp.c_str());
}

struct Job {
    const std::vector<std::string>* paths;
    std::string set_name;
    std::uint64_t recipe_hash;     // set + config names and versions
    int set_version;
    FeatureConfig config;
    std::string cache_dir;
    std::size_t n_features;
    int n_augment;
    AugmentConfig augment;
    std::uint64_t augment_hash;    // the augmentation recipe (every AugmentConfig field)
    BatchFeatures* out;
};

// Every field of the chain, so that a changed range never reads a stale cached copy.
std::string augment_recipe(const AugmentConfig& c) {
    std::string r = "augment v1";
    char b[64];
    for (double v : {c.p_speed, c.speed_min, c.speed_max, c.p_round_trip, c.gain_min_db, c.gain_max_db, c.p_noise,
                     c.snr_min_db, c.snr_max_db, c.p_pink}) {
        std::snprintf(b, sizeof b, " %.17g", v);
        r += b;
    }
    // Rooms and bands enter the key only when used, as they enter the random draws (augment.cpp).
    if (c.p_reverb > 0.0 || c.p_band > 0.0)
        for (double v : {c.p_reverb, c.rt60_min_s, c.rt60_max_s, c.drr_min_db, c.drr_max_db, c.p_band, c.band_low_hz, c.band_high_hz}) {
            std::snprintf(b, sizeof b, " %.17g", v);
            r += b;
        }
    for (int hz : c.round_trip_rates_hz) r += " " + std::to_string(hz);
    return r;
}

// One file of a job: its vector and its augmented copies, each from the cache when there, else
// computed (decoding once, only when something is missing) and cached. Errors go to the file's
// errors entry; a file whose copy fails is left out whole (its row NaN).
class FileWork {
public:
    FileWork(const Job& job, FeatureExtractor& extractor, std::size_t i)
        : job_(job), extractor_(extractor), path_((*job.paths)[i]), err_(job.out->errors[i]), row_(Eigen::Index(i)) {}

    void run() {
        if (!extractor_.status().is_ok()) {
            err_ = extractor_.status().to_string();
            return;
        }
        Result<std::vector<std::uint8_t>> bytes = read_file_bytes(path_);
        if (!bytes.is_ok()) {
            err_ = bytes.status.to_string();
            return;
        }
        bytes_ = std::move(bytes.value);
        key_ = fnv1a(bytes_.data(), bytes_.size(), job_.recipe_hash);
        const std::uint64_t size = bytes_.size();
        key_ = fnv1a(&size, sizeof size, key_);
        if (!from_cache(key_, job_.out->values, row_) && !compute_clean()) return;
        for (int c = 0; c < job_.n_augment; ++c)
            if (!copy(c)) {
                job_.out->values.row(row_).setConstant(std::numeric_limits<float>::quiet_NaN());
                return;
            }
    }

private:
    const std::vector<float>* samples() {
        if (!decoded_) {
            decoded_ = true;
            audio_ = load_audio_16k(bytes_.data(), bytes_.size());
            if (!audio_) err_ = audio_.status.to_string() + " [" + path_ + "]";
        }
        return audio_.is_ok() ? &audio_.value.samples : nullptr;
    }

    void store(Eigen::MatrixXf& dst, Eigen::Index row, const std::vector<float>& values) const {
        for (std::size_t j = 0; j < job_.n_features; ++j) dst(row, Eigen::Index(j)) = values[j];
    }

    // A vector cached under k goes to dst's row; false when there is none.
    bool from_cache(std::uint64_t k, Eigen::MatrixXf& dst, Eigen::Index row) const {
        std::vector<float> values;
        if (job_.cache_dir.empty() ||
            !read_cache(cache_path(job_.cache_dir, job_.set_name, job_.set_version, k), k, job_.n_features, values))
            return false;
        store(dst, row, values);
        return true;
    }

    // The vector of y into dst's row, cached under k; false (and the error) on failure.
    bool compute(std::uint64_t k, Eigen::MatrixXf& dst, Eigen::Index row, const float* y, std::size_t n) {
        FeatureVector fv;
        Status s = compute_feature_vector(job_.set_name, extractor_, y, n, fv);
        if (!s) {
            err_ = s.to_string() + " [" + path_ + "]";
            return false;
        }
        if (fv.values.size() != job_.n_features) {
            err_ = "features: set '" + job_.set_name + "' gave " + std::to_string(fv.values.size()) + " values; expected " +
                   std::to_string(job_.n_features) + " [" + path_ + "]";
            return false;
        }
        store(dst, row, fv.values);
        if (!job_.cache_dir.empty()) write_cache(cache_path(job_.cache_dir, job_.set_name, job_.set_version, k), k, fv.values);
        return true;
    }

    bool compute_clean() {
        const std::vector<float>* y = samples();
        return y != nullptr && compute(key_, job_.out->values, row_, y->data(), y->size());
    }

    // Copy c: its key (and so its random draws) follows from the file's key, the recipe and c.
    bool copy(int c) {
        std::uint64_t ck = fnv1a(&job_.augment_hash, sizeof job_.augment_hash, key_);
        const std::uint64_t index = std::uint64_t(c);
        ck = fnv1a(&index, sizeof index, ck);
        const Eigen::Index aug_row = row_ * job_.n_augment + c;
        if (from_cache(ck, job_.out->augmented, aug_row)) return true;
        const std::vector<float>* y = samples();
        if (y == nullptr) return false;
        Rng rng(ck);
        Result<std::vector<float>> perturbed = augment(y->data(), y->size(), job_.augment, rng);
        if (!perturbed) {
            err_ = perturbed.status.to_string() + " [" + path_ + "]";
            return false;
        }
        return compute(ck, job_.out->augmented, aug_row, perturbed.value.data(), perturbed.value.size());
    }

    const Job& job_;
    FeatureExtractor& extractor_;
    const std::string& path_;
    std::string& err_;
    const Eigen::Index row_;
    std::vector<std::uint8_t> bytes_;
    std::uint64_t key_ = 0;
    bool decoded_ = false;
    Result<Audio> audio_ = Status::error("dataset", "not decoded");
};

Status check_options(const BatchOptions& options) {
    if (options.n_augment < 0 || options.n_augment > 64)
        return Status::error("dataset", "n_augment is " + std::to_string(options.n_augment) + "; expected 0 to 64 copies per file");
    if (options.n_augment > 0) {
        Status st = options.augment.validate();
        if (!st) return st;
    }
    if (options.n_jobs < 0)
        return Status::error("dataset", "n_jobs is " + std::to_string(options.n_jobs) +
                                            "; expected 0 (all cores) or a positive count");
    if (!options.cache_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(options.cache_dir, ec);
        if (ec)
            return Status::error("dataset", "cannot create cache folder '" + options.cache_dir + "': " + ec.message() +
                                                "; expected a writable folder (or no cache)");
    }
    return Status::ok();
}

Job make_job(const std::vector<std::string>& paths, const BatchOptions& options, const FeatureSetInfo& set,
             const FeatureConfig& config, BatchFeatures& out) {
    Job job;
    job.paths = &paths;
    job.set_name = set.name;
    job.set_version = set.version;
    job.config = config;
    const std::string recipe =
        set.name + "\n" + std::to_string(set.version) + "\n" + config.name + "\n" + std::to_string(config.version) + "\n";
    job.recipe_hash = fnv1a(recipe.data(), recipe.size());
    job.cache_dir = options.cache_dir;
    job.n_features = out.names.size();
    job.n_augment = options.n_augment;
    job.augment = options.augment;
    const std::string aug_recipe = augment_recipe(options.augment);
    job.augment_hash = fnv1a(aug_recipe.data(), aug_recipe.size());
    job.out = &out;
    return job;
}

// Worker threads (one FeatureExtractor each) take files in turn; progress is reported from the
// calling thread, as dataset.h promises.
void run_workers(const Job& job, std::size_t total, int n_jobs, const std::function<void(std::size_t, std::size_t)>& progress) {
    unsigned n_threads = n_jobs > 0 ? unsigned(n_jobs) : std::thread::hardware_concurrency();
    if (n_threads == 0) n_threads = 1;
    if (n_threads > total) n_threads = unsigned(total > 0 ? total : 1);
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < n_threads; ++t) {
        workers.emplace_back([&] {
            FeatureExtractor extractor(job.config);
            for (;;) {
                const std::size_t i = next.fetch_add(1);
                if (i >= total) break;
                FileWork(job, extractor, i).run();
                {
                    std::lock_guard<std::mutex> lock(mutex);
                    done.fetch_add(1);
                }
                cv.notify_one();
            }
        });
    }
    std::size_t reported = 0;
    while (reported < total) {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait(lock, [&] { return done.load() != reported; });
        const std::size_t now = done.load();
        lock.unlock();
        reported = now;
        if (progress) progress(reported, total);
    }
    for (auto& w : workers) w.join();
}

}  // namespace

Result<BatchFeatures> compute_batch_features(const std::vector<std::string>& paths, const BatchOptions& options) {
    Result<FeatureSetInfo> set = feature_set_by_name(options.feature_set);
    if (!set.is_ok()) return set.status;
    Result<FeatureConfig> config = config_by_name(set.value.config);
    if (!config.is_ok()) return config.status;
    Result<std::vector<std::string>> names = feature_vector_names(options.feature_set);
    if (!names.is_ok()) return names.status;
    if (Status st = check_options(options); !st) return st;

    BatchFeatures out;
    out.names = names.value;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    out.values = Eigen::MatrixXf::Constant(Eigen::Index(paths.size()), Eigen::Index(out.names.size()), nan);
    out.errors.assign(paths.size(), std::string());
    out.augmented = Eigen::MatrixXf::Constant(Eigen::Index(paths.size()) * options.n_augment, Eigen::Index(out.names.size()), nan);
    const Job job = make_job(paths, options, set.value, config.value, out);
    run_workers(job, paths.size(), options.n_jobs, options.progress);
    return out;
}

}  // namespace ser
