#include "dashboard/logs_page.h"

#include "core/encoding.h"
#include "core/time_format.h"
#include "management/api_support.h"
#include "ui/html.h"

namespace passerelle::dashboard {
namespace {

std::string e(std::string_view text) {
  return html_escape(text);
}

// The type codes the broker writes, for the form's suggestions.
constexpr const char* kTypes[] = {audit::kLoginSuccess,   audit::kLoginFailed,       audit::kWrongPassword,
                                  audit::kWrongUsername,  audit::kConnectorFailed,   audit::kLogout,
                                  audit::kMfaSucceeded,   audit::kMfaFailed,         audit::kRecoveryCodeUsed,
                                  audit::kMfaRateLimited, audit::kRefreshTokenReuse, audit::kPasswordChanged,
                                  audit::kEmailChanged,   audit::kPhoneChanged,      audit::kAccountBlocked,
                                  audit::kApiOperation,   audit::kUserBlocked,       audit::kSessionRevoked};

std::string field(const char* id, const char* label, const char* type, const std::string& value,
                  const char* extra = "") {
  return std::string("<div><label for=\"") + id + "\">" + label + "</label><input type=\"" + type +
         "\" id=\"" + id + "\" name=\"" + id + "\" value=\"" + e(value) + "\"" + extra + "></div>";
}

std::string page_link(const LogFilterForm& f, size_t page, const char* label, const char* rel) {
  std::string query = "user_id=" + url_encode(f.user_id) + "&client_id=" + url_encode(f.client_id) +
                      "&type=" + url_encode(f.type) + "&from=" + url_encode(f.from) +
                      "&to=" + url_encode(f.to) + "&page=" + std::to_string(page);
  return std::string("<a rel=\"") + rel + "\" href=\"/dashboard/logs?" + e(query) + "\">" + label + "</a>";
}

std::string rows(const LogPage& page) {
  std::string b;
  for (const auto& ev : page.events) {
    std::string user = ev.user_name.empty() ? ev.user_id : ev.user_name;
    std::string app = ev.client_name.empty() ? ev.client_id : ev.client_name;
    b += "<tr data-log-id=\"" + e(ev.log_id) + "\"><td>" + iso8601(ev.date) + "</td><td><code>" +
         e(ev.type) + "</code></td><td>" + e(ev.description) + "</td><td>";
    if (!ev.user_id.empty()) {
      b += "<a href=\"/dashboard/users/" + e(url_encode(ev.user_id)) + "\">" + e(user) + "</a>";
    } else {
      b += e(user);
    }
    b += "</td><td>" + e(app) + "</td><td>" + e(ev.connection) + "</td><td>" + e(ev.ip) + "</td></tr>\n";
  }
  if (page.events.empty()) b += "<tr><td colspan=\"7\">No event matches.</td></tr>\n";
  return b;
}

}  // namespace

Result<LogFilter> filter_of(const LogFilterForm& form) {
  LogFilter filter;
  if (!form.user_id.empty()) filter.equals["user_id"] = {form.user_id};
  if (!form.client_id.empty()) filter.equals["client_id"] = {form.client_id};
  if (!form.type.empty()) filter.equals["type"] = {form.type};
  if (!form.from.empty()) {
    auto t = parse_log_date(form.from, false);
    if (!t || form.from.size() != 10)
      return fail(Error::invalid_argument("From: enter a date as YYYY-MM-DD."));
    filter.date_from = *t;
  }
  if (!form.to.empty()) {
    auto t = parse_log_date(form.to, true);
    if (!t || form.to.size() != 10) return fail(Error::invalid_argument("To: enter a date as YYYY-MM-DD."));
    filter.date_to = *t;
  }
  return filter;
}

std::string logs_page(const Frame& f, const LogFilterForm& form, const LogPage& page,
                      const std::string& error) {
  std::string b = "<h1>Logs</h1>\n";
  b += "<form id=\"log-filters\" class=\"search\" method=\"get\" action=\"/dashboard/logs\" role=\"search\" "
       "aria-label=\"Filter events\">";
  b += field("user_id", "User ID", "text", form.user_id);
  b += field("client_id", "Client ID", "text", form.client_id);
  b += field("type", "Event type", "text", form.type, " list=\"log-types\"");
  b += "<datalist id=\"log-types\">";
  for (const char* t : kTypes) b += std::string("<option value=\"") + t + "\">";
  b += "</datalist>";
  b += field("from", "From (day)", "date", form.from);
  b += field("to", "To (day)", "date", form.to);
  b += "<button type=\"submit\">Filter</button></form>\n";
  if (!error.empty()) {
    b += "<p class=\"alert\" role=\"alert\">" + e(error) + "</p>\n";
    return layout(f, "Logs", b);
  }
  b += "<p>" + std::to_string(page.total) + " event(s), newest first.</p>\n";
  b += "<table id=\"logs\">\n<thead><tr><th>Date</th><th>Type</th><th>Description</th><th>User</th>"
       "<th>Application</th><th>Connection</th><th>IP</th></tr></thead>\n<tbody>\n";
  b += rows(page);
  b += "</tbody>\n</table>\n";
  std::string nav;
  if (form.page > 0) nav += page_link(form, form.page - 1, "← Newer", "prev");
  if ((form.page + 1) * kLogsPerPage < page.total) {
    nav += (nav.empty() ? "" : " ") + page_link(form, form.page + 1, "Older →", "next");
  }
  if (!nav.empty()) b += "<nav aria-label=\"Pages of events\"><p>" + nav + "</p></nav>\n";
  return layout(f, "Logs", b);
}

}  // namespace passerelle::dashboard
