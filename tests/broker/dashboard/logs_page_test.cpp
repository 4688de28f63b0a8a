// The dashboard's Logs view as rendered HTML: labelled filter inputs that
// keep what was typed, one escaped row per event, paging links, and the
// form's filter (with a message naming a bad date); then served over real
// HTTP to an administrator.
#include "dashboard/logs_page.h"

#include <doctest/doctest.h>

#include "broker/support/running_broker.h"

namespace passerelle::dashboard {
namespace {

bool has(const std::string& html, const std::string& part) { return html.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("dashboard logs: labelled filters, escaped rows and paging links") {
  Frame frame{Section::kLogs, "admin@example.test", "token"};
  LogFilterForm form{"auth0|x", "", "fp", "2027-01-01", "", 1};
  LogPage page;
  AuditEvent e{.type = "fp", .user_id = "auth0|x", .user_name = "<alice>", .client_id = "web",
               .description = "Wrong password"};
  e.log_id = "000000000001000000000";
  e.date = 1'800'000'000;
  e.ip = "127.0.0.1";
  page.events.push_back(e);
  page.total = kLogsPerPage * 2 + 1;
  std::string html = logs_page(frame, form, page, "");

  for (const char* id : {"user_id", "client_id", "type", "from", "to"}) {
    CAPTURE(std::string(id));
    CHECK(has(html, std::string("<label for=\"") + id + "\">"));
    CHECK(has(html, std::string("id=\"") + id + "\" name=\"" + id + "\""));
  }
  CHECK(has(html, "id=\"user_id\" name=\"user_id\" value=\"auth0|x\""));
  CHECK(has(html, "<form id=\"log-filters\""));
  CHECK(has(html, "aria-current=\"page\">Logs</a>"));
  CHECK(has(html, "<tr data-log-id=\"000000000001000000000\">"));
  CHECK(has(html, "2027-01-15T08:00:00.000Z"));
  CHECK(has(html, "&lt;alice&gt;"));
  CHECK_FALSE(has(html, "<alice>"));
  CHECK(has(html, "101 event(s)"));
  CHECK(has(html, "rel=\"prev\" href=\"/dashboard/logs?user_id=auth0%7Cx&amp;client_id=&amp;type=fp&amp;from=2027-01-01"
                  "&amp;to=&amp;page=0\""));
  CHECK(has(html, "rel=\"next\""));

  std::string failed = logs_page(frame, form, {}, "From: enter a date as YYYY-MM-DD.");
  CHECK(has(failed, "role=\"alert\">From: enter a date as YYYY-MM-DD.</p>"));
  CHECK_FALSE(has(failed, "<table id=\"logs\">"));
}

TEST_CASE("dashboard logs: the form's filter") {
  auto filter = filter_of({"u1", "web", "s", "2027-01-15", "2027-01-15", 0});
  REQUIRE(filter.has_value());
  AuditEvent match{.type = "s", .user_id = "u1", .client_id = "web"};
  match.date = 1'800'000'000;
  CHECK(filter->matches(match));
  AuditEvent next_day = match;
  next_day.date += 86400;
  CHECK_FALSE(filter->matches(next_day));
  CHECK(filter_of({}).has_value());
  auto bad = filter_of({"", "", "", "15/01/2027", "", 0});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message == "From: enter a date as YYYY-MM-DD.");
  CHECK_FALSE(filter_of({"", "", "", "", "2027-01-15T00:00:00Z", 0}).has_value());
}

TEST_CASE("dashboard logs: an administrator reads the events, filtered, over HTTP") {
  Config config = testing::test_config();
  config.users[0].roles = {"admin"};
  testing::RunningBroker rb(std::move(config));
  testing::log_in(rb, "wrong-password");
  auto admin = testing::log_in(rb);

  CHECK(rb.client.Get("/dashboard/logs")->status == 302);  // to the login first
  auto all = rb.client.Get("/dashboard/logs", rb.with_cookie(admin.cookie));
  REQUIRE(all->status == 200);
  CHECK(has(all->body, "2 event(s)"));
  auto failed = rb.client.Get("/dashboard/logs?type=fp&user_id=&client_id=web&from=2027-01-15&to=",
                              rb.with_cookie(admin.cookie));
  REQUIRE(failed->status == 200);
  CHECK(has(failed->body, "1 event(s)"));
  CHECK(has(failed->body, "<td>Wrong password</td>"));
  CHECK(has(failed->body, "id=\"type\" name=\"type\" value=\"fp\""));
  CHECK_FALSE(has(failed->body, "wrong-password"));
  auto later = rb.client.Get("/dashboard/logs?from=2027-01-16", rb.with_cookie(admin.cookie));
  CHECK(has(later->body, "0 event(s)"));
  auto bad = rb.client.Get("/dashboard/logs?to=soon", rb.with_cookie(admin.cookie));
  CHECK(bad->status == 400);
  CHECK(has(bad->body, "role=\"alert\">To: enter a date as YYYY-MM-DD."));
}

}  // namespace passerelle::dashboard
