#include "management/routes.h"

#include "management/api_support.h"
#include "management/handlers.h"

namespace passerelle::management {
namespace {

enum class Method { kGet, kPost, kPatch, kDelete };

struct Route {
  Method method;
  const char* pattern;  // a regex over the path; ids are req.matches[1]
  const char* scope;
  Handler handler;
};

#define ID "([A-Za-z0-9_.|@:-]+)"
constexpr Route kRoutes[] = {
    {Method::kGet, "/api/v2/clients", "read:clients", list_clients},
    {Method::kPost, "/api/v2/clients", "create:clients", create_client},
    {Method::kGet, "/api/v2/clients/" ID, "read:clients", get_client},
    {Method::kPatch, "/api/v2/clients/" ID, "update:clients", patch_client},
    {Method::kDelete, "/api/v2/clients/" ID, "delete:clients", delete_client},
    {Method::kPost, "/api/v2/clients/" ID "/rotate-secret", "update:client_keys", rotate_client_secret},
    {Method::kGet, "/api/v2/users", "read:users", list_users},
    {Method::kPost, "/api/v2/users", "create:users", create_user},
    {Method::kGet, "/api/v2/users/" ID, "read:users", get_user},
    {Method::kPatch, "/api/v2/users/" ID, "update:users", patch_user},
    {Method::kDelete, "/api/v2/users/" ID, "delete:users", delete_user},
    {Method::kGet, "/api/v2/users/" ID "/sessions", "read:sessions", list_user_sessions},
    {Method::kDelete, "/api/v2/users/" ID "/sessions", "delete:sessions", delete_user_sessions},
    {Method::kDelete, "/api/v2/sessions/" ID, "delete:sessions", delete_session},
    {Method::kGet, "/api/v2/users/" ID "/refresh-tokens", "read:refresh_tokens", list_user_refresh_tokens},
    {Method::kGet, "/api/v2/refresh-tokens/" ID, "read:refresh_tokens", get_refresh_token},
    {Method::kDelete, "/api/v2/refresh-tokens/" ID, "delete:refresh_tokens", delete_refresh_token},
    {Method::kGet, "/api/v2/user-blocks", "read:users", get_blocks_by_identifier},
    {Method::kDelete, "/api/v2/user-blocks", "update:users", delete_blocks_by_identifier},
    {Method::kGet, "/api/v2/user-blocks/" ID, "read:users", get_user_blocks},
    {Method::kDelete, "/api/v2/user-blocks/" ID, "update:users", delete_user_blocks},
    {Method::kDelete, "/api/v2/users/" ID "/authenticators", "delete:guardian_enrollments", delete_authenticators},
    {Method::kGet, "/api/v2/connections", "read:connections", list_connections},
    {Method::kGet, "/api/v2/connections/" ID, "read:connections", get_connection},
    {Method::kGet, "/api/v2/logs", "read:logs", list_logs},
    {Method::kGet, "/api/v2/logs/" ID, "read:logs", get_log},
    {Method::kGet, "/api/v2/users/" ID "/logs", "read:logs", list_user_logs},
};
#undef ID

}  // namespace

std::string all_scopes() {
  std::string scopes;
  for (const Route& route : kRoutes) {
    std::string scope = route.scope;
    if ((" " + scopes + " ").find(" " + scope + " ") == std::string::npos) scopes += (scopes.empty() ? "" : " ") + scope;
  }
  return scopes;
}

void add_routes(httplib::Server& server, Broker& b) {
  for (const Route& route : kRoutes) {
    auto guarded = [&b, route](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      if (authorize_api(b, req, res, route.scope)) route.handler(b, req, res);
    };
    switch (route.method) {
      case Method::kGet: server.Get(route.pattern, guarded); break;
      case Method::kPost: server.Post(route.pattern, guarded); break;
      case Method::kPatch: server.Patch(route.pattern, guarded); break;
      case Method::kDelete: server.Delete(route.pattern, guarded); break;
    }
  }
}

}  // namespace passerelle::management
