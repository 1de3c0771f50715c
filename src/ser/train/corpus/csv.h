// RFC 4180 CSV records with their line numbers: quoted fields (commas, doubled quotes, line breaks inside), CRLF or LF.
// Used by the manifest reader (manifest.cpp); a UTF-8 byte-order mark before the first record is skipped, blank lines are dropped.
#pragma once
#include <string>
#include <vector>

namespace ser::corpus {

struct CsvRecord {
    int line = 0;                      // 1-based line where the record starts
    std::vector<std::string> fields;   // unquoted fields keep their text as written
    std::string error;                 // non-empty: the record is malformed (fields then incomplete)
};

// Every record of `text`; a malformed one carries its error and parsing resumes on the next line.
std::vector<CsvRecord> parse_csv(const std::string& text);

}  // namespace ser::corpus
