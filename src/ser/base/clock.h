// Elapsed steady-clock time in milliseconds: the one timing rule for what the core and its front
// ends report (classify_ms, the live analysis' busy time, step budgets, the app's frame pacing).
#pragma once
#include <chrono>

namespace ser {

using SteadyClock = std::chrono::steady_clock;

inline double ms_since(SteadyClock::time_point t0) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

}  // namespace ser
