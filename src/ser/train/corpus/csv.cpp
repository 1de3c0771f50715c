// RFC 4180 CSV parsing for manifests: one pass, a record per row, errors kept per record.
// RFC 4180 (Shafranovich 2005): fields in double quotes may hold commas, CR/LF and "" for a quote.
#include "ser/train/corpus/csv.h"

namespace ser::corpus {
namespace {

class CsvParser {
public:
    explicit CsvParser(const std::string& text) : t_(text) {
        if (t_.compare(0, 3, "\xEF\xBB\xBF") == 0) i_ = 3;  // UTF-8 BOM (Excel writes one)
    }

    std::vector<CsvRecord> run() {
        std::vector<CsvRecord> out;
        while (i_ < t_.size()) {
            CsvRecord r = record();
            const bool blank = r.error.empty() && r.fields.size() == 1 && r.fields[0].empty() && !quoted_;
            if (!blank) out.push_back(std::move(r));
        }
        return out;
    }

private:
    CsvRecord record() {
        CsvRecord r;
        r.line = line_;
        quoted_ = false;
        for (;;) {
            std::string field;
            std::string error = t_.compare(i_, 1, "\"") == 0 ? quoted_field(field) : plain_field(field);
            if (!error.empty()) {
                r.error = error;
                skip_line();
                return r;
            }
            r.fields.push_back(std::move(field));
            if (i_ < t_.size() && t_[i_] == ',') {
                ++i_;
                continue;
            }
            end_of_line();
            return r;
        }
    }

    std::string plain_field(std::string& field) {
        while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '\n') {
            if (t_[i_] == '"') return "quote inside an unquoted field; expected the whole field in quotes";
            if (!(t_[i_] == '\r' && (i_ + 1 == t_.size() || t_[i_ + 1] == '\n'))) field += t_[i_];
            ++i_;
        }
        return {};
    }

    std::string quoted_field(std::string& field) {
        quoted_ = true;
        const int opened = line_;
        ++i_;
        for (;;) {
            if (i_ >= t_.size()) return "quote opened on line " + std::to_string(opened) + " never closes; expected a closing quote";
            const char c = t_[i_++];
            if (c == '"') {
                if (i_ < t_.size() && t_[i_] == '"') {
                    field += '"';
                    ++i_;
                    continue;
                }
                break;
            }
            if (c == '\n') ++line_;
            field += c;
        }
        if (i_ < t_.size() && t_[i_] == '\r') ++i_;
        if (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '\n')
            return "text after a closing quote; expected a comma or the end of the line";
        return {};
    }

    void end_of_line() {
        if (i_ < t_.size() && t_[i_] == '\n') {
            ++i_;
            ++line_;
        }
    }

    void skip_line() {
        while (i_ < t_.size() && t_[i_] != '\n') ++i_;
        end_of_line();
    }

    const std::string& t_;
    std::size_t i_ = 0;
    int line_ = 1;
    bool quoted_ = false;
};

}  // namespace

std::vector<CsvRecord> parse_csv(const std::string& text) { return CsvParser(text).run(); }

}  // namespace ser::corpus
