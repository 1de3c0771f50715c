// Shared helpers of the corpus readers: file-name pieces, fixed-width codes, refusals, audio listings.
// The listing mirrors dataset.cpp's scan_audio_paths (same extensions, sorted) but keeps paths relative to the root.
#include "ser/train/corpus/naming.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <system_error>

namespace ser::corpus {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    const std::size_t a = s.find_first_not_of(ws);
    if (a == std::string::npos) return {};
    const std::size_t b = s.find_last_not_of(ws);
    return s.substr(a, b - a + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return out;
        start = at + 1;
    }
}

std::string base_name(const std::string& relative_path) {
    const std::size_t slash = relative_path.find_last_of("/\\");
    return slash == std::string::npos ? relative_path : relative_path.substr(slash + 1);
}

std::string stem_of(const std::string& relative_path) {
    const std::string base = base_name(relative_path);
    const std::size_t dot = base.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

std::string parent_folder(const std::string& relative_path) {
    const std::size_t slash = relative_path.find_last_of("/\\");
    if (slash == std::string::npos) return {};
    return base_name(relative_path.substr(0, slash));
}

int fixed_digits(const std::string& field, std::size_t width, int lo, int hi) {
    if (field.size() != width) return -1;
    return plain_number(field, lo, hi);
}

int plain_number(const std::string& field, int lo, int hi) {
    if (field.empty() || field.size() > 9) return -1;
    int v = 0;
    for (unsigned char c : field) {
        if (!std::isdigit(c)) return -1;
        v = v * 10 + (c - '0');
    }
    return v >= lo && v <= hi ? v : -1;
}

Status refuse_name(const std::string& corpus, const std::string& layout, const std::string& relative_path,
                   const std::string& why) {
    return Status::error("corpus", "'" + base_name(relative_path) + "' is not a " + corpus + " name: " + why +
                                       "; expected " + layout);
}

bool audio_extension(const std::string& path) {
    static const std::set<std::string> known = {".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".aif"};
    return known.count(lower(std::filesystem::path(path).extension().string())) != 0;
}

Result<std::vector<std::string>> list_audio_files(const std::string& root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(root, ec);
    if (ec || !fs::exists(st)) return Status::error("corpus", "'" + root + "' does not exist; expected a corpus folder");
    if (!fs::is_directory(st)) return Status::error("corpus", "'" + root + "' is a file; expected a corpus folder");
    std::vector<std::string> files;
    const fs::path base(root);
    fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) return Status::error("corpus", "cannot list '" + root + "': " + ec.message() + "; expected a readable folder");
    for (; it != end; it.increment(ec)) {
        if (ec) return Status::error("corpus", "cannot list below '" + root + "': " + ec.message() + "; expected a readable folder");
        std::error_code fec;
        if (it->is_regular_file(fec) && audio_extension(it->path().string()))
            files.push_back(it->path().lexically_relative(base).generic_string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string join_path(const std::string& root, const std::string& relative) {
    if (root.empty()) return relative;
    const char last = root.back();
    return last == '/' || last == '\\' ? root + relative : root + "/" + relative;
}

}  // namespace ser::corpus
