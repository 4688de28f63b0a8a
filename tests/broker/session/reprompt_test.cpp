#include "session/reprompt.h"

#include <doctest/doctest.h>

namespace passerelle {

TEST_CASE("re-prompt decision table") {
  const int64_t now = 10'000;
  User user;
  user.id = "u";
  user.credentials_changed_at = 100;
  BrokerSession live;
  live.user_id = "u";
  live.authenticated = true;
  live.auth_time = 9'000;
  live.idle_expires_at = now + 1;
  live.absolute_expires_at = now + 100;
  BrokerSession anonymous = live;
  anonymous.authenticated = false;
  BrokerSession idle_expired = live;
  idle_expired.idle_expires_at = now;
  BrokerSession absolute_expired = live;
  absolute_expired.absolute_expires_at = now;
  User changed = user;
  changed.credentials_changed_at = 9'500;  // S4: after the session's login
  User other = user;
  other.id = "v";

  struct Row {
    const char* name;
    const BrokerSession* session;
    const User* user;
    std::vector<std::string> prompt;
    int64_t max_age;
    RepromptOutcome expected;
  };
  const std::vector<Row> rows = {
      {"no session", nullptr, nullptr, {}, -1, RepromptOutcome::kLogin},
      {"no session, prompt=none", nullptr, nullptr, {"none"}, -1, RepromptOutcome::kLoginRequired},
      {"anonymous session", &anonymous, &user, {}, -1, RepromptOutcome::kLogin},
      {"live session", &live, &user, {}, -1, RepromptOutcome::kIssueCode},
      {"live session, prompt=none", &live, &user, {"none"}, -1, RepromptOutcome::kIssueCode},
      {"live session, prompt=login", &live, &user, {"login"}, -1, RepromptOutcome::kLogin},
      {"idle-expired", &idle_expired, &user, {}, -1, RepromptOutcome::kLogin},
      {"idle-expired, prompt=none", &idle_expired, &user, {"none"}, -1, RepromptOutcome::kLoginRequired},
      {"absolute-expired", &absolute_expired, &user, {}, -1, RepromptOutcome::kLogin},
      {"max_age within", &live, &user, {}, 1000, RepromptOutcome::kIssueCode},
      {"max_age exceeded", &live, &user, {}, 999, RepromptOutcome::kLogin},
      {"max_age exceeded, prompt=none", &live, &user, {"none"}, 999, RepromptOutcome::kLoginRequired},
      {"max_age=0", &live, &user, {}, 0, RepromptOutcome::kLogin},
      {"credentials changed since login (S4)", &live, &changed, {}, -1, RepromptOutcome::kLogin},
      {"user gone", &live, nullptr, {}, -1, RepromptOutcome::kLogin},
      {"session of another user", &live, &other, {}, -1, RepromptOutcome::kLogin},
  };
  for (const auto& row : rows) {
    SUBCASE(row.name) {
      AuthorizationRequest request;
      request.prompt = row.prompt;
      request.max_age = row.max_age;
      auto got = decide_reprompt(request, row.session, row.user, now);
      CHECK(std::string(reprompt_outcome_name(got)) == reprompt_outcome_name(row.expected));
    }
  }
}

}  // namespace passerelle
