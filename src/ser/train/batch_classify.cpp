// Parallel classification of files through analyse_file (see batch_classify.h).
#include "ser/train/batch_classify.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ser/classify/analysis.h"

namespace ser {

std::vector<FileClassification> classify_files(const std::shared_ptr<const ClassifierContext>& context,
                                               const std::vector<std::string>& paths, int n_jobs,
                                               const std::function<void(std::size_t, std::size_t)>& progress) {
    std::vector<FileClassification> out(paths.size());
    if (paths.empty()) return out;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t n_threads =
        std::min<std::size_t>(paths.size(), n_jobs <= 0 ? cores : std::size_t(n_jobs));
    AnalysisOptions options;
    options.timeline = false;   // the clip's label is what is scored
    options.keep_frames = false;
    std::atomic<std::size_t> next{0};
    std::size_t n_done = 0;
    std::mutex mutex;
    std::condition_variable changed;
    auto worker = [&]() {
        for (std::size_t i; (i = next.fetch_add(1)) < paths.size();) {
            // analyse_file builds its own per-call state on the shared, read-only context.
            Result<ClipAnalysis> r = analyse_file(context, paths[i], options);
            FileClassification& f = out[i];
            f.path = paths[i];
            f.status = r.status;
            if (r) f.result = std::move(r.value.result);
            std::lock_guard<std::mutex> lock(mutex);
            ++n_done;
            changed.notify_one();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < n_threads; ++t) threads.emplace_back(worker);
    {
        std::unique_lock<std::mutex> lock(mutex);
        std::size_t reported = 0;
        while (reported < paths.size()) {
            changed.wait(lock, [&] { return n_done > reported; });
            reported = n_done;
            if (progress) {
                lock.unlock();
                progress(reported, paths.size());
                lock.lock();
            }
        }
    }
    for (auto& t : threads) t.join();
    return out;
}

}  // namespace ser
