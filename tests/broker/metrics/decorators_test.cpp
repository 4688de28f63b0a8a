// The decorators that feed metrics: TimedKvStore forwards every call and
// times writes by outcome; ObservedHttpClient reports upstream calls by
// connection and error kind.

#include <doctest/doctest.h>

#include <vector>

#include "connectors/observed_http_client.h"
#include "metrics/timed_kv_store.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle {
namespace {

TEST_CASE("timed store: writes are forwarded and timed by outcome, reads forwarded") {
  testing::TempDir dir;
  storage::LmdbOptions options;
  options.path = dir.path();
  options.tables = {"t"};
  auto inner = storage::open_lmdb_store(options);
  REQUIRE(inner.has_value());
  metrics::Registry registry;
  auto& commits = registry.histogram("test_commit_seconds", "Commits.", {"outcome"}, {1});
  metrics::TimedKvStore store(std::move(*inner), commits);

  REQUIRE(store.update([](storage::WriteTxn& txn) { return txn.put("t", "k", "v"); }).has_value());
  auto failed = store.update([](storage::WriteTxn& txn) -> Status {
    (void)txn.put("t", "k2", "v");
    return fail(Error::conflict("changed my mind"));
  });
  CHECK(failed.error().message == "changed my mind");
  std::optional<std::string> read;
  REQUIRE(store.view([&](storage::ReadTxn& txn) -> Status {
    auto v = txn.get("t", "k");
    if (v) read = *v;
    auto gone = txn.get("t", "k2");
    CHECK((gone && !gone->has_value()));  // the failed write kept nothing
    return {};
  }).has_value());
  CHECK(read == "v");
  CHECK(commits.count({"ok"}) == 1);
  CHECK(commits.count({"error"}) == 1);
}

// Answers each send with the next scripted result.
class ScriptedHttp final : public HttpClient {
 public:
  std::vector<Result<HttpResponse>> script;
  Result<HttpResponse> send(const HttpRequest&) override {
    auto next = script.front();
    script.erase(script.begin());
    return next;
  }
};

TEST_CASE("observed http client: each call reported with its connection and error kind") {
  ScriptedHttp inner;
  HttpResponse ok;
  ok.status = 200;
  HttpResponse denied;
  denied.status = 401;
  HttpResponse broken;
  broken.status = 503;
  inner.script = {ok, denied, broken, fail(Error::unavailable("connect: refused")),
                  fail(Error::invalid_argument("bad url"))};
  struct Seen {
    std::string connection;
    std::string error;
    double seconds;
  };
  std::vector<Seen> seen;
  ObservedHttpClient client(inner, "facebook", [&](std::string_view c, double s, std::string_view e) {
    seen.push_back({std::string(c), std::string(e), s});
  });
  HttpRequest request;
  request.url = "https://idp.test/token";
  CHECK(client.send(request)->status == 200);
  CHECK(client.send(request)->status == 401);
  CHECK(client.send(request)->status == 503);
  CHECK(client.send(request).error().code == ErrorCode::kUnavailable);
  CHECK(client.send(request).error().code == ErrorCode::kInvalidArgument);
  REQUIRE(seen.size() == 5);
  const char* kinds[] = {"", "", "status_5xx", "unavailable", "invalid_request"};
  for (size_t i = 0; i < seen.size(); ++i) {
    CAPTURE(i);
    CHECK(seen[i].connection == "facebook");
    CHECK(seen[i].error == kinds[i]);
    CHECK(seen[i].seconds >= 0);
  }
}

}  // namespace
}  // namespace passerelle
