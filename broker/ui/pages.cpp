#include "ui/pages.h"

#include "ui/html.h"

namespace passerelle {

namespace {

void add_password_form(const LoginPageModel& m, std::string& b) {
  b += "<form id=\"login-form\" method=\"post\" action=\"" + html_escape(m.action) + "\">\n";
  b += "<input type=\"hidden\" name=\"tx\" value=\"" + html_escape(m.transaction) + "\">\n";
  b += "<input type=\"hidden\" name=\"csrf_token\" value=\"" + html_escape(m.csrf_token) + "\">\n";
  b += "<label for=\"username\">Email</label>\n";
  // Focus goes where the person types next: the password once the e-mail is known.
  const char* email_focus = m.email.empty() ? " autofocus" : "";
  const char* password_focus = m.email.empty() ? "" : " autofocus";
  b += "<input id=\"username\" name=\"username\" type=\"email\" autocomplete=\"username\" required" +
       std::string(email_focus) + " value=\"" + html_escape(m.email) + "\">\n";
  b += "<label for=\"password\">Password</label>\n";
  b += "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required" +
       std::string(password_focus) + ">\n";
  b += "<button type=\"submit\">Continue</button>\n</form>\n";
}

// One form for all the connections: each button posts its own name, with
// the transaction and the CSRF token the password form carries too.
void add_connection_buttons(const LoginPageModel& m, std::string& b) {
  b += "<form class=\"connections\" method=\"post\" action=\"" + html_escape(m.connections_action) + "\">\n";
  b += "<input type=\"hidden\" name=\"tx\" value=\"" + html_escape(m.transaction) + "\">\n";
  b += "<input type=\"hidden\" name=\"csrf_token\" value=\"" + html_escape(m.csrf_token) + "\">\n";
  for (const auto& c : m.connections) {
    b += "<button type=\"submit\" class=\"secondary\" name=\"connection\" value=\"" + html_escape(c.name) +
         "\" data-connection=\"" + html_escape(c.name) + "\">Continue with " + html_escape(c.label) + "</button>\n";
  }
  b += "</form>\n";
}

}  // namespace

std::string login_page(const LoginPageModel& m) {
  std::string b;
  b += "<h1>Log in</h1>\n<p class=\"lead\">to continue to " + html_escape(m.client_name) + "</p>\n";
  if (!m.alert.empty()) b += "<p class=\"alert\" role=\"alert\">" + html_escape(m.alert) + "</p>\n";
  if (m.password_login) add_password_form(m, b);
  if (m.password_login && !m.connections.empty()) b += "<p class=\"divider\">or</p>\n";
  if (!m.connections.empty()) add_connection_buttons(m, b);
  if (!m.password_login && m.connections.empty()) {
    b += "<p>No way to log in is enabled for this application. Contact its administrator.</p>\n";
  }
  return render_page({"Log in", b, ""});
}

std::string error_page(const std::string& error, const std::string& description, const std::string& request_id) {
  std::string b = "<h1>Something went wrong</h1>\n";
  b += "<p class=\"alert\" role=\"alert\" data-error=\"" + html_escape(error) + "\"><strong>" + html_escape(error) +
       "</strong>: " + html_escape(description) + "</p>\n";
  b += "<p>Go back to the application and try again.</p>\n";
  if (!request_id.empty()) {
    b += "<p>Request id: <code data-request-id>" + html_escape(request_id) + "</code></p>\n";
  }
  return render_page({"Error", b, ""});
}

std::string message_page(const std::string& title, const std::string& text) {
  return render_page({title, "<h1>" + html_escape(title) + "</h1>\n<p>" + html_escape(text) + "</p>\n", ""});
}

std::string form_post_page(const std::string& action, const std::vector<std::pair<std::string, std::string>>& fields,
                           const std::string& script_nonce) {
  std::string b = "<h1>Continuing…</h1>\n<form method=\"post\" action=\"" + html_escape(action) + "\">\n";
  for (const auto& [name, value] : fields) {
    b += "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" + html_escape(value) + "\">\n";
  }
  b += "<button type=\"submit\">Continue</button>\n</form>\n";
  b += "<script nonce=\"" + html_escape(script_nonce) + "\">document.forms[0].submit();</script>\n";
  return render_page({"Continuing", b, script_nonce});
}

std::string web_message_page(const nlohmann::json& message, const std::string& target_origin,
                             const std::string& script_nonce) {
  // JSON inside a script element: escape '<' so no value can close the element.
  auto script_json = [](const nlohmann::json& value) {
    std::string out;
    for (char c : value.dump()) out += c == '<' ? std::string("\\u003c") : std::string(1, c);
    return out;
  };
  std::string b = "<script nonce=\"" + html_escape(script_nonce) + "\">window.parent.postMessage(" +
                  script_json(message) + ", " + script_json(target_origin) + ");</script>\n";
  return render_page({"Continuing", b, script_nonce});
}

}  // namespace passerelle
