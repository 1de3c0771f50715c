// The project's one random number generator: xoshiro256** seeded through splitmix64.
// Under training and augmentation (seeded shuffles, initial weights, noise); the same stream on every platform.
#pragma once
#include <cstdint>
#include <vector>

namespace ser {

// The project's own random numbers, so that a seed gives the same model on every platform and
// standard library (std:: distributions are implementation-defined). xoshiro256** (Blackman &
// Vigna 2018) seeded through splitmix64; uniform from the top 53 bits; normal by Box-Muller.
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    // Uniform in [0, 1).
    double uniform();
    // Standard normal (mean 0, sd 1).
    double normal();
    // Uniform integer in [0, n); n >= 1. Rejection sampling, no modulo bias.
    std::uint64_t below(std::uint64_t n);
    // Fisher-Yates shuffle.
    void shuffle(std::vector<int>& v);
private:
    std::uint64_t s_[4];
};

}  // namespace ser
