// Test support for the corpus readers: synthetic file trees (empty files) in the test temp folder.
// CREMA-D, TESS and EmoDB are not on this machine, so their tests build the published layouts here.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace ser::test {

// A fresh folder `name` under the test temp dir holding `files` (relative paths, one NUL byte each).
// The folder name carries the running test's name: ctest runs tests as parallel processes.
inline std::filesystem::path make_tree(const std::string& name, const std::vector<std::string>& files) {
    namespace fs = std::filesystem;
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() + "_" : std::string();
    const fs::path root = fs::path(::testing::TempDir()) / ("ser_corpus_" + test + name);
    fs::remove_all(root);
    fs::create_directories(root);
    for (const std::string& f : files) {
        fs::create_directories((root / f).parent_path());
        std::ofstream(root / f, std::ios::binary).put('\0');
    }
    return root;
}

// Writes `text` to root/relative byte for byte.
inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace ser::test
