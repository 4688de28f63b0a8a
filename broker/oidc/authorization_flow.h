// The steps of an authorization request between /authorize and the code:
// after the request is validated, and again after each prompt is answered
// (password, OTP, enrolment, consent), the broker gathers what
// decide_reprompt needs, decides, and carries the outcome out. The login
// transaction carries the request from one prompt to the next, bound to the
// browser's broker session. Thread-safe: no state of its own.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "app/broker.h"
#include "session/login_transaction.h"

namespace passerelle {

struct AuthorizationStep {
  std::string tx_id;    // "" until a prompt is needed
  LoginTransaction tx;  // tx.request: the validated authorization request
  std::string cookie;   // the browser's broker session cookie, "" when none
};

// Decides what the request needs next and answers: a code, an error for
// prompt=none, or a redirect to the prompt to show.
void continue_authorization(Broker& b, const httplib::Request& req, AuthorizationStep step, httplib::Response& res);

// The live login transaction named by the request's `tx` parameter (or by
// `tx_id`), started by this browser's session; otherwise an error page has
// been sent.
std::optional<AuthorizationStep> load_step(Broker& b, const httplib::Request& req, httplib::Response& res);
std::optional<AuthorizationStep> load_step(Broker& b, const httplib::Request& req, const std::string& tx_id,
                                           httplib::Response& res);

// Stores the step's transaction bound to the browser's broker session,
// starting an anonymous session (cookie set on `res`) and the transaction
// when there is none yet. False when an error page has been sent.
bool save_step(Broker& b, AuthorizationStep& step, httplib::Response& res);

// True when the form's CSRF token is the transaction's; otherwise an error
// page has been sent.
bool check_csrf(const httplib::Request& req, const AuthorizationStep& step, httplib::Response& res);

// The step's authenticated session and its user (for the prompts after the
// password); otherwise an error page has been sent.
struct SignedIn {
  BrokerSession session;
  User user;
};
std::optional<SignedIn> load_signed_in(Broker& b, const AuthorizationStep& step, httplib::Response& res);

// The client's display name, or its id.
std::string client_display_name(Broker& b, const std::string& client_id);

}  // namespace passerelle
