// Data sets on disk: RAVDESS file-name parsing and recursive scans for audio files.
// Feeds training and `ser features` (batch extraction is in dataset_batch.cpp); convention from ../shared/data/README.md.
#include "ser/train/dataset.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <system_error>

namespace ser {

const std::vector<std::string>& ravdess_emotions() {
    static const std::vector<std::string> names = {"neutral", "calm",    "happy",   "sad",
                                                   "angry",   "fearful", "disgust", "surprised"};
    return names;
}

std::string RavdessName::emotion_name() const {
    const auto& names = ravdess_emotions();
    return emotion >= 1 && emotion <= int(names.size()) ? names[std::size_t(emotion - 1)] : std::string();
}

Result<RavdessName> parse_ravdess_name(const std::string& file_name) {
    // Base name without folders and without the extension.
    std::string base = file_name;
    const std::size_t slash = base.find_last_of("/\\");
    if (slash != std::string::npos) base = base.substr(slash + 1);
    const std::size_t dot = base.find('.');
    const std::string stem = dot == std::string::npos ? base : base.substr(0, dot);
    auto refuse = [&](const std::string& why) {
        return Status::error("dataset", "'" + base + "' is not a RAVDESS name: " + why +
                                            "; expected 03-01-EE-II-SS-RR-AA.<ext>");
    };
    if (dot == std::string::npos || dot + 1 >= base.size()) return refuse("no file extension");

    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dash = stem.find('-', start);
        fields.push_back(stem.substr(start, dash == std::string::npos ? std::string::npos : dash - start));
        if (dash == std::string::npos) break;
        start = dash + 1;
    }
    if (fields.size() != 7) return refuse(std::to_string(fields.size()) + " dash-separated fields, expected 7");

    struct Field {
        const char* name;
        int lo, hi;
    };
    // Code ranges of the RAVDESS release (Livingstone & Russo 2018): modality 01-03,
    // vocal channel 01 speech / 02 song, emotion 01-08, intensity 01-02, statement 01-02,
    // repetition 01-02, actor 01-24.
    static const Field spec[7] = {{"modality", 1, 3},  {"vocal channel", 1, 2}, {"emotion", 1, 8},
                                  {"intensity", 1, 2}, {"statement", 1, 2},     {"repetition", 1, 2},
                                  {"actor", 1, 24}};
    int code[7];
    for (int i = 0; i < 7; ++i) {
        const std::string& f = fields[std::size_t(i)];
        if (f.size() != 2 || !std::isdigit(static_cast<unsigned char>(f[0])) ||
            !std::isdigit(static_cast<unsigned char>(f[1])))
            return refuse(std::string(spec[i].name) + " field is '" + f + "', expected two digits");
        code[i] = (f[0] - '0') * 10 + (f[1] - '0');
        if (code[i] < spec[i].lo || code[i] > spec[i].hi)
            return refuse(std::string(spec[i].name) + " code " + f + " is outside " +
                          (spec[i].lo < 10 ? "0" : "") + std::to_string(spec[i].lo) + ".." +
                          (spec[i].hi < 10 ? "0" : "") + std::to_string(spec[i].hi));
    }
    // The release has no strong-intensity neutral clips: such a name is not RAVDESS.
    if (code[2] == 1 && code[3] == 2) return refuse("emotion 01 (neutral) with intensity 02, which RAVDESS does not have");
    RavdessName r;
    r.modality = code[0];
    r.channel = code[1];
    r.emotion = code[2];
    r.intensity = code[3];
    r.statement = code[4];
    r.repetition = code[5];
    r.actor = code[6];
    return r;
}

namespace {

bool audio_extension(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    static const std::set<std::string> known = {".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".aif"};
    return known.count(ext) != 0;
}

}  // namespace

Result<ScanResult> scan_audio_paths(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    std::set<std::string> found;
    for (const std::string& p : paths) {
        std::error_code ec;
        const fs::file_status st = fs::status(p, ec);
        if (ec || !fs::exists(st))
            return Status::error("dataset", "'" + p + "' does not exist; expected an audio file or a folder");
        if (fs::is_directory(st)) {
            fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
            if (ec) return Status::error("dataset", "cannot list '" + p + "': " + ec.message() + "; expected a readable folder");
            for (; it != end; it.increment(ec)) {
                if (ec) return Status::error("dataset", "cannot list below '" + p + "': " + ec.message() +
                                                            "; expected a readable folder");
                std::error_code fec;
                if (it->is_regular_file(fec) && audio_extension(it->path())) found.insert(it->path().string());
            }
        } else {
            found.insert(p);  // a file named explicitly is taken whatever its extension
        }
    }
    ScanResult out;
    for (const std::string& path : found) {
        Clip c;
        c.path = path;
        Result<RavdessName> r = parse_ravdess_name(path);
        if (r.is_ok()) {
            c.info = r.value;
            c.parsed = true;
        } else {
            out.unparsed.push_back(path + ": " + r.status.message);
        }
        out.clips.push_back(std::move(c));
    }
    return out;
}

}  // namespace ser
