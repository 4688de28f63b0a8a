// Lifting what protects an account: brute-force blocks
// (/api/v2/user-blocks, by user id or by the identifier typed at login)
// and the user's MFA enrolment (/api/v2/users/{id}/authenticators), whose
// reset also ends every remembered browser.
#include "http/responses.h"
#include "management/api_support.h"
#include "management/handlers.h"

namespace passerelle::management {
namespace {

// The login identifier of the user in the path; answers 404 when unknown.
std::optional<std::string> identifier_of_user(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto user = b.users().find_by_id(std::string(req.matches[1]));
  if (!user) {
    send_api_failure(res, user.error(), "inexistent_user");
    return std::nullopt;
  }
  if (!*user) {
    send_api_error(res, 404, "The user does not exist", "inexistent_user");
    return std::nullopt;
  }
  return (*user)->email;
}

std::optional<std::string> identifier_param(const httplib::Request& req, httplib::Response& res) {
  std::string identifier = param(req, "identifier");
  if (identifier.empty()) {
    send_api_error(res, 400, "identifier: required", "invalid_query_string");
    return std::nullopt;
  }
  return identifier;
}

void send_blocks(Broker& b, const std::string& identifier, httplib::Response& res) {
  auto blocks = b.login_blocks().list(identifier);
  if (!blocks) return send_api_failure(res, blocks.error(), "inexistent_user");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& block : *blocks) items.push_back({{"identifier", block.identifier}, {"ip", block.ip}});
  send_json(res, 200, {{"blocked_for", items}});
}

void unblock(Broker& b, const std::string& identifier, httplib::Response& res) {
  if (auto st = b.login_blocks().unblock(identifier); !st) return send_api_failure(res, st.error(), "inexistent_user");
  res.status = 204;
}

}  // namespace

void get_user_blocks(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (auto identifier = identifier_of_user(b, req, res)) send_blocks(b, *identifier, res);
}

void delete_user_blocks(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (auto identifier = identifier_of_user(b, req, res)) unblock(b, *identifier, res);
}

void get_blocks_by_identifier(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (auto identifier = identifier_param(req, res)) send_blocks(b, *identifier, res);
}

void delete_blocks_by_identifier(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (auto identifier = identifier_param(req, res)) unblock(b, *identifier, res);
}

void delete_authenticators(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (!identifier_of_user(b, req, res)) return;
  if (auto st = b.mfa().reset(std::string(req.matches[1])); !st) {
    return send_api_failure(res, st.error(), "inexistent_user");
  }
  res.status = 204;
}

}  // namespace passerelle::management
