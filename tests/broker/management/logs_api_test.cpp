// The audit trail over real HTTP: logins, MFA, logout, refresh-token reuse
// and Management API changes each leave the right event, read back through
// /api/v2/logs with filters and both kinds of paging; read:logs is
// enforced and malformed queries get 400 invalid_query_string.
#include <doctest/doctest.h>

#include "broker/management/management_support.h"
#include "core/encoding.h"
#include "mfa/totp.h"

namespace passerelle {
namespace {

using testing::ManagedBroker;
using testing::post_login;

httplib::Result refresh(ManagedBroker& mb, const std::string& token) {
  return mb.client.Post("/oauth/token",
                        {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                        httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}});
}

// GET /api/v2/logs with `query` (already URL-encoded); the list of events.
nlohmann::json logs(ManagedBroker& mb, const std::string& query) {
  auto reply = mb.call("GET", "/api/v2/logs?" + query);
  REQUIRE_MESSAGE(reply.status == 200, reply.body.dump());
  return reply.body;
}

std::string q(const std::string& query) {
  return "q=" + url_encode(query);
}

}  // namespace

TEST_CASE(
    "logs: logins, a refresh-token reuse, a client PATCH and a logout are readable through /api/v2/logs") {
  ManagedBroker mb;
  const std::string alice = mb.alice_id();
  CHECK(post_login(mb, "alice@example.test", "wrong-password")->status == 401);
  CHECK(post_login(mb, "nobody@example.test", "wrong-password")->status == 401);
  mb.clock.advance(1);
  auto patched =
      mb.call("PATCH", "/api/v2/clients/web",
              {{"refresh_token", {{"rotation_type", "rotating"}, {"expiration_type", "expiring"}}}});
  REQUIRE(patched.status == 200);
  auto tokens = testing::log_in_and_exchange(mb, "openid%20email%20offline_access");
  std::string r0 = tokens.body["refresh_token"];
  REQUIRE(refresh(mb, r0)->status == 200);
  mb.clock.advance(1);
  REQUIRE(refresh(mb, r0)->status == 400);  // reuse: the family is revoked
  auto logout = mb.client.Get("/v2/logout?client_id=web", mb.with_cookie(tokens.cookie));
  REQUIRE(logout->status == 200);

  SUBCASE("each event, by type") {
    auto fp = logs(mb, q("type:fp"));
    REQUIRE(fp.size() == 1);
    CHECK(fp[0]["user_id"] == alice);
    CHECK(fp[0]["user_name"] == "alice@example.test");
    CHECK(fp[0]["client_id"] == "web");
    CHECK(fp[0]["client_name"] == "Web");
    CHECK(fp[0]["connection"] == "Username-Password-Authentication");
    CHECK(fp[0]["ip"] == "127.0.0.1");
    CHECK(fp[0]["user_agent"].get<std::string>().find("cpp-httplib") != std::string::npos);
    CHECK(fp[0]["date"] == "2027-01-15T08:00:00.000Z");

    auto fu = logs(mb, q("type:fu"));
    REQUIRE(fu.size() == 1);
    CHECK(fu[0]["user_name"] == "nobody@example.test");
    CHECK_FALSE(fu[0].contains("user_id"));

    auto s = logs(mb, q("type:s AND user_id:\"" + alice + "\""));
    REQUIRE(s.size() == 1);
    CHECK(s[0]["details"]["session_id"].is_string());

    auto reuse = logs(mb, q("type:ferrt"));
    REQUIRE(reuse.size() == 1);
    CHECK(reuse[0]["user_id"] == alice);
    CHECK(reuse[0]["client_id"] == "web");
    CHECK(reuse[0]["details"]["family_id"].is_string());

    auto api = logs(mb, q("type:sapi AND client_id:web"));
    REQUIRE(api.size() == 1);
    CHECK(api[0]["description"] == "Update a client");
    CHECK(api[0]["details"]["changed"] ==
          nlohmann::json::array({"refresh_token.expiration_type", "refresh_token.rotation_type"}));
    CHECK(api[0]["details"]["initiator"]["client_id"] == "admin-api");

    auto slo = logs(mb, q("type:slo"));
    REQUIRE(slo.size() == 1);
    CHECK(slo[0]["user_id"] == alice);
    CHECK(slo[0]["details"]["session_id"] == s[0]["details"]["session_id"]);

    auto one = mb.call("GET", "/api/v2/logs/" + slo[0]["log_id"].get<std::string>());
    CHECK(one.status == 200);
    CHECK(one.body == slo[0]);
    auto none = mb.call("GET", "/api/v2/logs/000000000000ffffffff");
    CHECK(none.status == 404);
    CHECK(none.body["errorCode"] == "inexistent_log");
  }

  SUBCASE("filters by time, several types, and the user's own logs") {
    CHECK(logs(mb, q("date:[2027-01-15T08:00:01Z TO *]")).size() == 4);  // s, ferrt, sapi, slo
    CHECK(logs(mb, q("date:[* TO 2027-01-15T08:00:00Z]")).size() == 2);
    CHECK(logs(mb, q("type:(fp OR fu)")).size() == 2);
    auto mine = mb.call("GET", "/api/v2/users/" + alice + "/logs?include_totals=true");
    REQUIRE(mine.status == 200);
    CHECK(mine.body["total"] == 4);  // fp, s, ferrt, slo
    for (const auto& e : mine.body["logs"]) CHECK(e["user_id"] == alice);
  }

  SUBCASE("page paging: newest first, with totals, stable over pages") {
    auto all = logs(mb, "per_page=100");
    REQUIRE(all.size() == 6);
    CHECK(all[0]["type"] == "slo");
    for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1]["log_id"] > all[i]["log_id"]);
    auto first = logs(mb, "per_page=4&include_totals=true");
    CHECK(first["start"] == 0);
    CHECK(first["limit"] == 4);
    CHECK(first["length"] == 4);
    CHECK(first["total"] == 6);
    auto second = logs(mb, "per_page=4&page=1&include_totals=true");
    CHECK(second["start"] == 4);
    CHECK(second["length"] == 2);
    nlohmann::json joined = first["logs"];
    for (const auto& e : second["logs"]) joined.push_back(e);
    CHECK(joined == all);
    auto oldest = logs(mb, "per_page=1&sort=date%3A1");
    CHECK(oldest[0] == all.back());
  }

  SUBCASE("checkpoint paging: from and take follow the Link header, oldest first") {
    auto reply = mb.client.Get("/api/v2/logs?take=4", {{"Authorization", "Bearer " + mb.token}});
    REQUIRE(reply->status == 200);
    auto first = nlohmann::json::parse(reply->body);
    REQUIRE(first.size() == 4);
    CHECK(first[0]["type"] == "fp");
    std::string link = reply->get_header_value("Link");
    std::string expected = "<http://127.0.0.1:9/api/v2/logs?from=" + first[3]["log_id"].get<std::string>() +
                           "&take=4>; rel=\"next\"";
    CHECK(link == expected);
    std::string next = link.substr(link.find("/api/v2/logs"), link.find('>') - link.find("/api/v2/logs"));
    reply = mb.client.Get(next.c_str(), {{"Authorization", "Bearer " + mb.token}});
    auto second = nlohmann::json::parse(reply->body);
    REQUIRE(second.size() == 2);
    CHECK(second[1]["type"] == "slo");
    auto after_last = logs(mb, "from=" + second[1]["log_id"].get<std::string>());
    CHECK(after_last.empty());
  }

  SUBCASE("no event holds a password, token, secret or cookie") {
    std::string dump = logs(mb, "per_page=100").dump();
    for (const std::string& secret : {std::string("wrong-password"), std::string("alice-password"), r0,
                                      tokens.cookie, std::string("web-secret-fixture"), mb.token}) {
      CHECK(dump.find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("logs: read:logs is required, and malformed queries are refused with invalid_query_string") {
  ManagedBroker mb;
  std::string reader = mb.management_token("m2m", "m2m-secret-fixture");  // read:clients only
  for (const char* path : {"/api/v2/logs", "/api/v2/logs/000000000000ffffffff", "/api/v2/users/u1/logs"}) {
    CAPTURE(std::string(path));
    auto refused = mb.call("GET", path, nullptr, reader);
    CHECK(refused.status == 403);
    CHECK(refused.body["errorCode"] == "insufficient_scope");
    CHECK(mb.call("GET", path, nullptr, "").status == 401);
  }
  struct Row {
    const char* query;
    const char* message;
  };
  const Row rows[] = {
      {"q=type%3As%20OR%20type%3Af", "q: expected AND between clauses"},
      {"q=description%3Ax", "q: unknown field \"description\""},
      {"q=date%3A%5B2026-01-01%20TO%20soon%5D", "q: date: \"soon\" is not YYYY-MM-DD"},
      {"sort=user_id%3A1", "sort: must be date:1 or date:-1"},
      {"per_page=101", "per_page: must be an integer from 1 to 100"},
      {"take=0", "take: must be an integer from 1 to 100"},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.query));
    auto reply = mb.call("GET", std::string("/api/v2/logs?") + row.query);
    CHECK(reply.status == 400);
    CHECK(reply.body["errorCode"] == "invalid_query_string");
    CHECK_MESSAGE(reply.body["message"].get<std::string>().rfind(row.message, 0) == 0, reply.body.dump());
  }
}

TEST_CASE("logs: a wrong and a right one-time code leave gd_auth_failed and gd_auth_succeed") {
  Config config = testing::test_config();
  for (auto& c : config.clients) {
    if (c.client_id == "web") c.require_mfa = true;
  }
  ManagedBroker mb(std::move(config));
  const std::string alice = mb.alice_id();
  auto key = mb.broker->mfa().pending_key(alice);
  REQUIRE(key.has_value());
  auto confirmed = mb.broker->mfa().confirm(alice, totp(*key, mb.clock.now()));
  REQUIRE(confirmed.has_value());
  REQUIRE(confirmed->verdict == MfaAttempt::Verdict::kAccepted);
  mb.clock.advance(60);  // past the confirming code's step: codes are accepted once

  auto login = testing::log_in(mb);
  REQUIRE(login.location.find("/mfa?tx=") != std::string::npos);
  auto page =
      mb.client.Get(login.location.substr(login.location.find("/mfa")).c_str(), mb.with_cookie(login.cookie));
  REQUIRE(page->status == 200);
  httplib::Params form{{"tx", testing::hidden_field(page->body, "tx")},
                       {"csrf_token", testing::hidden_field(page->body, "csrf_token")},
                       {"otp", "000000"}};
  if (totp(*key, mb.clock.now()) == "000000") form.find("otp")->second = "111111";
  CHECK(mb.client.Post("/mfa", mb.with_cookie(login.cookie), form)->status == 401);
  form.find("otp")->second = totp(*key, mb.clock.now());
  CHECK(mb.client.Post("/mfa", mb.with_cookie(login.cookie), form)->status == 302);

  auto failed = logs(mb, q("type:gd_auth_failed"));
  REQUIRE(failed.size() == 1);
  CHECK(failed[0]["user_id"] == alice);
  CHECK(failed[0]["client_id"] == "web");
  auto succeeded = logs(mb, q("type:gd_auth_succeed"));
  REQUIRE(succeeded.size() == 1);
  CHECK(succeeded[0]["user_id"] == alice);
}

TEST_CASE("logs: user changes, blocks and session revocations through the Management API") {
  Config config = testing::test_config();
  config.brute_force_max_failures = 2;
  ManagedBroker mb(std::move(config));
  const std::string alice = mb.alice_id();
  testing::log_in(mb);
  auto sessions = mb.call("GET", "/api/v2/users/" + alice + "/sessions");
  REQUIRE(sessions.body["sessions"].size() == 1);
  std::string sid = sessions.body["sessions"][0]["id"];
  CHECK(mb.call("DELETE", "/api/v2/sessions/" + sid).status == 204);
  CHECK(mb.call("PATCH", "/api/v2/users/" + alice, {{"password", "a-new-password"}}).status == 200);
  CHECK(mb.call("PATCH", "/api/v2/users/" + alice,
                {{"email", "alice2@example.test"}, {"phone_number", "+33600000000"}})
            .status == 200);
  CHECK(mb.call("PATCH", "/api/v2/users/" + alice, {{"blocked", true}}).status == 200);
  CHECK(mb.call("PATCH", "/api/v2/users/" + alice, {{"blocked", false}}).status == 200);
  post_login(mb, "alice2@example.test", "wrong");
  CHECK(post_login(mb, "alice2@example.test", "wrong")->status == 429);

  auto mine = logs(mb, q("user_id:\"" + alice + "\"") + "&sort=date%3A1&per_page=100");
  std::vector<std::string> types;
  for (const auto& e : mine) types.push_back(e["type"]);
  CHECK(types ==
        std::vector<std::string>{"s", "session_revoked", "scp", "sce", "scpn", "user_blocked", "fp", "fp"});
  CHECK(mine[1]["details"]["session_id"] == sid);
  CHECK(mine[2]["details"]["initiator"]["client_id"] == "admin-api");
  auto blocked = logs(mb, q("type:limit_wc"));
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0]["user_name"] == "alice2@example.test");
  CHECK(blocked[0]["ip"] == "127.0.0.1");
  std::string dump = logs(mb, "per_page=100").dump();
  CHECK(dump.find("a-new-password") == std::string::npos);
}

}  // namespace passerelle
