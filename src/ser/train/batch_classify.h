// Many files through the one analysis path (classify/analysis.h: analyse_file), in parallel: one
// ClassifierState per thread on a shared context. What `ser eval --model` scores, so it agrees with `ser classify` and the app.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ser/base/status.h"
#include "ser/classify/classifier.h"

namespace ser {

struct FileClassification {
    std::string path;
    Status status;            // the file's error (unreadable, silent, too long...); result empty then
    Classification result;
};

// One entry per path, in the order given. n_jobs threads (0 = all cores, at most one per file);
// progress(done, total) is called from the calling thread as files finish.
std::vector<FileClassification> classify_files(const std::shared_ptr<const ClassifierContext>& context,
                                               const std::vector<std::string>& paths, int n_jobs = 1,
                                               const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace ser
