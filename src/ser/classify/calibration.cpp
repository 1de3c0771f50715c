// Calibration (see calibration.h): clip checks with the audio/levels.h rules, then make_profile.
#include "ser/classify/calibration.h"

#include <algorithm>

#include "ser/audio/decode.h"
#include "ser/audio/levels.h"

namespace ser {

namespace {

// "0.53 s": voiced durations in messages (decode.h: seconds_text).
std::string secs_text(double s) { return seconds_text(double(long(s * 100 + 0.5)) / 100) + " s"; }

// The problem of a clip whose level rules it out, or "" (checked before any feature is computed).
std::string level_problem(const CalibrationClip& c) {
    if (c.peak_dbfs < kSilenceGateDbfs)
        return "silent (peak " + format_value(double(int(c.peak_dbfs * 10)) / 10) + " dBFS): record again closer to the microphone";
    if (c.clipped_fraction > kMaxClippedFraction)
        return "clipped (" + format_value(double(int(c.clipped_fraction * 1000)) / 10) +
               "% of samples at full scale): record again further from the microphone or with less gain";
    return "";
}

// The problem of a clip whose vector holds too little voiced speech, or "".
std::string voiced_problem(const CalibrationClip& c) {
    if (c.voiced_s < kMinClipVoicedS)
        return "only " + secs_text(c.voiced_s) + " of voiced speech; expected at least " + secs_text(kMinClipVoicedS) +
               ": read the whole sentence aloud";
    return "";
}

}  // namespace

Result<VoicedColumns> voiced_columns(const std::vector<std::string>& names) {
    const auto ratio = std::find(names.begin(), names.end(), "voice_ratio");
    const auto dur = std::find(names.begin(), names.end(), "dur_trimmed_s");
    if (ratio == names.end() || dur == names.end())
        return Status::error("calibrate", "the feature set does not measure voiced speech (no voice_ratio and "
                                          "dur_trimmed_s); expected a model on the 'emo' set");
    return VoicedColumns{Eigen::Index(ratio - names.begin()), Eigen::Index(dur - names.begin())};
}

Status check_calibration_clip(const ClassifierContext& context, ClassifierState& state, const float* samples_16k,
                              std::size_t n_samples, CalibrationClip& report, ProfileClip& out) {
    report.duration_s = double(n_samples) / kTargetRateHz;
    report.peak_dbfs = peak_dbfs(samples_16k, n_samples);
    report.clipped_fraction = clipped_fraction(samples_16k, n_samples);
    report.problem = level_problem(report);
    if (!report.problem.empty()) return Status::ok();
    if (!state.status()) return state.status();
    FeatureVector v;
    if (Status st = compute_feature_vector(context.model().feature_set, state.extractor(), samples_16k, n_samples, v); !st)
        return st;
    Result<VoicedColumns> cols = voiced_columns(v.names);
    if (!cols) return cols.status;
    out.values = Eigen::Map<const Eigen::VectorXf>(v.values.data(), Eigen::Index(v.values.size()));
    out.voiced_s = voiced_seconds(cols.value, out.values.transpose());
    report.voiced_s = out.voiced_s;
    report.problem = voiced_problem(report);
    return Status::ok();
}

namespace {

// One input checked: its report, and its vector in `pc` when usable. A data error other than the
// level and voicing checks is returned (the report's problem then stays empty).
Status check_input(const ClassifierContext& context, ClassifierState& state, const CalibrationInput& in,
                   CalibrationClip& report, ProfileClip& pc) {
    report.name = in.name;
    if (in.samples_16k == nullptr || in.n_samples == 0) {
        report.problem = "empty: no audio";
        return Status::ok();
    }
    return check_calibration_clip(context, state, in.samples_16k, in.n_samples, report, pc);
}

Status refuse_plain_model(const Model& m) {
    if (m.accepts_profiles()) return Status::ok();
    return Status::error("calibrate", "model on '" + m.feature_set + "' was trained without speaker profiles; "
                                      "expected a model that accepts them (ser train --calibrate K)");
}

// The profile of usable clips holding voiced_s seconds together, or how much speech is missing.
Result<SpeakerProfile> profile_of(const Model& m, const std::vector<ProfileClip>& usable, double voiced_s,
                                  std::size_t n_clips) {
    if (voiced_s < kMinVoicedS)
        return Status::error("calibrate", "found " + secs_text(voiced_s) + " of voiced speech in " +
                                              std::to_string(n_clips) + " clip(s); expected at least " +
                                              secs_text(kMinVoicedS) + " (add a sentence)");
    return make_profile(m.feature_set, m.feature_set_version, usable);
}

}  // namespace

CalibrationResult calibrate(const ClassifierContext& context, ClassifierState& state,
                            const std::vector<CalibrationInput>& clips) {
    CalibrationResult r;
    const Model& m = context.model();
    r.status = refuse_plain_model(m);
    if (!r.status) return r;
    if (clips.empty()) {
        r.status = Status::error("calibrate", "no clips; expected two or three sentences of neutral speech");
        return r;
    }
    std::vector<ProfileClip> usable;
    double voiced_s = 0.0;
    for (const CalibrationInput& in : clips) {
        CalibrationClip report;
        ProfileClip pc;
        if (Status st = check_input(context, state, in, report, pc); !st) {
            if (r.status) r.status = Status::error(st.module, in.name + ": " + st.message);
        } else if (report.problem.empty()) {
            voiced_s += pc.voiced_s;
            usable.push_back(std::move(pc));
        } else if (r.status) {
            r.status = Status::error("calibrate", in.name + " is " + report.problem);
        }
        r.clips.push_back(std::move(report));
    }
    if (!r.status) return r;
    Result<SpeakerProfile> p = profile_of(m, usable, voiced_s, clips.size());
    if (!p) {
        r.status = p.status;
        return r;
    }
    r.profile = std::move(p.value);
    return r;
}

struct CalibrationSession::Impl {
    std::shared_ptr<const ClassifierContext> context;
    std::unique_ptr<ClassifierState> state;
    Status status;
    std::vector<CalibrationClip> reports;
    std::vector<ProfileClip> usable;
    double voiced_s = 0.0;
};

CalibrationSession::CalibrationSession(std::shared_ptr<const ClassifierContext> context) : impl_(new Impl) {
    Impl& m = *impl_;
    m.context = std::move(context);
    if (!m.context) {
        m.status = Status::error("calibrate", "no model; expected one that accepts speaker profiles");
        return;
    }
    m.status = refuse_plain_model(m.context->model());
    if (m.status) m.state = std::make_unique<ClassifierState>(*m.context);
}

CalibrationSession::~CalibrationSession() = default;

const Status& CalibrationSession::status() const { return impl_->status; }

const CalibrationClip& CalibrationSession::add(const std::string& name, const float* samples_16k, std::size_t n_samples) {
    Impl& m = *impl_;
    CalibrationClip report;
    ProfileClip pc;
    if (!m.status) {
        report.name = name;
        report.problem = m.status.message;
    } else if (Status st = check_input(*m.context, *m.state, {name, samples_16k, n_samples}, report, pc); !st) {
        report.problem = st.message;
    } else if (report.problem.empty()) {
        m.voiced_s += pc.voiced_s;
        m.usable.push_back(std::move(pc));
    }
    m.reports.push_back(std::move(report));
    return m.reports.back();
}

const std::vector<CalibrationClip>& CalibrationSession::clips() const { return impl_->reports; }
int CalibrationSession::n_usable() const { return int(impl_->usable.size()); }
double CalibrationSession::voiced_s() const { return impl_->voiced_s; }

Result<SpeakerProfile> CalibrationSession::profile() const {
    const Impl& m = *impl_;
    if (!m.status) return m.status;
    return profile_of(m.context->model(), m.usable, m.voiced_s, m.usable.size());
}

void CalibrationSession::clear() {
    impl_->reports.clear();
    impl_->usable.clear();
    impl_->voiced_s = 0.0;
}

}  // namespace ser
