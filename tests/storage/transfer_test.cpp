// Export and import between real LMDB stores: a round trip keeps every byte,
// and an import either writes the whole file into an empty store or nothing.

#include "storage/transfer.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

const std::vector<std::string> kTables = {"users", "tokens", "empty"};

using Contents = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

std::unique_ptr<KvStore> open_store(const testing::TempDir& dir,
                                    const std::vector<std::string>& tables = kTables) {
  LmdbOptions options;
  options.path = dir.path();
  options.tables = tables;
  options.durable = false;
  auto store = open_lmdb_store(options);
  REQUIRE_MESSAGE(store.has_value(), store.error().to_string());
  return std::move(*store);
}

void put_all(KvStore& store, const Contents& contents) {
  auto st = store.update([&](WriteTxn& txn) -> Status {
    for (const auto& [table, records] : contents) {
      for (const auto& [k, v] : records) {
        if (auto put = txn.put(table, k, v); !put) return put;
      }
    }
    return {};
  });
  REQUIRE_MESSAGE(st.has_value(), st.error().to_string());
}

// Every record of every table, in scan order.
Contents contents_of(KvStore& store, const std::vector<std::string>& tables = kTables) {
  Contents out;
  auto st = store.view([&](ReadTxn& txn) -> Status {
    out.clear();
    for (const auto& table : tables) {
      auto& records = out[table];
      auto scan = txn.scan_prefix(table, "", [&](std::string_view k, std::string_view v) {
        records.emplace_back(k, v);
        return true;
      });
      if (!scan) return scan;
    }
    return {};
  });
  REQUIRE_MESSAGE(st.has_value(), st.error().to_string());
  return out;
}

std::string bytes(const char* s, size_t n) {
  return std::string(s, n);
}

// Keys and values with the bytes a line-oriented text format could trip on,
// in the order a scan gives them.
Contents sample() {
  return {{"users",
           {{bytes("\0", 1), "nul key"},
            {"alice", bytes("line\nbreak\r\n\0\xff\xfe", 15)},
            {"zz", ""},
            {bytes("\xff\xff", 2), std::string(70000, '\x80')}}},
          {"tokens", {{bytes("\n", 1), bytes("\0\0\0", 3)}, {"t2", "{\"json\": \"in a value\"}"}}},
          {"empty", {}}};
}

std::string export_to_string(KvStore& store, const std::vector<std::string>& tables = kTables) {
  std::ostringstream out;
  auto st = export_store(store, tables, out);
  REQUIRE_MESSAGE(st.has_value(), st.error().to_string());
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

Result<ImportSummary> import_text(KvStore& store, const std::string& text,
                                  const std::vector<std::string>& tables = kTables) {
  std::istringstream in(text);
  return import_store(store, tables, in);
}

TEST_CASE("transfer: LMDB to a file to a fresh LMDB keeps every table and every byte") {
  testing::TempDir source_dir, target_dir, file_dir;
  auto source = open_store(source_dir);
  put_all(*source, sample());
  std::string path = file_dir.path() + "/dump.jsonl";
  {
    std::ofstream file(path, std::ios::binary);
    auto st = export_store(*source, kTables, file);
    REQUIRE_MESSAGE(st.has_value(), st.error().to_string());
  }

  auto target = open_store(target_dir);
  std::ifstream file(path, std::ios::binary);
  auto summary = import_store(*target, kTables, file);
  REQUIRE_MESSAGE(summary.has_value(), summary.error().to_string());

  CHECK(contents_of(*target) == sample());
  CHECK(summary->records == 6);
  REQUIRE(summary->tables.size() == 3);
  CHECK(summary->tables[0].table == "users");
  CHECK(summary->tables[0].records == 4);
  CHECK(summary->tables[1].table == "tokens");
  CHECK(summary->tables[1].records == 2);
  CHECK(summary->tables[2].table == "empty");
  CHECK(summary->tables[2].records == 0);
}

TEST_CASE("transfer: the dump is a header, one line per record, and a trailer with the count") {
  testing::TempDir dir;
  auto store = open_store(dir);
  put_all(*store, sample());
  auto lines = lines_of(export_to_string(*store));
  REQUIRE(lines.size() == 1 + 6 + 1);
  auto header = nlohmann::json::parse(lines.front());
  CHECK(header["format"] == "passerelle-export");
  CHECK(header["version"] == 1);
  CHECK(header["tables"] == nlohmann::json(kTables));
  auto first = nlohmann::json::parse(lines[1]);
  CHECK(first == nlohmann::json{{"t", "users"}, {"k", "AA"}, {"v", "bnVsIGtleQ"}});  // "\0", "nul key"
  auto trailer = nlohmann::json::parse(lines.back());
  CHECK(trailer["end"] == "passerelle-export");
  CHECK(trailer["records"] == 6);
}

TEST_CASE("transfer: an empty store exports and imports as empty") {
  testing::TempDir source_dir, target_dir;
  auto source = open_store(source_dir);
  auto target = open_store(target_dir);
  auto summary = import_text(*target, export_to_string(*source));
  REQUIRE_MESSAGE(summary.has_value(), summary.error().to_string());
  CHECK(summary->records == 0);
}

TEST_CASE("transfer: import refuses a target that holds any record, and leaves it as it was") {
  testing::TempDir source_dir, target_dir;
  auto source = open_store(source_dir);
  put_all(*source, sample());
  auto target = open_store(target_dir);
  Contents existing{{"users", {}}, {"tokens", {}}, {"empty", {{"x", "already here"}}}};
  put_all(*target, existing);

  auto summary = import_text(*target, export_to_string(*source));
  REQUIRE_FALSE(summary.has_value());
  CHECK(summary.error().code == ErrorCode::kAlreadyExists);
  CHECK(summary.error().message.find("table \"empty\"") != std::string::npos);
  CHECK(contents_of(*target) == existing);
}

// A valid dump of sample() with one line replaced (or cut), and what import says.
struct BadFile {
  const char* name;
  std::function<void(std::vector<std::string>&)> damage;
  ErrorCode code;
  std::string line;  // "line N:" the message must name
};

TEST_CASE("transfer: import refuses a damaged file, names the line, and writes nothing") {
  const BadFile rows[] = {
      {"no trailer (cut at a line end)", [](auto& l) { l.pop_back(); }, ErrorCode::kCorruption, "line 8:"},
      {"cut inside a record",
       [](auto& l) {
         l.pop_back();
         l.back().resize(l.back().size() / 2);
       },
       ErrorCode::kCorruption, "line 7:"},
      {"trailer count too high", [](auto& l) { l.back() = R"({"end":"passerelle-export","records":7})"; },
       ErrorCode::kCorruption, "line 8:"},
      {"a record dropped", [](auto& l) { l.erase(l.begin() + 3); }, ErrorCode::kCorruption, "line 7:"},
      {"data after the trailer", [](auto& l) { l.push_back(l[1]); }, ErrorCode::kCorruption, "line 9:"},
      {"not our format", [](auto& l) { l[0] = R"({"format":"other","version":1,"tables":[]})"; },
       ErrorCode::kInvalidArgument, "line 1:"},
      {"a later format version",
       [](auto& l) { l[0] = R"({"format":"passerelle-export","version":2,"tables":["users"]})"; },
       ErrorCode::kInvalidArgument, "line 1:"},
      {"header not JSON", [](auto& l) { l[0] = "passerelle-export 1"; }, ErrorCode::kInvalidArgument,
       "line 1:"},
      {"a table the target lacks",
       [](auto& l) {
         l[0] = R"({"format":"passerelle-export","version":1,"tables":["users","tokens","empty","gone"]})";
       },
       ErrorCode::kInvalidArgument, "line 1:"},
      {"a record of a table not in the header", [](auto& l) { l[3] = R"({"t":"gone","k":"YQ","v":""})"; },
       ErrorCode::kCorruption, "line 4:"},
      {"bad base64url in a key", [](auto& l) { l[2] = R"({"t":"users","k":"YW+j","v":""})"; },
       ErrorCode::kCorruption, "line 3:"},
      {"bad base64url in a value", [](auto& l) { l[6] = R"({"t":"tokens","k":"dDI","v":"e30="})"; },
       ErrorCode::kCorruption, "line 7:"},
      {"a record line that is not JSON", [](auto& l) { l[5] = "{\"t\":\"tokens\","; }, ErrorCode::kCorruption,
       "line 6:"},
      {"a record with a missing field", [](auto& l) { l[5] = R"({"t":"tokens","k":"Cg"})"; },
       ErrorCode::kCorruption, "line 6:"},
      {"a key repeated", [](auto& l) { l[3] = l[2]; }, ErrorCode::kCorruption, "line 4:"},
      {"an empty key", [](auto& l) { l[2] = R"({"t":"users","k":"","v":""})"; }, ErrorCode::kCorruption,
       "line 3:"},
      {"an empty file", [](auto& l) { l.clear(); }, ErrorCode::kInvalidArgument, "line 1:"},
  };
  testing::TempDir source_dir;
  auto source = open_store(source_dir);
  put_all(*source, sample());
  const auto good = lines_of(export_to_string(*source));
  REQUIRE(good.size() == 8);  // the rows above count on this layout

  for (const auto& row : rows) {
    SUBCASE(row.name) {
      testing::TempDir target_dir;
      auto target = open_store(target_dir);
      auto lines = good;
      row.damage(lines);
      auto summary = import_text(*target, join(lines));
      REQUIRE_FALSE(summary.has_value());
      CHECK(summary.error().code == row.code);
      CHECK_MESSAGE(summary.error().message.rfind("import: " + row.line, 0) == 0, summary.error().message);
      CHECK(contents_of(*target) == Contents{{"users", {}}, {"tokens", {}}, {"empty", {}}});
    }
  }
}

// A store whose transactions fail at their n-th put (counting from 1), as an
// I/O error in the middle of a transaction would; every run of a transaction
// function fails there (a store may run one more than once).
class FailingPutStore : public KvStore {
 public:
  FailingPutStore(KvStore& inner, int fail_at) : inner_(inner), fail_at_(fail_at) {}
  Status view(const std::function<Status(ReadTxn&)>& fn) override { return inner_.view(fn); }
  Status update(const std::function<Status(WriteTxn&)>& fn) override {
    return inner_.update([&](WriteTxn& txn) {
      puts = 0;
      Txn failing(txn, *this);
      return fn(failing);
    });
  }
  int puts = 0;

 private:
  class Txn : public WriteTxn {
   public:
    Txn(WriteTxn& inner, FailingPutStore& store) : inner_(inner), store_(store) {}
    Result<std::optional<std::string>> get(std::string_view t, std::string_view k) override {
      return inner_.get(t, k);
    }
    Status scan_prefix(std::string_view t, std::string_view p,
                       const std::function<bool(std::string_view, std::string_view)>& visit) override {
      return inner_.scan_prefix(t, p, visit);
    }
    Result<uint64_t> count(std::string_view t) override { return inner_.count(t); }
    Status put(std::string_view t, std::string_view k, std::string_view v) override {
      if (++store_.puts == store_.fail_at_) return fail(Error::unavailable("storage: injected write error"));
      return inner_.put(t, k, v);
    }
    Status del(std::string_view t, std::string_view k) override { return inner_.del(t, k); }

   private:
    WriteTxn& inner_;
    FailingPutStore& store_;
  };

  KvStore& inner_;
  int fail_at_;
};

TEST_CASE("transfer: an import whose transaction fails midway leaves the target empty") {
  testing::TempDir source_dir, target_dir;
  auto source = open_store(source_dir);
  put_all(*source, sample());
  std::string dump = export_to_string(*source);
  auto target = open_store(target_dir);
  const Contents empty{{"users", {}}, {"tokens", {}}, {"empty", {}}};

  FailingPutStore failing(*target, 4);
  auto summary = import_text(failing, dump);
  REQUIRE_FALSE(summary.has_value());
  CHECK(summary.error().code == ErrorCode::kUnavailable);
  CHECK(failing.puts == 4);              // three records were written before the failure...
  CHECK(contents_of(*target) == empty);  // ...and none of them was kept

  // The same file, once the store works, goes in whole.
  auto retry = import_text(*target, dump);
  REQUIRE_MESSAGE(retry.has_value(), retry.error().to_string());
  CHECK(contents_of(*target) == sample());
}

// A store that runs each read function twice, as a backend that retries a
// snapshot may.
class RereadingStore : public KvStore {
 public:
  explicit RereadingStore(KvStore& inner) : inner_(inner) {}
  Status view(const std::function<Status(ReadTxn&)>& fn) override {
    if (auto st = inner_.view(fn); !st) return st;
    return inner_.view(fn);
  }
  Status update(const std::function<Status(WriteTxn&)>& fn) override { return inner_.update(fn); }

 private:
  KvStore& inner_;
};

TEST_CASE("transfer: export fails rather than write records from two snapshots") {
  testing::TempDir dir;
  auto store = open_store(dir);
  put_all(*store, sample());
  RereadingStore rereading(*store);
  std::ostringstream out;
  auto st = export_store(rereading, kTables, out);
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().code == ErrorCode::kUnavailable);
  // What was written cannot pass for a whole dump.
  testing::TempDir target_dir;
  auto target = open_store(target_dir);
  CHECK_FALSE(import_text(*target, out.str()).has_value());
}

TEST_CASE("transfer: import into a target with more tables than the file lists") {
  testing::TempDir source_dir, target_dir;
  auto source = open_store(source_dir, {"users"});
  put_all(*source, {{"users", {{"a", "1"}}}});
  auto target = open_store(target_dir);
  auto summary = import_text(*target, export_to_string(*source, {"users"}));
  REQUIRE_MESSAGE(summary.has_value(), summary.error().to_string());
  REQUIRE(summary->tables.size() == 1);
  CHECK(contents_of(*target) == Contents{{"users", {{"a", "1"}}}, {"tokens", {}}, {"empty", {}}});
}

}  // namespace
}  // namespace passerelle::storage
