// /api/v2/connections: the connections of the config, read-only. Their
// options stay out of the answer: they hold upstream client secrets.
#include "core/encoding.h"
#include "core/secrets.h"
#include "http/responses.h"
#include "management/api_support.h"
#include "management/handlers.h"

namespace passerelle::management {
namespace {

// A stable id derived from the name, in Auth0's "con_" form.
std::string connection_id(const ConnectionConfig& c) { return "con_" + sha256_hex(c.name).substr(0, 16); }

nlohmann::json connection_json(const ConnectionConfig& c) {
  return {{"id", connection_id(c)}, {"name", c.name}, {"strategy", c.strategy}, {"enabled_clients", c.enabled_clients}};
}

}  // namespace

void list_connections(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto paging = read_paging(req, res);
  if (!paging) return;
  const auto& all = b.config().connections;
  nlohmann::json items = nlohmann::json::array();
  for (size_t i = paging->page * paging->per_page; i < all.size() && items.size() < paging->per_page; ++i) {
    items.push_back(connection_json(all[i]));
  }
  send_json(res, 200, paged(*paging, "connections", std::move(items), all.size()));
}

void get_connection(Broker& b, const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches[1];
  for (const auto& c : b.config().connections) {
    if (connection_id(c) == id) return send_json(res, 200, connection_json(c));
  }
  send_api_error(res, 404, "The connection does not exist", "inexistent_connection");
}

}  // namespace passerelle::management
