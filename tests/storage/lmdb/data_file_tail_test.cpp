#include "storage/lmdb/data_file_tail.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <lmdb.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "storage/kv_store_conformance.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

constexpr size_t kPage = 4096;
constexpr size_t kKiB = 1024;
constexpr size_t kMiB = 1024 * kKiB;
constexpr size_t kBigMap = size_t(1) << 40;

std::string data_file(const testing::TempDir& dir) {
  return (std::filesystem::path(dir.path()) / "data.mdb").string();
}

// The bytes of LMDB's pages in the store at `dir`, from its meta page.
size_t used_bytes(const testing::TempDir& dir) {
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == 0);
  REQUIRE(mdb_env_open(env, dir.path().c_str(), MDB_RDONLY, 0600) == 0);
  MDB_envinfo info{};
  mdb_env_info(env, &info);
  MDB_stat stat{};
  mdb_env_stat(env, &stat);
  mdb_env_close(env);
  return (info.me_last_pgno + 1) * stat.ms_psize;
}

std::string bytes_from(const std::string& path, size_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LmdbOptions options_in(const testing::TempDir& dir, bool durable) {
  LmdbOptions options;
  options.path = dir.path();
  options.tables = {"t"};
  options.durable = durable;
  return options;
}

void write_records(KvStore& store, int from, int count) {
  for (int i = from; i < from + count; ++i) {
    REQUIRE(testing::put_value(store, "t", "key-" + std::to_string(i), std::string(300, 'v')));
  }
}

TEST_CASE("data file tail: a stretch is an eighth of the store, 64 KiB to 256 KiB, in whole pages") {
  // A small store: the 64 KiB floor.
  CHECK(data_file_tail_to_append(32 * kKiB, 32 * kKiB, kBigMap, kPage) == 64 * kKiB);
  // 1 MiB used: a stretch of 128 KiB.
  CHECK(data_file_tail_to_append(kMiB, kMiB, kBigMap, kPage) == 128 * kKiB);
  // A large store: the 256 KiB ceiling.
  CHECK(data_file_tail_to_append(64 * kMiB, 64 * kMiB, kBigMap, kPage) == 256 * kKiB);
  // An eighth that is not whole pages is rounded down to them.
  const size_t used = kMiB + 9 * kPage;  // an eighth: 128 KiB + 4.5 KiB
  CHECK(data_file_tail_to_append(used, used, kBigMap, kPage) == 128 * kKiB + kPage);
}

TEST_CASE("data file tail: nothing while half a stretch is ahead, the rest of a stretch after") {
  const size_t used = 2 * kMiB;  // a stretch of 256 KiB
  CHECK(data_file_tail_to_append(used + 128 * kKiB, used, kBigMap, kPage) == 0);
  CHECK(data_file_tail_to_append(used + 300 * kKiB, used, kBigMap, kPage) == 0);
  CHECK(data_file_tail_to_append(used + 128 * kKiB - kPage, used, kBigMap, kPage) == 128 * kKiB + kPage);
}

TEST_CASE("data file tail: never past the map, which LMDB writes nothing beyond") {
  const size_t map = 2 * kMiB + 100 * kKiB;
  CHECK(data_file_tail_to_append(2 * kMiB, 2 * kMiB, map, kPage) == 100 * kKiB);
  CHECK(data_file_tail_to_append(map, map, map, kPage) == 0);
  // A map that is not whole pages ends at its last whole page.
  CHECK(data_file_tail_to_append(2 * kMiB, 2 * kMiB, map + 10, kPage) == 100 * kKiB);
}

TEST_CASE("data file tail: zeros appended at the end of the file, whatever was there kept") {
  testing::TempDir dir;
  const std::string path = data_file(dir);
  const std::string page(kPage, 'p');
  {
    std::ofstream out(path, std::ios::binary);
    out << page;
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  Status first = extend_data_file_tail(fd, kPage, kBigMap, kPage);
  Status again = extend_data_file_tail(fd, kPage, kBigMap, kPage);
  ::close(fd);
  REQUIRE_MESSAGE(first, first.error().to_string());
  REQUIRE_MESSAGE(again, again.error().to_string());
  CHECK(std::filesystem::file_size(path) == kPage + 64 * kKiB);  // the second call had enough ahead
  const std::string all = bytes_from(path, 0);
  CHECK(all.substr(0, kPage) == page);
  CHECK(all.substr(kPage) == std::string(64 * kKiB, '\0'));
}

TEST_CASE("data file tail: a durable store keeps zeros ahead of its pages") {
  testing::TempDir dir;
  {
    auto store = open_lmdb_store(options_in(dir, true));
    REQUIRE(store.has_value());
    write_records(**store, 0, 40);
  }
  const size_t used = used_bytes(dir);
  const size_t file_size = std::filesystem::file_size(data_file(dir));
  // Without the tail, LMDB's file ends with its last page.
  CHECK(file_size > used);
  CHECK(bytes_from(data_file(dir), used) == std::string(file_size - used, '\0'));
}

TEST_CASE("data file tail: commits write their new pages over the tail, the file's length kept") {
  testing::TempDir dir;
  {
    auto store = open_lmdb_store(options_in(dir, true));
    REQUIRE(store.has_value());
    write_records(**store, 0, 40);
  }
  // A small store: a stretch is 64 KiB, and a commit of one 12 KiB value
  // takes a few pages (its overflow pages and the copies of its path).
  const std::string value(12 * kKiB, 'w');
  int in_place = 0;
  for (int round = 0; round < 4; ++round) {
    CAPTURE(round);
    const size_t used = used_bytes(dir);
    const size_t file_size = std::filesystem::file_size(data_file(dir));
    {
      auto store = open_lmdb_store(options_in(dir, true));
      REQUIRE(store.has_value());
      REQUIRE(testing::put_value(**store, "t", "big-" + std::to_string(round), value));
    }
    CHECK(used_bytes(dir) > used);        // pages past the last one before
    if (file_size - used >= 32 * kKiB) {  // half a stretch ahead: no new zeros
      CHECK(std::filesystem::file_size(data_file(dir)) == file_size);
      ++in_place;
    }
  }
  CHECK(in_place >= 1);
  auto store = open_lmdb_store(options_in(dir, true));
  REQUIRE(store.has_value());
  for (int i = 0; i < 40; ++i) {
    CHECK(testing::value_of(**store, "t", "key-" + std::to_string(i)) == std::string(300, 'v'));
  }
  for (int round = 0; round < 4; ++round) {
    CHECK(testing::value_of(**store, "t", "big-" + std::to_string(round)) == value);
  }
}

TEST_CASE("data file tail: a store that does not sync keeps none") {
  testing::TempDir dir;
  {
    auto store = open_lmdb_store(options_in(dir, false));
    REQUIRE(store.has_value());
    write_records(**store, 0, 40);
  }
  CHECK(std::filesystem::file_size(data_file(dir)) == used_bytes(dir));
}

}  // namespace
}  // namespace passerelle::storage
