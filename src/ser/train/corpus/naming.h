// Small helpers the corpus readers share: file-name pieces, fixed-width codes, refusals and audio listings.
// Used by every reader in src/ser/train/corpus; the audio extensions are those of dataset.h's scan (wav flac ogg opus mp3 aiff aif).
#pragma once
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser::corpus {

std::string lower(std::string s);
std::string trim(const std::string& s);
std::vector<std::string> split(const std::string& s, char sep);

// "Actor_01/03-01-01-01-01-01-01.flac" -> base "03-01-01-01-01-01-01.flac",
// stem "03-01-01-01-01-01-01" (only the last extension goes), folder "Actor_01".
std::string base_name(const std::string& relative_path);
std::string stem_of(const std::string& relative_path);
std::string parent_folder(const std::string& relative_path);

// The number in `field` when it is exactly `width` digits and within [lo, hi]; -1 otherwise.
int fixed_digits(const std::string& field, std::size_t width, int lo, int hi);
// The number in `field` when it is 1..9 digits without sign and within [lo, hi]; -1 otherwise.
int plain_number(const std::string& field, int lo, int hi);

// Status {"corpus", "'<base name>' is not a <corpus> name: <why>; expected <layout>"}.
Status refuse_name(const std::string& corpus, const std::string& layout, const std::string& relative_path,
                   const std::string& why);

bool audio_extension(const std::string& path);
// Audio files below the folder `root`, recursively, as paths relative to it ('/' separated),
// sorted byte-wise so every run sees the same order. Refuses a missing root or a file.
Result<std::vector<std::string>> list_audio_files(const std::string& root);
// root + "/" + relative, without doubling a trailing separator.
std::string join_path(const std::string& root, const std::string& relative);

}  // namespace ser::corpus
