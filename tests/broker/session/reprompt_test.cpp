// The decision table of ARCHITECTURE §3, one row per case: each row starts
// from a live, password-only session of a first-party client and changes
// what the case is about.
#include "session/reprompt.h"

#include <functional>

#include <doctest/doctest.h>

namespace passerelle {
namespace {

constexpr int64_t kNow = 10'000;

struct Facts {
  AuthorizationRequest request;
  BrokerSession session;
  bool has_session = true;
  User user;
  bool has_user = true;
  RepromptInput input;  // everything but the three pointers

  Facts() {
    user.id = "u";
    user.credentials_changed_at = 100;
    session.user_id = "u";
    session.authenticated = true;
    session.auth_time = 9'000;
    session.amr = {"pwd"};
    session.idle_expires_at = kNow + 1;
    session.absolute_expires_at = kNow + 100;
    input.now = kNow;
  }

  RepromptOutcome decide() {
    RepromptInput in = input;
    in.request = &request;
    in.session = has_session ? &session : nullptr;
    in.user = has_user ? &user : nullptr;
    return decide_reprompt(in);
  }
};

void enrolled(Facts& f) { f.input.mfa_enrolled_at = 5'000; }
void did_mfa(Facts& f) {
  enrolled(f);
  f.session.mfa_time = 9'010;
  f.session.mfa_method = "otp";
}
void none(Facts& f) { f.request.prompt = {"none"}; }
void client_mfa(Facts& f) { f.input.client.require_mfa = true; }
void third_party(Facts& f) { f.input.client.first_party = false; }

struct Row {
  const char* name;
  std::function<void(Facts&)> given;
  RepromptOutcome expected;
};

using O = RepromptOutcome;

const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      // The session itself.
      {"live session", [](Facts&) {}, O::kIssueCode},
      {"no session", [](Facts& f) { f.has_session = false; }, O::kLogin},
      {"no session, prompt=none", [](Facts& f) { f.has_session = false; none(f); }, O::kLoginRequired},
      {"anonymous session", [](Facts& f) { f.session.authenticated = false; }, O::kLogin},
      {"idle-expired", [](Facts& f) { f.session.idle_expires_at = kNow; }, O::kLogin},
      {"idle-expired, prompt=none", [](Facts& f) { f.session.idle_expires_at = kNow; none(f); }, O::kLoginRequired},
      {"absolute-expired", [](Facts& f) { f.session.absolute_expires_at = kNow; }, O::kLogin},
      {"absolute-expired, prompt=none", [](Facts& f) { f.session.absolute_expires_at = kNow; none(f); },
       O::kLoginRequired},
      {"revoked", [](Facts& f) { f.session.revoked_at = 9'500; }, O::kLogin},
      {"revoked, prompt=none", [](Facts& f) { f.session.revoked_at = 9'500; none(f); }, O::kLoginRequired},
      {"credentials changed since login (S4)", [](Facts& f) { f.user.credentials_changed_at = 9'500; }, O::kLogin},
      {"credentials changed since login (S4), prompt=none",
       [](Facts& f) { f.user.credentials_changed_at = 9'500; none(f); }, O::kLoginRequired},
      {"credentials changed before login", [](Facts& f) { f.user.credentials_changed_at = 9'000; }, O::kIssueCode},
      {"user gone", [](Facts& f) { f.has_user = false; }, O::kLogin},
      {"session of another user", [](Facts& f) { f.user.id = "v"; }, O::kLogin},
      // prompt.
      {"prompt=none", none, O::kIssueCode},
      {"prompt=login", [](Facts& f) { f.request.prompt = {"login"}; }, O::kLogin},
      {"prompt=login, already logged in for this request",
       [](Facts& f) { f.request.prompt = {"login"}; f.input.logged_in_for_request = true; }, O::kIssueCode},
      {"prompt=select_account", [](Facts& f) { f.request.prompt = {"select_account"}; }, O::kLogin},
      {"prompt=consent", [](Facts& f) { f.request.prompt = {"consent"}; }, O::kConsent},
      {"prompt=consent, consent given for this request",
       [](Facts& f) { f.request.prompt = {"consent"}; f.input.consented_for_request = true; }, O::kIssueCode},
      {"prompt=login consent", [](Facts& f) { f.request.prompt = {"login", "consent"}; }, O::kLogin},
      // max_age against auth_time (9'000, now 10'000).
      {"max_age within", [](Facts& f) { f.request.max_age = 1000; }, O::kIssueCode},
      {"max_age exceeded", [](Facts& f) { f.request.max_age = 999; }, O::kLogin},
      {"max_age exceeded, prompt=none", [](Facts& f) { f.request.max_age = 999; none(f); }, O::kLoginRequired},
      {"max_age=0", [](Facts& f) { f.request.max_age = 0; }, O::kLogin},
      {"max_age=0 within the login's own second",
       [](Facts& f) { f.request.max_age = 0; f.session.auth_time = f.input.now; }, O::kLogin},
      {"max_age=0, already logged in for this request",
       [](Facts& f) { f.request.max_age = 0; f.input.logged_in_for_request = true; }, O::kIssueCode},
      {"max_age exceeded, MFA done: still a full login",
       [](Facts& f) { did_mfa(f); f.request.max_age = 10; }, O::kLogin},
      // MFA asked for by the client, by acr_values, or by the connection.
      {"client requires MFA, password-only, enrolled", [](Facts& f) { client_mfa(f); enrolled(f); }, O::kMfa},
      {"client requires MFA, password-only, not enrolled", client_mfa, O::kMfaEnroll},
      {"client requires MFA, prompt=none", [](Facts& f) { client_mfa(f); enrolled(f); none(f); },
       O::kInteractionRequired},
      {"client requires MFA, not enrolled, prompt=none", [](Facts& f) { client_mfa(f); none(f); },
       O::kInteractionRequired},
      {"client requires MFA, MFA done in this session", [](Facts& f) { client_mfa(f); did_mfa(f); }, O::kIssueCode},
      {"client requires MFA, MFA done, prompt=none", [](Facts& f) { client_mfa(f); did_mfa(f); none(f); },
       O::kIssueCode},
      {"client requires MFA, MFA done before an MFA reset and re-enrolment",
       [](Facts& f) { client_mfa(f); did_mfa(f); f.input.mfa_enrolled_at = 9'500; }, O::kMfa},
      {"client requires MFA, MFA done, then reset without re-enrolment",
       [](Facts& f) { client_mfa(f); did_mfa(f); f.input.mfa_enrolled_at = 0; }, O::kMfaEnroll},
      {"client requires MFA, browser remembered",
       [](Facts& f) { client_mfa(f); enrolled(f); f.input.browser_remembered = true; }, O::kIssueCode},
      {"client requires MFA, browser remembered, prompt=none",
       [](Facts& f) { client_mfa(f); enrolled(f); f.input.browser_remembered = true; none(f); }, O::kIssueCode},
      {"acr_values asks for multi-factor", [](Facts& f) { enrolled(f); f.request.acr_values = kAcrMultiFactor; },
       O::kMfa},
      {"acr_values lists multi-factor among others",
       [](Facts& f) { enrolled(f); f.request.acr_values = std::string("urn:other ") + kAcrMultiFactor; }, O::kMfa},
      {"acr_values asks for multi-factor, MFA done",
       [](Facts& f) { did_mfa(f); f.request.acr_values = kAcrMultiFactor; }, O::kIssueCode},
      {"acr_values asks for multi-factor, prompt=none",
       [](Facts& f) { enrolled(f); f.request.acr_values = kAcrMultiFactor; none(f); }, O::kInteractionRequired},
      {"acr_values without multi-factor", [](Facts& f) { f.request.acr_values = "urn:mace:incommon:iap:silver"; },
       O::kIssueCode},
      {"connection requires MFA", [](Facts& f) { enrolled(f); f.input.connection.require_mfa = true; }, O::kMfa},
      // A federated session: upstream MFA, and renewing at the IdP.
      {"upstream amr has mfa, connection trusts it",
       [](Facts& f) {
         client_mfa(f);
         f.input.connection = {true, false, true};
         f.input.upstream_amr = {"pwd", "mfa"};
       },
       O::kIssueCode},
      {"upstream amr has otp, connection trusts it",
       [](Facts& f) {
         client_mfa(f);
         f.input.connection = {true, false, true};
         f.input.upstream_amr = {"otp"};
       },
       O::kIssueCode},
      {"upstream amr has hwk, connection trusts it",
       [](Facts& f) {
         client_mfa(f);
         f.input.connection = {true, false, true};
         f.input.upstream_amr = {"hwk", "user"};
       },
       O::kIssueCode},
      {"upstream amr has swk, connection trusts it",
       [](Facts& f) {
         client_mfa(f);
         f.input.connection = {true, false, true};
         f.input.upstream_amr = {"swk"};
       },
       O::kIssueCode},
      {"upstream amr has mfa, connection does not trust it",
       [](Facts& f) {
         client_mfa(f);
         enrolled(f);
         f.input.connection = {true, false, false};
         f.input.upstream_amr = {"pwd", "mfa"};
       },
       O::kMfa},
      {"upstream amr password only, connection trusts upstream MFA",
       [](Facts& f) {
         client_mfa(f);
         enrolled(f);
         f.input.connection = {true, false, true};
         f.input.upstream_amr = {"pwd"};
       },
       O::kMfa},
      {"federated session, prompt=login", [](Facts& f) { f.input.connection.upstream = true; f.request.prompt = {"login"}; },
       O::kUpstream},
      {"federated session, max_age exceeded",
       [](Facts& f) { f.input.connection.upstream = true; f.request.max_age = 60; }, O::kUpstream},
      {"federated session, max_age exceeded, prompt=none",
       [](Facts& f) { f.input.connection.upstream = true; f.request.max_age = 60; none(f); }, O::kLoginRequired},
      // Consent for third-party clients.
      {"third-party client, no consent yet", third_party, O::kConsent},
      {"third-party client, no consent yet, prompt=none", [](Facts& f) { third_party(f); none(f); },
       O::kConsentRequired},
      {"third-party client, consent granted", [](Facts& f) { third_party(f); f.input.consent_granted = true; },
       O::kIssueCode},
      {"third-party client, consent given for this request",
       [](Facts& f) { third_party(f); f.input.consented_for_request = true; }, O::kIssueCode},
      {"third-party client requiring MFA: MFA comes before consent",
       [](Facts& f) { third_party(f); client_mfa(f); enrolled(f); }, O::kMfa},
      {"third-party client requiring MFA, MFA done", [](Facts& f) { third_party(f); client_mfa(f); did_mfa(f); },
       O::kConsent},
  };
  return table;
}

}  // namespace

TEST_CASE("re-prompt decision table") {
  for (const auto& row : rows()) {
    SUBCASE(row.name) {
      Facts facts;
      row.given(facts);
      CHECK(std::string(reprompt_outcome_name(facts.decide())) == reprompt_outcome_name(row.expected));
    }
  }
}

TEST_CASE("re-prompt: upstream amr values that show a second factor") {
  CHECK(amr_shows_mfa({"pwd", "mfa"}));
  CHECK(amr_shows_mfa({"otp"}));
  CHECK(amr_shows_mfa({"hwk"}));
  CHECK(amr_shows_mfa({"swk"}));
  CHECK_FALSE(amr_shows_mfa({"pwd"}));
  CHECK_FALSE(amr_shows_mfa({}));
  CHECK(acr_values_ask_mfa(kAcrMultiFactor));
  CHECK_FALSE(acr_values_ask_mfa("urn:x"));
  CHECK_FALSE(acr_values_ask_mfa(""));
}

}  // namespace passerelle
