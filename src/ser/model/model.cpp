// The classifier's forward pass (standardise -> ReLU layers -> softmax) and its binary file format.
// Last stage of the data flow; the file layout is described in model.h, checked field by field here.
#include "ser/model/model.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ser {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'R', 'M', 'O', 'D', 'E', 'L'};
constexpr std::uint32_t kFormatVersion = 1;
// Bounds that keep a hostile file from asking for an unbounded allocation. The largest
// sensible model here is a few thousand inputs and a few layers of at most a few thousand units.
constexpr std::uint32_t kMaxHeaderBytes = 16u << 20;
constexpr long long kMaxLayerWidth = 1 << 16;
constexpr int kMaxLayers = 64;
constexpr int kMaxClasses = 1024;
constexpr long long kMaxFloats = 1LL << 28;  // 1 GiB of float32

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the one zlib and PNG use; table built once.
const std::array<std::uint32_t, 256>& crc_table() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    return table;
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
    const auto& t = crc_table();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) c = t[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(std::uint8_t((v >> (8 * i)) & 0xFFu));
}

std::uint32_t get_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}

// float32 little-endian regardless of the host (x86 and WebAssembly are both little-endian,
// but the bytes are written one by one so that the format does not depend on it).
void put_floats(std::vector<std::uint8_t>& out, const float* v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, &v[i], 4);
        put_u32(out, bits);
    }
}

void get_floats(const std::uint8_t* p, float* v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t bits = get_u32(p + 4 * i);
        std::memcpy(&v[i], &bits, 4);
    }
}

Status model_error(const std::string& text) { return Status::error("model", text); }

// Reads a non-negative integer field from the header without letting nlohmann throw.
bool get_int(const nlohmann::ordered_json& j, const char* key, long long lo, long long hi, long long& out,
             Status& status) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) {
        status = model_error(std::string("header field '") + key + "' is missing or not an integer; expected an integer in [" +
                             std::to_string(lo) + ", " + std::to_string(hi) + "]");
        return false;
    }
    const long long v = it->get<long long>();
    if (v < lo || v > hi) {
        status = model_error(std::string("header field '") + key + "' is " + std::to_string(v) + "; expected [" +
                             std::to_string(lo) + ", " + std::to_string(hi) + "]");
        return false;
    }
    out = v;
    return true;
}

bool get_string(const nlohmann::ordered_json& j, const char* key, std::string& out, Status& status) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
        status = model_error(std::string("header field '") + key + "' is missing or not a string; expected a string");
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool all_finite(const float* v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(v[i])) return false;
    return true;
}

// Numerically stable softmax: subtract the maximum before exponentiating so that no exp overflows.
template <class Vec>
void softmax_in_place(Vec& z) {
    const float m = z.maxCoeff();
    z = (z.array() - m).exp();
    z /= z.sum();
}

}  // namespace

namespace {

// The chain normaliser -> layers -> one unit per class; `which` names the network in messages.
Status validate_net(const Normaliser& normaliser, const std::vector<DenseLayer>& layers, int n_classes,
                    const std::string& which) {
    if (Status st = normaliser.validate(); !st) return st;
    if (layers.empty()) return model_error(which + "has 0 layers; expected at least the output layer");
    if (layers.size() > std::size_t(kMaxLayers))
        return model_error(which + "has " + std::to_string(layers.size()) + " layers; expected at most " +
                           std::to_string(kMaxLayers));
    long long n_in = normaliser.n_inputs();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& L = layers[l];
        const std::string name = which + "layer " + std::to_string(l);
        if (L.weights.cols() != n_in)
            return model_error(name + " takes " + std::to_string(L.weights.cols()) + " inputs; expected " +
                               std::to_string(n_in) + " (the previous layer's width)");
        if (L.weights.rows() < 1) return model_error(name + " has 0 units; expected at least 1");
        if (L.bias.size() != L.weights.rows())
            return model_error(name + " has " + std::to_string(L.bias.size()) + " biases; expected " +
                               std::to_string(L.weights.rows()));
        if (!all_finite(L.weights.data(), L.weights.size()) || !all_finite(L.bias.data(), L.bias.size()))
            return model_error(name + " holds a non-finite weight; expected finite numbers");
        n_in = L.weights.rows();
    }
    if (n_in != n_classes)
        return model_error(which + "output layer has " + std::to_string(n_in) + " units; expected " +
                           std::to_string(n_classes) + " (one per class)");
    return Status::ok();
}

Status validate_calibrated(const std::vector<CalibratedNet>& calibrated, int n_inputs, int n_classes) {
    if (calibrated.size() > 1)
        return model_error(std::to_string(calibrated.size()) + " calibrated networks; expected 0 or 1");
    for (const CalibratedNet& c : calibrated) {
        if (Status st = c.rule.validate(); !st) return st;
        if (c.rule.n_inputs() != n_inputs || c.normaliser.n_inputs() != n_inputs)
            return model_error("calibrated network takes " + std::to_string(c.normaliser.n_inputs()) + " inputs (rule " +
                               std::to_string(c.rule.n_inputs()) + "); expected " + std::to_string(n_inputs));
        if (Status st = validate_net(c.normaliser, c.layers, n_classes, "calibrated network: "); !st) return st;
    }
    return Status::ok();
}

// normaliser -> ReLU layers -> the output layer's logits, one sample or a batch (samples = columns).
Eigen::VectorXf forward_one(const Normaliser& normaliser, const std::vector<DenseLayer>& layers, const float* x) {
    Eigen::VectorXf a = normaliser.apply(x);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        Eigen::VectorXf z = layers[l].weights * a + layers[l].bias;
        a = (l + 1 < layers.size()) ? Eigen::VectorXf(z.cwiseMax(0.0f)) : z;
    }
    softmax_in_place(a);
    return a;
}

Eigen::MatrixXf forward_batch(const Normaliser& normaliser, const std::vector<DenseLayer>& layers,
                              const Eigen::MatrixXf& x) {
    // Work on columns = samples so that each layer is one matrix product.
    Eigen::MatrixXf a = normaliser.apply_rows(x);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        Eigen::MatrixXf z = layers[l].weights * a;
        z.colwise() += layers[l].bias;
        a = (l + 1 < layers.size()) ? Eigen::MatrixXf(z.cwiseMax(0.0f)) : z;
    }
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
        auto col = a.col(j);
        const float m = col.maxCoeff();
        col = (col.array() - m).exp();
        col /= col.sum();
    }
    return a.transpose();
}

Status check_features(const float* features, int n_features, int n_inputs) {
    if (n_features != n_inputs)
        return Status::error("model", "feature vector has " + std::to_string(n_features) + " values; expected " +
                                          std::to_string(n_inputs));
    if (!all_finite(features, std::size_t(n_features)))
        return model_error("feature vector holds a non-finite value; expected finite features");
    return Status::ok();
}

}  // namespace

Status Model::validate() const {
    if (classes.size() < 2 || classes.size() > std::size_t(kMaxClasses))
        return model_error("model has " + std::to_string(classes.size()) + " classes; expected 2 to " +
                           std::to_string(kMaxClasses));
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (classes[i].empty()) return model_error("class " + std::to_string(i) + " has an empty name; expected a label");
        for (std::size_t k = 0; k < i; ++k)
            if (classes[k] == classes[i]) return model_error("class '" + classes[i] + "' appears twice; expected distinct labels");
    }
    if (Status st = validate_net(normaliser, layers, n_classes(), "model "); !st) return st;
    return validate_calibrated(calibrated, n_inputs(), n_classes());
}

Result<std::vector<float>> Model::predict(const float* features, int n_features) const {
    if (Status st = check_features(features, n_features, n_inputs()); !st) return st;
    if (layers.empty()) return model_error("model has no layers; expected a trained model");
    const Eigen::VectorXf p = forward_one(normaliser, layers, features);
    return std::vector<float>(p.data(), p.data() + p.size());
}

Eigen::MatrixXf Model::predict_batch(const Eigen::MatrixXf& x) const {
    assert(x.cols() == n_inputs());
    return forward_batch(normaliser, layers, x);
}

Status Model::check_profile(const SpeakerProfile& profile) const {
    if (!accepts_profiles())
        return model_error("this model was trained without speaker profiles; expected a model trained with --calibrate");
    return check_profile_for(profile, feature_set, feature_set_version, n_inputs());
}

Result<std::vector<float>> Model::predict_with_profile(const float* features, int n_features,
                                                       const SpeakerProfile& profile) const {
    if (!accepts_profiles()) return check_profile(profile);
    if (Status st = check_features(features, n_features, n_inputs()); !st) return st;
    if (Status st = check_profile(profile); !st) return st;
    const CalibratedNet& c = calibrated[0];
    const Eigen::VectorXf x =
        Eigen::Map<const Eigen::VectorXf>(features, n_features) - c.rule.shift(profile.mean, profile.voiced_s);
    const Eigen::VectorXf p = forward_one(c.normaliser, c.layers, x.data());
    return std::vector<float>(p.data(), p.data() + p.size());
}

Eigen::MatrixXf Model::predict_batch_calibrated(const Eigen::MatrixXf& x_shifted) const {
    assert(accepts_profiles() && x_shifted.cols() == n_inputs());
    return forward_batch(calibrated[0].normaliser, calibrated[0].layers, x_shifted);
}

namespace {

nlohmann::ordered_json layer_shapes(const std::vector<DenseLayer>& layers) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t l = 0; l < layers.size(); ++l)
        out.push_back({{"n_in", layers[l].weights.cols()},
                       {"n_out", layers[l].weights.rows()},
                       {"activation", l + 1 < layers.size() ? "relu" : "softmax"}});
    return out;
}

void put_net(std::vector<std::uint8_t>& out, const Normaliser& normaliser, const std::vector<DenseLayer>& layers) {
    put_floats(out, normaliser.mean.data(), normaliser.mean.size());
    put_floats(out, normaliser.scale.data(), normaliser.scale.size());
    for (const auto& L : layers) {
        // Row-major on disk whatever Eigen's storage order is.
        const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w = L.weights;
        put_floats(out, w.data(), w.size());
        put_floats(out, L.bias.data(), L.bias.size());
    }
}

}  // namespace

std::vector<std::uint8_t> serialize_model(const Model& m) {
    nlohmann::ordered_json h;
    h["feature_config"] = m.feature_config;
    h["feature_config_version"] = m.feature_config_version;
    h["feature_set"] = m.feature_set;
    h["feature_set_version"] = m.feature_set_version;
    h["classes"] = m.classes;
    h["n_inputs"] = m.n_inputs();
    h["layers"] = layer_shapes(m.layers);
    h["normaliser"] = m.normaliser.kind;
    h["arrays"] = "mean[n_inputs], scale[n_inputs], then per layer weights[n_out][n_in] row-major, bias[n_out]";
    for (const CalibratedNet& c : m.calibrated) {
        h["calibrated"] = {{"normaliser", c.normaliser.kind},
                           {"shrink_s", c.rule.shrink_s},
                           {"cap_sd", c.rule.cap_sd},
                           {"layers", layer_shapes(c.layers)},
                           {"arrays", "after the model's: population_mean[n_inputs], population_sd[n_inputs], "
                                      "then mean, scale and layers as the model's"}};
    }
    auto meta = nlohmann::ordered_json::parse(m.metadata_json, nullptr, false);
    h["metadata"] = meta.is_discarded() ? nlohmann::ordered_json::object() : meta;
    const std::string header = h.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);

    std::vector<std::uint8_t> out(kMagic, kMagic + 8);
    put_u32(out, kFormatVersion);
    put_u32(out, std::uint32_t(header.size()));
    out.insert(out.end(), header.begin(), header.end());
    put_net(out, m.normaliser, m.layers);
    for (const CalibratedNet& c : m.calibrated) {
        put_floats(out, c.rule.population_mean.data(), c.rule.population_mean.size());
        put_floats(out, c.rule.population_sd.data(), c.rule.population_sd.size());
        put_net(out, c.normaliser, c.layers);
    }
    put_u32(out, crc32(out.data(), out.size()));
    return out;
}

namespace {
Result<Model> parse_model_checked(const std::uint8_t* data, std::size_t n_bytes);
}

// A file whose CRC does not match may fail a structural check first (a flipped header byte, a
// cut-off tail); the message then says both what failed and that the checksum disagrees.
Result<Model> parse_model(const std::uint8_t* data, std::size_t n_bytes) {
    Result<Model> r = parse_model_checked(data, n_bytes);
    if (!r && data != nullptr && n_bytes >= 20 && std::memcmp(data, kMagic, 8) == 0 &&
        get_u32(data + 8) == kFormatVersion && r.status.message.find("CRC-32") == std::string::npos &&
        get_u32(data + n_bytes - 4) != crc32(data, n_bytes - 4))
        r.status.message += " [CRC-32 mismatch too: the file is corrupt or truncated]";
    return r;
}

namespace {

constexpr std::size_t kFixed = 8 + 4 + 4;  // magic, version, header length
using Shapes = std::vector<std::pair<long long, long long>>;  // (n_out, n_in) per layer

// Magic, version and a header length inside the file; the header's length or an error.
Result<std::uint32_t> check_frame(const std::uint8_t* data, std::size_t n_bytes) {
    if (data == nullptr || n_bytes < kFixed + 4)
        return model_error("file is " + std::to_string(n_bytes) + " bytes; expected at least " +
                           std::to_string(kFixed + 4) + " (magic, version, header length, CRC)");
    if (std::memcmp(data, kMagic, 8) != 0) {
        std::string found;
        for (int i = 0; i < 8; ++i) found += (data[i] >= 32 && data[i] < 127) ? char(data[i]) : '?';
        return model_error("magic is '" + found + "'; expected 'SERMODEL' (not a ser model file)");
    }
    const std::uint32_t version = get_u32(data + 8);
    if (version != kFormatVersion)
        return model_error("format version is " + std::to_string(version) + "; expected " +
                           std::to_string(kFormatVersion) + " (written by a different ser release)");
    const std::uint32_t header_len = get_u32(data + 12);
    if (header_len > kMaxHeaderBytes || std::size_t(header_len) > n_bytes - kFixed - 4)
        return model_error("header length is " + std::to_string(header_len) + " bytes but the file has " +
                           std::to_string(n_bytes) + " bytes; expected a header inside the file (truncated?)");
    return header_len;
}

// Feature config/set, input count and classes.
Status read_identity(const nlohmann::ordered_json& h, Model& m, long long& n_inputs) {
    Status st;
    long long cfg_v = 0, set_v = 0;
    if (!get_string(h, "feature_config", m.feature_config, st) ||
        !get_int(h, "feature_config_version", 0, 1 << 30, cfg_v, st) ||
        !get_string(h, "feature_set", m.feature_set, st) || !get_int(h, "feature_set_version", 0, 1 << 30, set_v, st) ||
        !get_int(h, "n_inputs", 1, kMaxLayerWidth, n_inputs, st))
        return st;
    m.feature_config_version = int(cfg_v);
    m.feature_set_version = int(set_v);
    auto cls = h.find("classes");
    if (cls == h.end() || !cls->is_array() || cls->size() > std::size_t(kMaxClasses))
        return model_error("header field 'classes' is missing or not a list; expected a list of 2 to " +
                           std::to_string(kMaxClasses) + " labels");
    for (const auto& c : *cls) {
        if (!c.is_string()) return model_error("a class label is not a string; expected strings");
        m.classes.push_back(c.get<std::string>());
    }
    return Status::ok();
}

// The layer list of one network: shapes that chain from n_inputs to one unit per class; adds the
// floats they need (normaliser included) to n_floats.
Status read_shapes(const nlohmann::ordered_json& h, long long n_inputs, std::size_t n_classes, Shapes& shapes,
                   long long& n_floats) {
    Status st;
    auto lay = h.find("layers");
    if (lay == h.end() || !lay->is_array() || lay->empty() || lay->size() > std::size_t(kMaxLayers))
        return model_error("header field 'layers' is missing or has a bad size; expected 1 to " +
                           std::to_string(kMaxLayers) + " layers");
    n_floats += 2 * n_inputs;
    long long prev = n_inputs;
    for (const auto& L : *lay) {
        if (!L.is_object()) return model_error("a layer entry is not an object; expected {n_in, n_out}");
        long long n_in = 0, n_out = 0;
        if (!get_int(L, "n_in", 1, kMaxLayerWidth, n_in, st) || !get_int(L, "n_out", 1, kMaxLayerWidth, n_out, st))
            return st;
        if (n_in != prev)
            return model_error("layer " + std::to_string(shapes.size()) + " takes " + std::to_string(n_in) +
                               " inputs; expected " + std::to_string(prev) + " (shape mismatch)");
        shapes.emplace_back(n_out, n_in);
        n_floats += n_out * n_in + n_out;
        if (n_floats > kMaxFloats) return model_error("layers hold more than 2^28 weights; expected a small MLP");
        prev = n_out;
    }
    if (prev != (long long)n_classes)
        return model_error("output layer has " + std::to_string(prev) + " units; expected " +
                           std::to_string(n_classes) + " (one per class; shape mismatch)");
    return Status::ok();
}

// Files written before the normaliser was named (format v1 from the first sessions) standardise.
Status read_normaliser_kind(const nlohmann::ordered_json& h, Normaliser& normaliser) {
    auto norm = h.find("normaliser");
    if (norm == h.end()) return Status::ok();
    if (!norm->is_string()) return model_error("header field 'normaliser' is not a string; expected \"standardise\"");
    normaliser.kind = norm->get<std::string>();
    if (normaliser.kind != Normaliser::kStandardise)
        return model_error("normaliser is '" + normaliser.kind + "'; expected '" + Normaliser::kStandardise +
                           "' (a model from a newer ser?)");
    return Status::ok();
}

// "calibrated": the profile rule's scalars and the second network's shapes (population statistics
// add 2 n_inputs floats).
Status read_calibrated_header(const nlohmann::ordered_json& h, long long n_inputs, std::size_t n_classes,
                              std::vector<CalibratedNet>& out, Shapes& shapes, long long& n_floats) {
    auto cal = h.find("calibrated");
    if (cal == h.end()) return Status::ok();
    if (!cal->is_object()) return model_error("header field 'calibrated' is not an object; expected the calibrated network");
    CalibratedNet c;
    for (const char* key : {"shrink_s", "cap_sd"}) {
        auto it = cal->find(key);
        if (it == cal->end() || !it->is_number())
            return model_error(std::string("calibrated network: field '") + key + "' is missing or not a number");
        (std::string(key) == "shrink_s" ? c.rule.shrink_s : c.rule.cap_sd) = it->get<float>();
    }
    if (Status st = read_normaliser_kind(*cal, c.normaliser); !st) return st;
    n_floats += 2 * n_inputs;
    if (Status st = read_shapes(*cal, n_inputs, n_classes, shapes, n_floats); !st)
        return Status::error(st.module, "calibrated network: " + st.message);
    out.push_back(std::move(c));
    return Status::ok();
}

const std::uint8_t* read_vector(const std::uint8_t* p, long long n, Eigen::VectorXf& v) {
    v.resize(n);
    get_floats(p, v.data(), std::size_t(n));
    return p + 4 * n;
}

const std::uint8_t* read_net(const std::uint8_t* p, long long n_inputs, const Shapes& shapes, Normaliser& normaliser,
                             std::vector<DenseLayer>& layers) {
    p = read_vector(p, n_inputs, normaliser.mean);
    p = read_vector(p, n_inputs, normaliser.scale);
    for (const auto& s : shapes) {
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w(s.first, s.second);
        get_floats(p, w.data(), std::size_t(w.size()));
        p += 4 * w.size();
        DenseLayer L;
        L.weights = w;
        p = read_vector(p, s.first, L.bias);
        layers.push_back(std::move(L));
    }
    return p;
}

Status check_size_and_crc(const std::uint8_t* data, std::size_t n_bytes, std::size_t expected) {
    if (n_bytes != expected)
        return model_error("file is " + std::to_string(n_bytes) + " bytes; expected " + std::to_string(expected) +
                           " for the shapes in its header (" + (n_bytes < expected ? "truncated" : "trailing bytes") + ")");
    const std::uint32_t crc_stored = get_u32(data + n_bytes - 4);
    const std::uint32_t crc_found = crc32(data, n_bytes - 4);
    if (crc_stored != crc_found) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "CRC-32 is %08x; expected %08x as stored (the file is corrupt)", crc_found, crc_stored);
        return model_error(buf);
    }
    return Status::ok();
}

Result<Model> parse_model_checked(const std::uint8_t* data, std::size_t n_bytes) {
    Result<std::uint32_t> header_len = check_frame(data, n_bytes);
    if (!header_len) return header_len.status;
    auto h = nlohmann::ordered_json::parse(data + kFixed, data + kFixed + header_len.value, nullptr, false);
    if (h.is_discarded() || !h.is_object()) {
        if (get_u32(data + n_bytes - 4) != crc32(data, n_bytes - 4))
            return model_error("CRC-32 mismatch and unreadable header; the file is corrupt or truncated");
        return model_error("header is not a JSON object; expected the model header");
    }
    Model m;
    long long n_inputs = 0, n_floats = 0;
    Shapes shapes, calibrated_shapes;
    if (Status st = read_identity(h, m, n_inputs); !st) return st;
    if (Status st = read_shapes(h, n_inputs, m.classes.size(), shapes, n_floats); !st) return st;
    if (Status st = read_normaliser_kind(h, m.normaliser); !st) return st;
    if (Status st = read_calibrated_header(h, n_inputs, m.classes.size(), m.calibrated, calibrated_shapes, n_floats); !st)
        return st;
    auto meta = h.find("metadata");
    m.metadata_json = (meta != h.end() && meta->is_object()) ? meta->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) : "{}";
    if (Status st = check_size_and_crc(data, n_bytes, kFixed + header_len.value + std::size_t(n_floats) * 4 + 4); !st)
        return st;

    const std::uint8_t* p = read_net(data + kFixed + header_len.value, n_inputs, shapes, m.normaliser, m.layers);
    for (CalibratedNet& c : m.calibrated) {
        p = read_vector(p, n_inputs, c.rule.population_mean);
        p = read_vector(p, n_inputs, c.rule.population_sd);
        p = read_net(p, n_inputs, calibrated_shapes, c.normaliser, c.layers);
    }
    if (Status v = m.validate(); !v) return v;
    return m;
}
}  // namespace

Result<Model> load_model_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return model_error("cannot open '" + path + "'; expected a readable model file");
    f.seekg(0, std::ios::end);
    const std::streamoff size = f.tellg();
    if (size < 0) return model_error("cannot read '" + path + "'; expected a regular file");
    if (size > (kMaxFloats * 4 + kMaxHeaderBytes))
        return model_error("'" + path + "' is " + std::to_string(size) + " bytes; expected a model under 1 GiB");
    f.seekg(0, std::ios::beg);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size > 0 && !f.read(reinterpret_cast<char*>(bytes.data()), size))
        return model_error("cannot read '" + path + "'; expected " + std::to_string(size) + " bytes");
    Result<Model> r = parse_model(bytes.data(), bytes.size());
    if (!r) r.status.message = path + ": " + r.status.message;
    return r;
}

Status save_model_file(const Model& m, const std::string& path) {
    Status v = m.validate();
    if (!v) return v;
    const auto bytes = serialize_model(m);
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return model_error("cannot write '" + path + "'; expected a writable path");
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!f) return model_error("writing '" + path + "' failed after " + std::to_string(bytes.size()) + " bytes expected");
    return Status::ok();
}

}  // namespace ser
