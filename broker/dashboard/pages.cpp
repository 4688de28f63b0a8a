#include "dashboard/pages.h"

#include "core/encoding.h"
#include "core/time_format.h"
#include "management/api_support.h"
#include "ui/html.h"

namespace passerelle::dashboard {
namespace {


std::string e(std::string_view text) { return html_escape(text); }

std::string nav_link(const Frame& f, Section s, const char* href, const char* label) {
  return std::string("<a href=\"") + href + "\"" + (f.section == s ? " aria-current=\"page\"" : "") + ">" + label +
         "</a>";
}

// A labelled switch (checkbox with role=switch) that enables one number field.
std::string switch_with_field(const std::string& id, const std::string& label, bool on, const std::string& field,
                              const std::string& field_label, int64_t value, int64_t min, int64_t max,
                              const std::string& hint) {
  std::string b = "<label class=\"switch\"><input type=\"checkbox\" role=\"switch\" id=\"" + id + "\" name=\"" + id +
                  "\" data-controls=\"" + field + "\"" + (on ? " checked" : "") + "> " + e(label) + "</label>\n";
  b += "<label for=\"" + field + "\">" + e(field_label) + "</label>\n";
  b += "<input type=\"number\" inputmode=\"numeric\" id=\"" + field + "\" name=\"" + field + "\" value=\"" +
       std::to_string(value) + "\" min=\"" + std::to_string(min) + "\" max=\"" + std::to_string(max) +
       "\" step=\"1\" aria-describedby=\"" + field + "-hint\">\n";
  b += "<p class=\"hint\" id=\"" + field + "-hint\">" + e(hint) + "</p>\n";
  return b;
}

std::string or_never(int64_t t) { return t ? iso8601(t) : "never"; }

}  // namespace

std::string layout(const Frame& f, const std::string& title, const std::string& body) {
  std::string head = "<meta name=\"management-token\" content=\"" + e(f.api_token) + "\">\n" +
                     "<script src=\"/dashboard/app.js\" defer></script>\n";
  std::string b = "<nav class=\"top\" aria-label=\"Dashboard\"><span class=\"brand\">Passerelle</span>" +
                  nav_link(f, Section::kApplications, "/dashboard/applications", "Applications") +
                  nav_link(f, Section::kUsers, "/dashboard/users", "Users") +
                  nav_link(f, Section::kConnections, "/dashboard/connections", "Connections") +
                  nav_link(f, Section::kLogs, "/dashboard/logs", "Logs") +
                  "<a href=\"/v2/logout\">Log out " + e(f.admin_email) + "</a></nav>\n";
  b += "<p id=\"save-message\" class=\"notice\" role=\"status\" aria-live=\"polite\" hidden></p>\n";
  return render_wide_page(title, b + body, head);
}

std::string applications_page(const Frame& f, const std::vector<Client>& clients) {
  std::string b = "<h1>Applications</h1>\n<table>\n<thead><tr><th>Name</th><th>Client ID</th><th>Type</th></tr></thead>\n<tbody>\n";
  for (const auto& c : clients) {
    b += "<tr><td><a href=\"/dashboard/applications/" + e(url_encode(c.id())) + "\">" + e(c.settings.name) +
         "</a></td><td><code>" + e(c.id()) + "</code></td><td>" + app_type_name(c.settings.app_type) + "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n";
  return layout(f, "Applications", b);
}

std::string application_page(const Frame& f, const Client& c, int64_t max_lifetime) {
  const RefreshTokenPolicy& p = c.settings.refresh_token;
  const std::string range = "From 1 to " + std::to_string(max_lifetime) + " seconds.";
  std::string b = "<p><a href=\"/dashboard/applications\">← Applications</a></p>\n";
  b += "<h1>" + e(c.settings.name) + "</h1>\n<h2>Settings</h2>\n<dl class=\"facts\">";
  b += "<dt>Client ID</dt><dd><code>" + e(c.id()) + "</code></dd>";
  b += std::string("<dt>Application type</dt><dd>") + app_type_name(c.settings.app_type) + "</dd>";
  b += "<dt>Allowed callback URLs</dt><dd>";
  for (const auto& u : c.settings.redirect_uris) b += "<code>" + e(u) + "</code><br>";
  b += "</dd></dl>\n";
  b += "<form id=\"refresh-token-settings\" data-client-id=\"" + e(c.id()) + "\" novalidate>\n";
  b += "<fieldset><legend>Refresh Token Rotation</legend>\n";
  b += "<label class=\"switch\"><input type=\"checkbox\" role=\"switch\" id=\"rotation\" name=\"rotation\"" +
       std::string(p.rotating ? " checked" : "") + " data-controls=\"leeway\"> Allow Refresh Token Rotation</label>\n";
  b += "<p class=\"hint\">Each exchange returns a new refresh token; reusing an old one revokes the whole family. "
       "Rotation needs an expiration below.</p>\n";
  b += "<label for=\"leeway\">Rotation Overlap Period (seconds)</label>\n";
  b += "<input type=\"number\" inputmode=\"numeric\" id=\"leeway\" name=\"leeway\" value=\"" + std::to_string(p.leeway) +
       "\" min=\"0\" step=\"1\" aria-describedby=\"leeway-hint\">\n";
  b += "<p class=\"hint\" id=\"leeway-hint\">How long a rotated token may still be exchanged for the same successor "
       "(0: not at all).</p>\n</fieldset>\n";
  b += "<fieldset><legend>Refresh Token Expiration</legend>\n";
  b += switch_with_field("absolute", "Set Absolute Lifetime", p.expiring && !p.infinite_token_lifetime,
                         "token_lifetime", "Absolute Lifetime (seconds)", p.token_lifetime, 1, max_lifetime,
                         "Counted from the first login of the token family. Default 2592000 (30 days). " + range);
  b += switch_with_field("idle", "Set Idle Refresh Token Lifetime", p.expiring && !p.infinite_idle_token_lifetime,
                         "idle_token_lifetime", "Inactivity Lifetime (seconds)", p.idle_token_lifetime, 1,
                         max_lifetime, "Renewed at each exchange; at most the absolute lifetime. " + range);
  b += "</fieldset>\n<button type=\"submit\">Save Changes</button>\n</form>\n";
  return layout(f, c.settings.name, b);
}

std::string users_page(const Frame& f, const UserPage& page, const std::string& query) {
  std::string b = "<h1>Users</h1>\n<form class=\"search\" method=\"get\" action=\"/dashboard/users\" role=\"search\">";
  b += "<div><label for=\"q\">Search by e-mail or name</label><input type=\"search\" id=\"q\" name=\"q\" value=\"" +
       e(query) + "\"></div><button type=\"submit\">Search</button></form>\n";
  b += "<p>" + std::to_string(page.total) + " user(s)</p>\n";
  b += "<table>\n<thead><tr><th>E-mail</th><th>Name</th><th>Status</th></tr></thead>\n<tbody>\n";
  for (const auto& u : page.users) {
    b += "<tr><td><a href=\"/dashboard/users/" + e(url_encode(u.id)) + "\">" + e(u.email) + "</a></td><td>" +
         e(u.name) + "</td><td>" + (u.blocked ? "Blocked" : "Active") + "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n";
  return layout(f, "Users", b);
}

std::string user_page(const Frame& f, const User& u, const std::vector<BrokerSession>& sessions,
                      const std::vector<RefreshFamily>& tokens) {
  const std::string api_user = "/api/v2/users/" + url_encode(u.id);
  std::string b = "<p><a href=\"/dashboard/users\">← Users</a></p>\n<h1>" + e(u.email) + "</h1>\n<dl class=\"facts\">";
  b += "<dt>User ID</dt><dd><code>" + e(u.id) + "</code></dd>";
  b += "<dt>Status</dt><dd data-user-status>" + std::string(u.blocked ? "Blocked" : "Active") + "</dd>";
  b += "<dt>Created</dt><dd>" + iso8601(u.created_at) + "</dd></dl>\n";
  b += "<button type=\"button\" class=\"danger\" data-api-method=\"PATCH\" data-api-path=\"" + e(api_user) +
       "\" data-api-body='" + (u.blocked ? "{\"blocked\":false}" : "{\"blocked\":true}") + "'>" +
       (u.blocked ? "Unblock user" : "Block user") + "</button>\n";
  b += "<h2>Sessions</h2>\n<table>\n<thead><tr><th>Logged in</th><th>Expires</th><th>Applications</th><th>Action</th>"
       "</tr></thead>\n<tbody>\n";
  for (const auto& s : sessions) {
    std::string apps;
    for (const auto& c : s.clients) apps += (apps.empty() ? "" : ", ") + c;
    b += "<tr><td>" + iso8601(s.auth_time) + "</td><td>" + iso8601(s.expires_at()) + "</td><td>" + e(apps) +
         "</td><td><button type=\"button\" data-api-method=\"DELETE\" data-api-path=\"/api/v2/sessions/" +
         e(url_encode(s.sid)) + "\">Revoke</button></td></tr>\n";
  }
  if (sessions.empty()) b += "<tr><td colspan=\"4\">No active session.</td></tr>\n";
  b += "</tbody>\n</table>\n<h2>Refresh tokens</h2>\n<table>\n<thead><tr><th>Application</th><th>Issued</th>"
       "<th>Expires</th><th>Last used</th><th>Action</th></tr></thead>\n<tbody>\n";
  for (const auto& t : tokens) {
    b += "<tr><td><code>" + e(t.client_id) + "</code>" + (t.rotating ? " (rotating)" : "") + "</td><td>" +
         iso8601(t.created_at) + "</td><td>" + or_never(t.absolute_expires_at) + "</td><td>" +
         or_never(t.last_exchanged_at) +
         "</td><td><button type=\"button\" data-api-method=\"DELETE\" data-api-path=\"/api/v2/refresh-tokens/" +
         e(url_encode(t.id)) + "\">Revoke</button></td></tr>\n";
  }
  if (tokens.empty()) b += "<tr><td colspan=\"5\">No refresh token.</td></tr>\n";
  b += "</tbody>\n</table>\n";
  return layout(f, u.email, b);
}

std::string connections_page(const Frame& f, const std::vector<ConnectionConfig>& connections) {
  std::string b = "<h1>Connections</h1>\n<table>\n<thead><tr><th>Name</th><th>Strategy</th><th>Applications</th></tr>"
                  "</thead>\n<tbody>\n";
  for (const auto& c : connections) {
    std::string apps;
    for (const auto& id : c.enabled_clients) apps += (apps.empty() ? "" : ", ") + id;
    b += "<tr><td>" + e(c.name) + "</td><td>" + e(c.strategy) + "</td><td>" + e(apps) + "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n<p class=\"hint\">Connections come from the configuration file.</p>\n";
  return layout(f, "Connections", b);
}

}  // namespace passerelle::dashboard
