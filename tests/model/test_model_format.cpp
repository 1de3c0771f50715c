// Model forward pass and file format: softmax properties, save -> load round trip, and refusal of
// corrupt, truncated, wrong-magic, wrong-version, mis-shaped and non-finite files (model.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ser/model/model.h"
#include "ser/base/rng.h"

namespace {

ser::Model random_model(std::vector<int> widths, std::uint64_t seed) {
    ser::Rng rng(seed);
    ser::Model m;
    m.feature_config = "C1";
    m.feature_config_version = 1;
    m.feature_set = "seed";
    m.feature_set_version = 1;
    for (int c = 0; c < widths.back(); ++c) m.classes.push_back("class" + std::to_string(c));
    m.normaliser.mean.resize(widths[0]);
    m.normaliser.scale.resize(widths[0]);
    for (int i = 0; i < widths[0]; ++i) {
        m.normaliser.mean[i] = float(rng.normal() * 10.0);
        m.normaliser.scale[i] = float(0.5 + rng.uniform() * 3.0);
    }
    for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
        ser::DenseLayer L;
        L.weights.resize(widths[l + 1], widths[l]);
        L.bias.resize(widths[l + 1]);
        for (Eigen::Index i = 0; i < L.weights.size(); ++i) L.weights.data()[i] = float(rng.normal() * 0.5);
        for (Eigen::Index i = 0; i < L.bias.size(); ++i) L.bias[i] = float(rng.normal() * 0.1);
        m.layers.push_back(L);
    }
    m.metadata_json = R"({"data":"unit test","seed":7})";
    return m;
}

std::vector<float> random_input(int n, std::uint64_t seed) {
    ser::Rng rng(seed);
    std::vector<float> x(n);
    for (auto& v : x) v = float(rng.normal() * 20.0);
    return x;
}

// The format written out independently of serialize_model (model.h's description), to build
// files that serialize_model never would.
std::uint32_t crc32_ref(const std::vector<std::uint8_t>& b) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::uint8_t byte : b) {
        c ^= byte;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
}
std::vector<std::uint8_t> build_file(const std::string& header, std::uint32_t version, std::size_t n_floats,
                                     float fill = 0.25f) {
    std::vector<std::uint8_t> b = {'S', 'E', 'R', 'M', 'O', 'D', 'E', 'L'};
    put32(b, version);
    put32(b, std::uint32_t(header.size()));
    b.insert(b.end(), header.begin(), header.end());
    for (std::size_t i = 0; i < n_floats; ++i) {
        std::uint32_t bits;
        const float v = (i % 7 == 3) ? 1.0f : fill;  // scale entries must be > 0: keep all positive
        std::memcpy(&bits, &v, 4);
        put32(b, bits);
    }
    put32(b, crc32_ref(b));
    return b;
}
std::string header_2_3_2(int layer0_in) {
    return R"({"feature_config":"C1","feature_config_version":1,"feature_set":"seed","feature_set_version":1,)"
           R"("classes":["a","b"],"n_inputs":2,"layers":[{"n_in":)" +
           std::to_string(layer0_in) + R"(,"n_out":3},{"n_in":3,"n_out":2}],"metadata":{}})";
}

ser::Status parse_status(const std::vector<std::uint8_t>& b) { return ser::parse_model(b.data(), b.size()).status; }

}  // namespace

TEST(ModelFormat, SoftmaxSumsToOneAndIsStableForHugeLogits) {
    ser::Model m = random_model({6, 8, 4}, 1);
    for (int s = 0; s < 20; ++s) {
        const auto x = random_input(6, 100 + s);
        auto p = m.predict(x.data(), 6);
        ASSERT_TRUE(p.is_ok()) << p.status.to_string();
        double sum = 0.0;
        for (float v : p.value) {
            EXPECT_GE(v, 0.0f);
            EXPECT_LE(v, 1.0f);
            sum += v;
        }
        EXPECT_NEAR(sum, 1.0, 1e-5);
    }
    // Logits around 1e4 overflow a naive exp(); the stable softmax gives a one-hot answer.
    m.layers.back().weights *= 1e4f;
    const auto x = random_input(6, 5);
    auto p = m.predict(x.data(), 6);
    ASSERT_TRUE(p.is_ok());
    double sum = 0.0;
    for (float v : p.value) {
        EXPECT_TRUE(std::isfinite(v));
        sum += v;
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
}

TEST(ModelFormat, PredictMatchesHandComputedForwardPass) {
    // 2 inputs -> 2 ReLU units -> 2 classes, numbers chosen by hand.
    ser::Model m;
    m.classes = {"x", "y"};
    m.normaliser.mean = Eigen::Vector2f(1.0f, -1.0f);
    m.normaliser.scale = Eigen::Vector2f(2.0f, 0.5f);
    ser::DenseLayer h{Eigen::Matrix2f(), Eigen::Vector2f(0.0f, -10.0f)};
    h.weights << 1.0f, 2.0f, -1.0f, 1.0f;
    ser::DenseLayer o{Eigen::Matrix2f(), Eigen::Vector2f(0.5f, 0.0f)};
    o.weights << 1.0f, 0.0f, 0.0f, 1.0f;
    m.layers = {h, o};
    ASSERT_TRUE(m.validate().is_ok());
    const float x[2] = {3.0f, 0.0f};  // standardised: (1, 2); hidden: relu(1+4, -1+2-10) = (5, 0); logits (5.5, 0)
    auto p = m.predict(x, 2);
    ASSERT_TRUE(p.is_ok());
    const double e = std::exp(-5.5);
    EXPECT_NEAR(p.value[0], 1.0 / (1.0 + e), 1e-6);
    EXPECT_NEAR(p.value[1], e / (1.0 + e), 1e-6);
}

TEST(ModelFormat, PredictBatchEqualsPredict) {
    ser::Model m = random_model({10, 16, 8, 5}, 2);
    Eigen::MatrixXf x(7, 10);
    for (int i = 0; i < 7; ++i) {
        const auto v = random_input(10, 200 + i);
        for (int j = 0; j < 10; ++j) x(i, j) = v[j];
    }
    const Eigen::MatrixXf pb = m.predict_batch(x);
    ASSERT_EQ(pb.rows(), 7);
    ASSERT_EQ(pb.cols(), 5);
    for (int i = 0; i < 7; ++i) {
        std::vector<float> row(x.row(i).data(), x.row(i).data() + 0);
        Eigen::VectorXf r = x.row(i).transpose();
        auto p = m.predict(r.data(), 10);
        ASSERT_TRUE(p.is_ok());
        for (int c = 0; c < 5; ++c) EXPECT_NEAR(pb(i, c), p.value[c], 1e-6);
    }
}

TEST(ModelFormat, PredictRefusesWrongLengthAndNonFinite) {
    ser::Model m = random_model({4, 3, 2}, 3);
    const float x[5] = {1, 2, 3, 4, 5};
    auto r = m.predict(x, 5);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("5 values; expected 4"), std::string::npos) << r.status.message;
    const float y[4] = {1, NAN, 3, 4};
    r = m.predict(y, 4);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status.module, "model");
}

TEST(ModelFormat, SaveLoadGivesIdenticalModelAndOutputs) {
    const ser::Model m = random_model({12, 9, 7, 3}, 4);
    const std::string path = ::testing::TempDir() + "ser_model_roundtrip.sermodel";
    ASSERT_TRUE(ser::save_model_file(m, path).is_ok());
    auto r = ser::load_model_file(path);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    const ser::Model& l = r.value;
    EXPECT_EQ(l.feature_config, "C1");
    EXPECT_EQ(l.feature_set, "seed");
    EXPECT_EQ(l.feature_set_version, 1);
    EXPECT_EQ(l.classes, m.classes);
    EXPECT_TRUE(l.normaliser.mean == m.normaliser.mean);
    EXPECT_TRUE(l.normaliser.scale == m.normaliser.scale);
    ASSERT_EQ(l.layers.size(), m.layers.size());
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
        EXPECT_TRUE(l.layers[i].weights == m.layers[i].weights);
        EXPECT_TRUE(l.layers[i].bias == m.layers[i].bias);
    }
    EXPECT_NE(l.metadata_json.find("unit test"), std::string::npos);
    for (int s = 0; s < 5; ++s) {
        const auto x = random_input(12, 300 + s);
        auto a = m.predict(x.data(), 12), b = l.predict(x.data(), 12);
        ASSERT_TRUE(a.is_ok() && b.is_ok());
        for (int c = 0; c < 3; ++c) EXPECT_EQ(a.value[c], b.value[c]);  // bit for bit
    }
    // serialize -> parse -> serialize is a fixed point.
    EXPECT_EQ(ser::serialize_model(m), ser::serialize_model(l));
    std::remove(path.c_str());
}

TEST(ModelFormat, IndependentlyBuiltFileParses) {
    // 2 inputs -> 3 -> 2: floats = 2 + 2 + (3*2 + 3) + (2*3 + 2) = 21.
    auto b = build_file(header_2_3_2(2), 1, 21);
    auto r = ser::parse_model(b.data(), b.size());
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.n_inputs(), 2);
    EXPECT_EQ(r.value.layers[0].weights.rows(), 3);
    EXPECT_EQ(r.value.layers[1].weights.cols(), 3);
}

TEST(ModelFormat, RefusesWrongMagic) {
    auto b = ser::serialize_model(random_model({4, 3, 2}, 5));
    std::memcpy(b.data(), "RIFFWAVE", 8);
    const auto st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_EQ(st.module, "model");
    EXPECT_NE(st.message.find("magic is 'RIFFWAVE'; expected 'SERMODEL'"), std::string::npos) << st.message;
}

TEST(ModelFormat, RefusesUnknownVersion) {
    auto b = build_file(header_2_3_2(2), 2, 21);
    const auto st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("format version is 2; expected 1"), std::string::npos) << st.message;
}

TEST(ModelFormat, RefusesCorruptByte) {
    auto b = ser::serialize_model(random_model({4, 3, 2}, 6));
    b[b.size() - 9] ^= 0x40;  // inside the last float array
    const auto st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("CRC-32"), std::string::npos) << st.message;
    EXPECT_NE(st.message.find("corrupt"), std::string::npos) << st.message;
}

TEST(ModelFormat, RefusesTruncatedFileAtEveryLength) {
    const auto full = ser::serialize_model(random_model({5, 4, 3}, 7));
    for (std::size_t n = 0; n < full.size(); ++n) {
        const auto st = ser::parse_model(full.data(), n).status;
        ASSERT_FALSE(st.is_ok()) << "length " << n;
        EXPECT_EQ(st.module, "model");
    }
    const auto st = ser::parse_model(full.data(), full.size() - 13).status;
    EXPECT_NE(st.message.find("truncated"), std::string::npos) << st.message;
    EXPECT_FALSE(ser::parse_model(nullptr, 0).is_ok());
}

TEST(ModelFormat, RefusesShapeMismatch) {
    // Layer 0 claims 5 inputs where n_inputs is 2.
    auto b = build_file(header_2_3_2(5), 1, 21);
    auto st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("takes 5 inputs; expected 2"), std::string::npos) << st.message;
    // Right shapes but one float too few for them.
    b = build_file(header_2_3_2(2), 1, 20);
    st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("truncated"), std::string::npos) << st.message;
    // Output width differs from the class count.
    std::string h = header_2_3_2(2);
    h.replace(h.find(R"(["a","b"])"), 9, R"(["a","b","c"])");
    b = build_file(h, 1, 21);
    st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("expected 3 (one per class"), std::string::npos) << st.message;
}

TEST(ModelFormat, RefusesBadHeaderFields) {
    std::string h = header_2_3_2(2);
    h.replace(h.find(R"("n_inputs":2)"), 12, R"("n_inputs":"2")");
    auto st = parse_status(build_file(h, 1, 21));
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("'n_inputs'"), std::string::npos) << st.message;
    st = parse_status(build_file("not json", 1, 21));
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("JSON"), std::string::npos) << st.message;
    // A huge width is refused before any allocation.
    h = header_2_3_2(2);
    h.replace(h.find(R"("n_out":3})"), 10, R"("n_out":3000000000})");
    st = parse_status(build_file(h, 1, 21));
    ASSERT_FALSE(st.is_ok());
}

TEST(ModelFormat, RefusesNonFiniteWeights) {
    ser::Model m = random_model({4, 3, 2}, 8);
    m.layers[0].weights(1, 2) = std::numeric_limits<float>::infinity();
    EXPECT_FALSE(m.validate().is_ok());
    const auto b = ser::serialize_model(m);
    const auto st = parse_status(b);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("non-finite"), std::string::npos) << st.message;
    EXPECT_FALSE(ser::save_model_file(m, ::testing::TempDir() + "ser_bad.sermodel").is_ok());
}

TEST(ModelFormat, LoadMissingFileIsAnError) {
    auto r = ser::load_model_file("/nonexistent/dir/model.sermodel");
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status.module, "model");
}

// Figures in metadata as `ser train --protocol` writes them: the headline is the
// speaker-independent one even when another protocol comes first; means are recognised.
TEST(ModelFigures, ReadsFiguresAndPicksSpeakerFirst) {
    const std::string meta = R"({"figures": {"validation": {"accuracy": 0.9},
        "random": {"accuracy": {"mean": 0.912, "sd": 0.047}, "uar": 0.91, "macro_f1": 0.908},
        "speaker": {"accuracy": {"mean": 0.793, "sd": 0.075}, "uar": {"mean": 0.777}}}})";
    const auto figures = ser::model_figures(meta);
    ASSERT_EQ(figures.size(), 3u);
    EXPECT_EQ(figures[1].protocol, "random");
    EXPECT_DOUBLE_EQ(figures[1].accuracy, 0.912);
    EXPECT_TRUE(figures[1].is_mean);
    EXPECT_DOUBLE_EQ(figures[1].macro_f1, 0.908);
    EXPECT_FALSE(figures[0].is_mean);
    const ser::ModelFigure* head = ser::headline_figure(figures);
    ASSERT_NE(head, nullptr);
    EXPECT_EQ(head->protocol, "speaker");
    EXPECT_DOUBLE_EQ(head->uar, 0.777);
    EXPECT_DOUBLE_EQ(head->macro_f1, -1.0);
}

TEST(ModelFigures, ValidationOnlyFlatKeysLastAndBadMetadata) {
    auto v = ser::model_figures(R"({"figures": {"validation": {"accuracy": 0.7}}, "test_accuracy": 0.5})");
    ASSERT_EQ(v.size(), 2u);
    EXPECT_TRUE(v[1].flat);
    EXPECT_EQ(ser::headline_figure(v)->protocol, "validation");
    auto flat = ser::model_figures(R"({"test_accuracy": 0.5, "seed": 1})");
    ASSERT_EQ(flat.size(), 1u);
    EXPECT_EQ(ser::headline_figure(flat)->protocol, "test_accuracy");
    EXPECT_TRUE(ser::model_figures("not json").empty());
    EXPECT_TRUE(ser::model_figures(R"({"figures": {"random": {"uar": 0.5}}})").empty());
    EXPECT_EQ(ser::headline_figure({}), nullptr);
}
