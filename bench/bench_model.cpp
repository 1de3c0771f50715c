// Benchmarks of the classifier stage: one predict (162 -> 256 -> 3/8), a batch predict, and one
// training run on synthetic seed-sized data. Targets: predict < 50 us, 3-class training < 2 s.
#include <benchmark/benchmark.h>

#include <vector>

#include "ser/model/model.h"
#include "ser/train/trainer.h"

namespace {

// Synthetic data of the seed set's shape: n clips, 162 features, k classes with shifted means.
void synthetic(int n, int k, Eigen::MatrixXf& x, std::vector<int>& y, std::vector<std::string>& classes) {
    ser::Rng rng(11);
    x.resize(n, 162);
    y.resize(n);
    classes.clear();
    for (int c = 0; c < k; ++c) classes.push_back("c" + std::to_string(c));
    for (int i = 0; i < n; ++i) {
        y[i] = i % k;
        for (int j = 0; j < 162; ++j) x(i, j) = float(rng.normal() + 0.3 * ((j + y[i]) % k == 0) + j);
    }
}

ser::Model trained_model(int k) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    std::vector<std::string> classes;
    synthetic(200, k, x, y, classes);
    ser::TrainOptions opt;
    opt.max_epochs = 2;
    return ser::train_mlp(x, y, classes, opt).value.model;
}

void BM_Predict(benchmark::State& state) {
    const ser::Model m = trained_model(int(state.range(0)));
    std::vector<float> v(162);
    for (int j = 0; j < 162; ++j) v[j] = float(j) + 0.1f;
    for (auto _ : state) {
        auto p = m.predict(v.data(), 162);
        benchmark::DoNotOptimize(p.value.data());
    }
}
BENCHMARK(BM_Predict)->Arg(3)->Arg(8)->Unit(benchmark::kMicrosecond);

void BM_PredictBatch240(benchmark::State& state) {
    const ser::Model m = trained_model(8);
    Eigen::MatrixXf x;
    std::vector<int> y;
    std::vector<std::string> classes;
    synthetic(240, 8, x, y, classes);
    for (auto _ : state) {
        Eigen::MatrixXf p = m.predict_batch(x);
        benchmark::DoNotOptimize(p.data());
    }
}
BENCHMARK(BM_PredictBatch240)->Unit(benchmark::kMicrosecond);

// One full training of RAVDESS-sized data (3 classes: 400 clips; 8 classes: 960 clips per
// speaker fold) for a fixed 60 epochs, about where early stopping ends on the real set.
void BM_Train(benchmark::State& state) {
    const int k = int(state.range(0)), n = int(state.range(1));
    Eigen::MatrixXf x;
    std::vector<int> y;
    std::vector<std::string> classes;
    synthetic(n, k, x, y, classes);
    ser::TrainOptions opt;
    opt.max_epochs = 60;
    opt.patience = 1000;
    for (auto _ : state) {
        auto r = ser::train_mlp(x, y, classes, opt);
        benchmark::DoNotOptimize(r.value.model.layers.data());
    }
}
BENCHMARK(BM_Train)->Args({3, 400})->Args({8, 960})->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
