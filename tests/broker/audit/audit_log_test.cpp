// The audit trail's store on a real LMDB store with a manual clock: ids in
// time order, reading back, search paging and filters, checkpoints,
// atomicity with the change an event describes, and retention through the
// expiry index.
#include "audit/audit_log.h"

#include <doctest/doctest.h>

#include "clients/client_registry.h"
#include "core/clock.h"
#include "storage/expiry_index.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"
#include "store/tables.h"

namespace passerelle {
namespace {

constexpr int64_t kStart = 1'800'000'000;  // 2027-01-15T08:00:00Z
constexpr int64_t kRetention = 30 * 86400;

struct Fixture {
  testing::TempDir dir;
  ManualClock clock{kStart};
  std::unique_ptr<storage::KvStore> store = open();
  AuditLog log{*store, clock, kRetention};

  std::unique_ptr<storage::KvStore> open() {
    storage::LmdbOptions options;
    options.path = dir.path();
    options.tables = tables::all_tables();
    options.durable = false;
    auto opened = storage::open_lmdb_store(options);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    return std::move(*opened);
  }

  // Every event, oldest first.
  std::vector<AuditEvent> all() {
    auto page = log.search({}, true, 0, 1000);
    REQUIRE(page.has_value());
    return page->events;
  }
};

std::vector<std::string> types_of(const std::vector<AuditEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.type);
  return out;
}

}  // namespace

TEST_CASE("audit log: an event is read back with its id, date and fields") {
  Fixture f;
  f.log.record({.type = audit::kLoginSuccess,
                .user_id = "auth0|alice",
                .user_name = "alice@example.test",
                .client_id = "web",
                .connection = "Username-Password-Authentication",
                .description = "Successful login",
                .details = {{"session_id", "sid-1"}}});
  auto events = f.all();
  REQUIRE(events.size() == 1);
  const AuditEvent& e = events[0];
  CHECK(e.log_id.size() == 20);
  CHECK(e.date == kStart);
  CHECK(e.type == "s");
  CHECK(e.user_id == "auth0|alice");
  CHECK(e.details["session_id"] == "sid-1");

  auto found = f.log.find(e.log_id);
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  CHECK((*found)->user_name == "alice@example.test");
  CHECK_FALSE(f.log.find("000000000000ffffffff")->has_value());

  nlohmann::json api = api_json(e);
  CHECK(api["date"] == "2027-01-15T08:00:00.000Z");
  CHECK(api["connection"] == "Username-Password-Authentication");
  CHECK_FALSE(api.contains("ip"));  // empty fields are left out
}

TEST_CASE("audit log: the client's name is recorded with its id") {
  Fixture f;
  ClientRegistry clients(*f.store);
  ClientConfig settings;
  settings.client_id = "web";
  settings.name = "The Web App";
  REQUIRE(clients.put(ClientRegistry::from_settings(settings)).has_value());
  f.log.record({.type = audit::kLoginSuccess, .client_id = "web"});
  f.log.record({.type = audit::kLoginSuccess, .client_id = "gone"});
  auto events = f.all();
  REQUIRE(events.size() == 2);
  CHECK(events[0].client_name == "The Web App");
  CHECK(events[1].client_name == "");
}

TEST_CASE("audit log: ids sort by time, within a second and when the clock goes back") {
  Fixture f;
  f.log.record({.type = "a"});
  f.log.record({.type = "b"});
  f.clock.advance(1);
  f.log.record({.type = "c"});
  f.clock.set(kStart - 100);  // a clock stepped back must not reorder the trail
  f.log.record({.type = "d"});
  auto events = f.all();
  REQUIRE(events.size() == 4);
  CHECK(types_of(events) == std::vector<std::string>{"a", "b", "c", "d"});
  for (size_t i = 1; i < events.size(); ++i) CHECK(events[i - 1].log_id < events[i].log_id);
  CHECK(events[3].date == kStart - 100);  // the date stays the clock's
}

TEST_CASE("audit log: search pages newest first or oldest first, with totals") {
  Fixture f;
  for (int i = 0; i < 7; ++i) {
    f.log.record({.type = std::to_string(i)});
    f.clock.advance(10);
  }
  struct Row {
    bool oldest_first;
    size_t offset, limit;
    std::vector<std::string> expected;
  };
  const Row rows[] = {
      {false, 0, 3, {"6", "5", "4"}}, {false, 3, 3, {"3", "2", "1"}},
      {false, 6, 3, {"0"}},           {false, 9, 3, {}},
      {true, 0, 3, {"0", "1", "2"}},  {true, 6, 3, {"6"}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.oldest_first);
    CAPTURE(row.offset);
    auto page = f.log.search({}, row.oldest_first, row.offset, row.limit);
    REQUIRE(page.has_value());
    CHECK(page->total == 7);
    CHECK(types_of(page->events) == row.expected);
  }
}

TEST_CASE("audit log: search filters by user, client, type and dates") {
  Fixture f;
  f.log.record({.type = "s", .user_id = "u1", .client_id = "web"});
  f.clock.advance(86400);
  f.log.record({.type = "fp", .user_id = "u1", .client_id = "spa"});
  f.clock.advance(86400);
  f.log.record({.type = "s", .user_id = "u2", .client_id = "web"});
  struct Row {
    const char* q;
    std::vector<std::string> users;  // oldest first
  };
  const Row rows[] = {
      {"", {"u1", "u1", "u2"}},
      {"user_id:u1", {"u1", "u1"}},
      {"user_id:\"u1\" AND type:s", {"u1"}},
      {"client_id:web", {"u1", "u2"}},
      {"type:(s OR fp) AND client_id:spa", {"u1"}},
      {"date:2027-01-16", {"u1"}},
      {"date:[2027-01-16 TO *]", {"u1", "u2"}},
      {"date:[* TO 2027-01-16]", {"u1", "u1"}},
      {"date:[2027-01-15T08:00:01Z TO 2027-01-17T08:00:00Z]", {"u1", "u2"}},
      {"user_id:nobody", {}},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.q));
    auto filter = parse_log_query(row.q);
    REQUIRE_MESSAGE(filter.has_value(), filter.error().message);
    auto page = f.log.search(*filter, true, 0, 100);
    REQUIRE(page.has_value());
    std::vector<std::string> users;
    for (const auto& e : page->events) users.push_back(e.user_id);
    CHECK(users == row.users);
    CHECK(page->total == row.users.size());
  }
}

TEST_CASE("audit log: checkpoints return the events after an id, oldest first") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.log.record({.type = std::to_string(i)});
  auto first = f.log.after("", 2);
  REQUIRE(first.has_value());
  CHECK(types_of(*first) == std::vector<std::string>{"0", "1"});
  auto next = f.log.after(first->back().log_id, 2);
  CHECK(types_of(*next) == std::vector<std::string>{"2", "3"});
  auto last = f.log.after(next->back().log_id, 2);
  CHECK(types_of(*last) == std::vector<std::string>{"4"});
  CHECK(f.log.after(last->back().log_id, 2)->empty());
}

TEST_CASE("audit log: an event appended in a failed transaction is not kept, nor its change") {
  Fixture f;
  auto st = f.store->update([&](storage::WriteTxn& txn) -> Status {
    if (auto s = txn.put(tables::kMeta, "the-change", "x"); !s) return s;
    if (auto s = f.log.append(txn, {.type = audit::kPasswordChanged}); !s) return s;
    return fail(Error::internal("the change failed after its event"));
  });
  CHECK_FALSE(st.has_value());
  CHECK(f.all().empty());
  auto change = f.store->view([](storage::ReadTxn& txn) -> Status {
    auto v = txn.get(tables::kMeta, "the-change");
    if (!v) return fail(v.error());
    CHECK_FALSE(v->has_value());
    return {};
  });
  CHECK(change.has_value());
  // The id counter did not move either: the next event takes the first id.
  f.log.record({.type = "next"});
  CHECK(f.all()[0].log_id.substr(12) == "00000000");
}

TEST_CASE("audit log: the sweeper removes events once their retention has passed") {
  Fixture f;
  f.log.record({.type = "old"});
  f.clock.advance(86400);
  f.log.record({.type = "newer"});
  auto swept = storage::sweep_expired(*f.store, kStart + kRetention - 1, 100);
  REQUIRE(swept.has_value());
  CHECK(*swept == 0);
  swept = storage::sweep_expired(*f.store, kStart + kRetention, 100);
  CHECK(*swept == 1);
  CHECK(types_of(f.all()) == std::vector<std::string>{"newer"});
  swept = storage::sweep_expired(*f.store, kStart + 86400 + kRetention, 100);
  CHECK(*swept == 1);
  CHECK(f.all().empty());
}

}  // namespace passerelle
