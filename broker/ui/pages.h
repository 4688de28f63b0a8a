// The pages a person sees at the broker. HTML hooks here are a public
// contract (ARCHITECTURE §6): form#login-form with inputs username and
// password; a data-connection attribute per upstream connection; error
// pages carry the OAuth error code in a data-error attribute.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace passerelle {

struct ConnectionButton {
  std::string name;   // the connection's name (data-connection)
  std::string label;  // "Continue with <label>"
};

struct LoginPageModel {
  std::string action;        // where the form posts
  std::string transaction;   // the login transaction id (hidden)
  std::string csrf_token;    // hidden
  std::string client_name;
  std::string email;         // pre-filled (login_hint or the last attempt)
  std::string alert;         // shown with role=alert when not empty
  bool password_login = true;  // the client may use the database connection
  std::string connections_action;  // where a connection button posts
  std::vector<ConnectionButton> connections;
};

std::string login_page(const LoginPageModel& model);
// `request_id`, when not empty, is shown in an element with
// data-request-id so a user can quote it when reporting the problem.
std::string error_page(const std::string& error, const std::string& description,
                       const std::string& request_id = "");
std::string message_page(const std::string& title, const std::string& text);

// OAuth 2.0 Form Post Response Mode: an auto-submitting form. The inline
// script runs under a CSP nonce; the button covers browsers without script.
std::string form_post_page(const std::string& action, const std::vector<std::pair<std::string, std::string>>& fields,
                           const std::string& script_nonce);

// response_mode=web_message: posts `message` to the parent window, to
// `target_origin` only. Runs under a CSP nonce.
std::string web_message_page(const nlohmann::json& message, const std::string& target_origin,
                             const std::string& script_nonce);

}  // namespace passerelle
