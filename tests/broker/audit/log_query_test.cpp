// The q subset of /api/v2/logs: what it accepts, what each query keeps, and
// a clear refusal for the rest of Lucene's syntax.
#include "audit/log_query.h"

#include <doctest/doctest.h>

namespace passerelle {

TEST_CASE("log query: accepted queries and the filter they make") {
  AuditEvent alice{.type = "s",
                   .user_id = "auth0|x",
                   .user_name = "alice@example.test",
                   .client_id = "web",
                   .connection = "Username-Password-Authentication"};
  alice.date = parse_log_date("2026-01-15T10:00:00Z", false).value();
  alice.ip = "127.0.0.1";
  struct Row {
    const char* q;
    bool keeps_alice;
  };
  const Row rows[] = {
      {"", true},
      {"   ", true},
      {"user_id:\"auth0|x\"", true},
      {"user_id:auth0|x", true},
      {"user_id:\"auth0|y\"", false},
      {"type:s", true},
      {"type:f", false},
      {"type:(f OR s)", true},
      {"type:( f OR fp )", false},
      {"user_id:\"auth0|x\" AND type:s AND date:[2026-01-01 TO 2026-02-01]", true},
      {"user_id:\"auth0|x\" AND date:[2026-02-01 TO 2026-03-01]", false},
      {"date:2026-01-15", true},
      {"date:2026-01-14", false},
      {"date:[2026-01-15T10:00:00Z TO 2026-01-15T10:00:00Z]", true},
      {"date:[2026-01-15T10:00:01.500Z TO *]", false},
      {"date:[* TO 2026-01-15]", true},
      {"client_id:web AND connection:\"Username-Password-Authentication\"", true},
      {"user_name:\"alice@example.test\" AND ip:127.0.0.1", true},
      {"user_name:\"say \\\"hi\\\"\"", false},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.q));
    auto filter = parse_log_query(row.q);
    REQUIRE_MESSAGE(filter.has_value(), filter.error().message);
    CHECK(filter->matches(alice) == row.keeps_alice);
  }
}

TEST_CASE("log query: the rest of Lucene's syntax is refused with the reason") {
  struct Row {
    const char* q;
    const char* reason;
  };
  const Row rows[] = {
      {"alice", "expected field:value"},
      {"description:login", "unknown field \"description\""},
      {"type:s OR type:f", "expected AND between clauses"},
      {"type:s AND", "expected field:value"},
      {"type:s AND type:f", "appears twice"},
      {"type:", "a value is missing"},
      {"type:s*", "'*' is not supported"},
      {"user_id:\"auth0|x", "not closed"},
      {"type:(s OR f", "expected OR or )"},
      {"type:(s AND f)", "expected OR or )"},
      {"date:yesterday", "date: expected YYYY-MM-DD"},
      {"date:[2026-01-01 TO 2026-13-01]", "is not YYYY-MM-DD"},
      {"date:[2026-01-01 2026-02-01]", "expected TO"},
      {"date:[2026-01-01 TO 2026-02-01", "expected ]"},
      {"NOT type:s", "expected field:value"},
      {"type:s && user_id:x", "expected AND"},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.q));
    auto filter = parse_log_query(row.q);
    REQUIRE_FALSE(filter.has_value());
    CHECK(filter.error().code == ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(filter.error().message.find(row.reason) != std::string::npos, filter.error().message);
  }
}

TEST_CASE("log query: dates as days and RFC 3339 UTC times") {
  CHECK(parse_log_date("1970-01-01", false) == 0);
  CHECK(parse_log_date("1970-01-01", true) == 86399);
  CHECK(parse_log_date("2027-01-15T08:00:00Z", false) == 1'800'000'000);
  CHECK(parse_log_date("2027-01-15T08:00:00.123Z", false) == 1'800'000'000);
  CHECK_FALSE(parse_log_date("2027-01-15T08:00:00", false));
  CHECK_FALSE(parse_log_date("2027-01-15T08:00:00+01:00", false));
  CHECK_FALSE(parse_log_date("2027-1-15", false));
  CHECK_FALSE(parse_log_date("2027-01-15x", false));
}

}  // namespace passerelle
