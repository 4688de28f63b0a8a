// /api/v2/logs: the audit trail (audit/audit_log.h) read the two ways
// Auth0's API offers.
//  - Search: `q` (the subset in audit/log_query.h), `page`, `per_page`
//    (at most 100), `include_totals`, `sort` (date:-1, the default, or
//    date:1).
//  - Checkpoint: `from` (a log_id; absent: the oldest kept) and `take` (1 to
//    100, default 50) give the events after `from` in log_id order, with a
//    Link rel="next" header to continue from; other parameters are ignored,
//    as Auth0 does.
// GET /api/v2/logs/{id} returns one event; GET /api/v2/users/{id}/logs the
// user's events (search parameters except `q`).
#include <charconv>

#include "audit/log_query.h"
#include "core/encoding.h"
#include "http/responses.h"
#include "management/api_support.h"
#include "management/handlers.h"

namespace passerelle::management {
namespace {

constexpr size_t kDefaultTake = 50;
constexpr size_t kMaxFromLength = 64;

void send_query_error(httplib::Response& res, const std::string& message) {
  send_api_error(res, 400, message, "invalid_query_string");
}

// `sort`: true for oldest first; answers 400 for anything but date:±1.
std::optional<bool> read_oldest_first(const httplib::Request& req, httplib::Response& res) {
  std::string sort = param(req, "sort");
  if (sort.empty() || sort == "date:-1") return false;
  if (sort == "date:1") return true;
  send_query_error(res, "sort: must be date:1 or date:-1");
  return std::nullopt;
}

void send_search(Broker& b, const httplib::Request& req, httplib::Response& res, const LogFilter& filter) {
  auto paging = read_paging(req, res);
  if (!paging) return;
  auto oldest_first = read_oldest_first(req, res);
  if (!oldest_first) return;
  auto page = b.audit().search(filter, *oldest_first, paging->page * paging->per_page, paging->per_page);
  if (!page) return send_api_failure(res, page.error(), "inexistent_log");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : page->events) items.push_back(api_json(e));
  send_json(res, 200, paged(*paging, "logs", std::move(items), page->total));
}

void send_checkpoint(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string from = param(req, "from");
  if (from.size() > kMaxFromLength) return send_query_error(res, "from: must be a log_id");
  size_t take = kDefaultTake;
  if (req.has_param("take")) {
    std::string text = param(req, "take");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), take);
    if (ec != std::errc() || end != text.data() + text.size() || take < 1 || take > kMaxPerPage) {
      return send_query_error(res, "take: must be an integer from 1 to " + std::to_string(kMaxPerPage));
    }
  }
  auto events = b.audit().after(from, take);
  if (!events) return send_api_failure(res, events.error(), "inexistent_log");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : *events) items.push_back(api_json(e));
  // An empty page points at itself: the caller polls it for newer events.
  std::string next = events->empty() ? from : events->back().log_id;
  res.set_header("Link", "<" + b.url("/api/v2/logs") + "?from=" + url_encode(next) +
                             "&take=" + std::to_string(take) + ">; rel=\"next\"");
  send_json(res, 200, items);
}

}  // namespace

void list_logs(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (req.has_param("from") || req.has_param("take")) return send_checkpoint(b, req, res);
  auto filter = parse_log_query(param(req, "q"));
  if (!filter) return send_query_error(res, "q: " + filter.error().message);
  send_search(b, req, res, *filter);
}

void get_log(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto event = b.audit().find(std::string(req.matches[1]));
  if (!event) return send_api_failure(res, event.error(), "inexistent_log");
  if (!*event) return send_api_error(res, 404, "The log event does not exist", "inexistent_log");
  send_json(res, 200, api_json(**event));
}

void list_user_logs(Broker& b, const httplib::Request& req, httplib::Response& res) {
  LogFilter filter;
  filter.equals["user_id"] = {std::string(req.matches[1])};
  send_search(b, req, res, filter);
}

}  // namespace passerelle::management
