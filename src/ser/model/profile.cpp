// Speaker profiles (see profile.h): the weighted mean, the shrunk and capped shift, and the JSON file.
#include "ser/model/profile.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace ser {

namespace {

using Json = nlohmann::json;
constexpr const char* kFormat = "ser-profile";
constexpr std::size_t kMaxProfileBytes = 4u << 20;  // a profile of a few thousand features is ~100 kB

Status profile_error(const std::string& text) { return Status::error("profile", text); }

bool all_finite(const Eigen::VectorXf& v) { return v.allFinite(); }

// A field of the profile object, with its type checked before nlohmann could throw.
const Json* field(const Json& j, const char* key, bool (Json::*is_type)() const, const char* expected, Status& st) {
    auto it = j.find(key);
    if (it == j.end() || !((*it).*is_type)()) {
        st = profile_error(std::string("field '") + key + "' is missing or not " + expected + "; expected " + expected);
        return nullptr;
    }
    return &*it;
}

Result<Eigen::VectorXf> parse_mean(const Json& values) {
    if (values.empty() || values.size() > (1u << 16))
        return profile_error("'mean' holds " + std::to_string(values.size()) + " values; expected 1 to 65536");
    Eigen::VectorXf mean(Eigen::Index(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i].is_number())
            return profile_error("mean[" + std::to_string(i) + "] is " + std::string(values[i].type_name()) +
                                 "; expected a finite number");
        mean[Eigen::Index(i)] = values[i].get<float>();
    }
    return mean;
}

}  // namespace

Status SpeakerProfile::validate() const {
    if (feature_set.empty()) return profile_error("the feature set name is empty; expected a set such as 'emo'");
    if (mean.size() < 1) return profile_error("the profile holds 0 values; expected one per feature");
    for (Eigen::Index i = 0; i < mean.size(); ++i)
        if (!std::isfinite(mean[i]) || std::fabs(mean[i]) > kMaxAbsValue)
            return profile_error("mean[" + std::to_string(i) + "] is " + format_value(mean[i]) +
                                 "; expected a finite value within +-" + format_value(kMaxAbsValue));
    if (!(voiced_s > 0.0 && voiced_s <= kMaxVoicedS))
        return profile_error("voiced speech is " + format_value(voiced_s) + " s; expected more than 0 and at most " +
                             format_value(kMaxVoicedS) + " s");
    if (n_clips < 1 || n_clips > kMaxClips)
        return profile_error(std::to_string(n_clips) + " clips; expected 1 to " + std::to_string(kMaxClips));
    return Status::ok();
}

Result<SpeakerProfile> make_profile(const std::string& feature_set, int feature_set_version,
                                    const std::vector<ProfileClip>& clips) {
    if (clips.empty()) return profile_error("no calibration clips; expected at least one");
    SpeakerProfile p;
    p.feature_set = feature_set;
    p.feature_set_version = feature_set_version;
    p.mean = Eigen::VectorXf::Zero(clips[0].values.size());
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(clips[0].values.size());
    for (std::size_t i = 0; i < clips.size(); ++i) {
        if (clips[i].values.size() != p.mean.size())
            return profile_error("clip " + std::to_string(i + 1) + " has " + std::to_string(clips[i].values.size()) +
                                 " values; expected " + std::to_string(p.mean.size()) + " like the first");
        if (!(clips[i].voiced_s >= 0.0) || !all_finite(clips[i].values))
            return profile_error("clip " + std::to_string(i + 1) + " holds a non-finite value; expected finite features");
        sum += clips[i].values.cast<double>() * clips[i].voiced_s;
        p.voiced_s += clips[i].voiced_s;
    }
    if (!(p.voiced_s > 0.0)) return profile_error("the clips hold no voiced speech; expected some");
    p.mean = (sum / p.voiced_s).cast<float>();
    p.n_clips = int(clips.size());
    if (Status st = p.validate(); !st) return st;
    return p;
}

Status ProfileRule::validate() const {
    auto bad = [](const std::string& text) { return Status::error("model", "profile rule: " + text); };
    if (!(shrink_s >= 0.0f && shrink_s <= 600.0f)) return bad("shrink " + format_value(shrink_s) + " s; expected 0 to 600 s");
    if (!(cap_sd >= 0.0f && cap_sd <= 100.0f)) return bad("cap " + format_value(cap_sd) + " sd; expected 0 to 100");
    if (population_mean.size() < 1 || population_sd.size() != population_mean.size())
        return bad(std::to_string(population_mean.size()) + " population means and " +
                   std::to_string(population_sd.size()) + " sds; expected as many of each, at least 1");
    if (!all_finite(population_mean) || !all_finite(population_sd))
        return bad("population statistics hold a non-finite value; expected finite numbers");
    for (Eigen::Index i = 0; i < population_sd.size(); ++i)
        if (!(population_sd[i] > 0.0f))
            return bad("population_sd[" + std::to_string(i) + "] is " + format_value(population_sd[i]) + "; expected > 0");
    return Status::ok();
}

Eigen::VectorXf ProfileRule::shift(const Eigen::VectorXf& profile_mean, double voiced_s) const {
    const float w = float(voiced_s / (voiced_s + double(shrink_s)));
    Eigen::VectorXf s = w * (profile_mean - population_mean);
    if (cap_sd > 0.0f) s = s.cwiseMax(-cap_sd * population_sd).cwiseMin(cap_sd * population_sd);
    return s;
}

std::string profile_to_json(const SpeakerProfile& p) {
    Json j;
    j["format"] = kFormat;
    j["schema_version"] = SpeakerProfile::kSchemaVersion;
    j["feature_set"] = p.feature_set;
    j["feature_set_version"] = p.feature_set_version;
    j["n_clips"] = p.n_clips;
    j["voiced_s"] = p.voiced_s;
    j["mean"] = std::vector<float>(p.mean.data(), p.mean.data() + p.mean.size());
    return j.dump() + "\n";
}

bool looks_like_profile(const std::uint8_t* data, std::size_t n_bytes) {
    if (data == nullptr) return false;
    std::size_t i = n_bytes >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
    while (i < n_bytes && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r')) ++i;
    return i < n_bytes && data[i] == '{';
}

Result<SpeakerProfile> parse_profile(const std::uint8_t* data, std::size_t n_bytes) {
    if (data == nullptr || n_bytes == 0) return profile_error("the profile is empty (0 bytes); expected a ser-profile JSON file");
    if (n_bytes > kMaxProfileBytes)
        return profile_error("the profile is " + std::to_string(n_bytes) + " bytes; expected at most " +
                             std::to_string(kMaxProfileBytes));
    const Json j = Json::parse(data, data + n_bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return profile_error("the profile is not a JSON object (corrupt or truncated?); expected a ser-profile file");
    Status st;
    const Json* format = field(j, "format", &Json::is_string, "a string", st);
    if (!format) return st;
    if (format->get<std::string>() != kFormat)
        return profile_error("format is '" + format->get<std::string>() + "'; expected '" + kFormat + "'");
    const Json* schema = field(j, "schema_version", &Json::is_number_integer, "an integer", st);
    if (!schema) return st;
    if (schema->get<long long>() != SpeakerProfile::kSchemaVersion)
        return profile_error("schema version " + std::to_string(schema->get<long long>()) + "; expected " +
                             std::to_string(SpeakerProfile::kSchemaVersion) + " (written by another ser release)");
    const Json* set = field(j, "feature_set", &Json::is_string, "a string", st);
    const Json* set_v = set ? field(j, "feature_set_version", &Json::is_number_integer, "an integer", st) : nullptr;
    const Json* n_clips = set_v ? field(j, "n_clips", &Json::is_number_integer, "an integer", st) : nullptr;
    const Json* voiced = n_clips ? field(j, "voiced_s", &Json::is_number, "a number", st) : nullptr;
    const Json* values = voiced ? field(j, "mean", &Json::is_array, "a list", st) : nullptr;
    if (!values) return st;
    Result<Eigen::VectorXf> mean = parse_mean(*values);
    if (!mean) return mean.status;
    SpeakerProfile p;
    p.feature_set = set->get<std::string>();
    p.feature_set_version = int(std::max(-1LL, std::min<long long>(set_v->get<long long>(), 1 << 30)));
    p.n_clips = int(std::max(-1LL, std::min<long long>(n_clips->get<long long>(), 1 << 30)));
    p.voiced_s = voiced->get<double>();
    p.mean = std::move(mean.value);
    if (Status v = p.validate(); !v) return v;
    return p;
}

Result<SpeakerProfile> load_profile_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return profile_error("cannot open '" + path + "'; expected a readable profile file");
    std::vector<std::uint8_t> bytes;
    char buf[65536];
    while (f.read(buf, sizeof buf) || f.gcount() > 0) {
        bytes.insert(bytes.end(), buf, buf + f.gcount());
        if (bytes.size() > kMaxProfileBytes) break;
    }
    Result<SpeakerProfile> r = parse_profile(bytes.data(), bytes.size());
    if (!r) r.status.message = path + ": " + r.status.message;
    return r;
}

Status save_profile_file(const SpeakerProfile& profile, const std::string& path) {
    if (Status st = profile.validate(); !st) return st;
    const std::string text = profile_to_json(profile);
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return profile_error("cannot write '" + path + "'; expected a writable path");
    f.write(text.data(), std::streamsize(text.size()));
    if (!f) return profile_error("writing '" + path + "' failed; expected " + std::to_string(text.size()) + " bytes written");
    return Status::ok();
}

Status check_profile_for(const SpeakerProfile& profile, const std::string& feature_set, int feature_set_version,
                         int n_inputs) {
    if (profile.feature_set != feature_set || profile.feature_set_version != feature_set_version)
        return profile_error("the profile belongs to feature set '" + profile.feature_set + "' v" +
                             std::to_string(profile.feature_set_version) + "; expected '" + feature_set + "' v" +
                             std::to_string(feature_set_version) + " (the model's; calibrate again with this model)");
    if (profile.mean.size() != n_inputs)
        return profile_error("the profile holds " + std::to_string(profile.mean.size()) + " values; expected " +
                             std::to_string(n_inputs) + " (one per input of the model)");
    return Status::ok();
}

}  // namespace ser
