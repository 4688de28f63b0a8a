// SecretBox::open_key_file: the key file in data_dir that every node of a
// deployment shares.
#include "core/secret_box.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <vector>

#include "storage/temp_dir.h"

namespace passerelle {
namespace {

std::string sealed_by(const SecretBox& box) { return box.seal("test", "a secret"); }

TEST_CASE("secret box key file: created once, then read back") {
  testing::TempDir dir;
  std::string path = dir.path() + "/secret_box.key";
  auto first = SecretBox::open_key_file(path);
  REQUIRE(first.has_value());
  CHECK(std::filesystem::file_size(path) == SecretBox::kKeySize);
  auto perms = std::filesystem::status(path).permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);
  auto second = SecretBox::open_key_file(path);
  REQUIRE(second.has_value());
  CHECK(*second->open("test", sealed_by(*first)) == "a secret");
  // No temporary file is left beside it.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("secret box key file: nodes starting together on one data_dir all get the same key") {
  testing::TempDir dir;
  std::string path = dir.path() + "/secret_box.key";
  std::vector<std::future<Result<SecretBox>>> nodes;
  for (int i = 0; i < 8; ++i) {
    nodes.push_back(std::async(std::launch::async, [&] { return SecretBox::open_key_file(path); }));
  }
  std::vector<SecretBox> boxes;
  for (auto& node : nodes) {
    auto box = node.get();
    REQUIRE_MESSAGE(box.has_value(), box.error().to_string());
    boxes.push_back(std::move(*box));
  }
  std::string sealed = sealed_by(boxes.front());
  for (const SecretBox& box : boxes) CHECK(*box.open("test", sealed) == "a secret");
}

TEST_CASE("secret box key file: a file of the wrong size is kCorruption") {
  testing::TempDir dir;
  std::string path = dir.path() + "/secret_box.key";
  std::ofstream(path) << "short";
  auto box = SecretBox::open_key_file(path);
  REQUIRE_FALSE(box.has_value());
  CHECK(box.error().code == ErrorCode::kCorruption);
}

}  // namespace
}  // namespace passerelle
