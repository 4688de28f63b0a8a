// What a user holds: broker sessions (/api/v2/users/{id}/sessions,
// /api/v2/sessions/{id}) and refresh tokens (/api/v2/users/{id}/refresh-tokens,
// /api/v2/refresh-tokens/{id}, where the id is the family's: revoking it
// ends the whole lineage).
#include "core/time_format.h"
#include "http/responses.h"
#include "management/api_audit.h"
#include "management/api_support.h"
#include "management/handlers.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle::management {
namespace {

nlohmann::json session_json(const BrokerSession& s) {
  nlohmann::json clients = nlohmann::json::array();
  for (const auto& c : s.clients) clients.push_back({{"client_id", c}});
  nlohmann::json methods = nlohmann::json::array();
  for (const auto& m : s.amr) methods.push_back({{"name", m}});
  return {{"id", s.sid},
          {"user_id", s.user_id},
          {"created_at", iso8601(s.created_at)},
          {"updated_at", iso8601(s.last_seen_at)},
          {"authenticated_at", iso8601(s.auth_time)},
          {"idle_expires_at", iso8601(s.idle_expires_at)},
          {"expires_at", iso8601(s.absolute_expires_at)},
          {"connection", s.connection},
          {"clients", clients},
          {"authentication", {{"methods", methods}}}};
}

nlohmann::json refresh_token_json(const RefreshFamily& f) {
  nlohmann::json out = {{"id", f.id},
                        {"user_id", f.user_id},
                        {"client_id", f.client_id},
                        {"session_id", f.sid},
                        {"scope", f.scope},
                        {"rotating", f.rotating},
                        {"created_at", iso8601(f.created_at)},
                        {"revoked", f.revoked}};
  out["expires_at"] = f.absolute_expires_at ? nlohmann::json(iso8601(f.absolute_expires_at)) : nlohmann::json();
  out["last_exchanged_at"] = f.last_exchanged_at ? nlohmann::json(iso8601(f.last_exchanged_at)) : nlohmann::json();
  if (f.revoked) out["revoked_reason"] = f.revoked_reason;
  return out;
}

std::string id_of(const httplib::Request& req) { return req.matches[1]; }

// The user of the session `sid`, for the audit event of its revocation;
// "" when unknown.
std::string session_user(Broker& b, const std::string& sid) {
  std::string user_id;
  (void)b.store().view([&](storage::ReadTxn& txn) -> Status {
    auto key = SessionStore::key_for_sid(txn, sid);
    if (!key || !*key) return {};
    auto session = get_record<BrokerSession>(txn, tables::kSessions, **key);
    if (session && *session) user_id = (*session)->user_id;
    return {};
  });
  return user_id;
}

}  // namespace

void list_user_sessions(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto sessions = b.sessions().list_for_user(id_of(req));
  if (!sessions) return send_api_failure(res, sessions.error(), "inexistent_user");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : *sessions) items.push_back(session_json(s));
  send_json(res, 200, {{"sessions", items}});
}

void delete_user_sessions(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (auto st = b.session_revoker().end_all_for_user(id_of(req)); !st) {
    return send_api_failure(res, st.error(), "inexistent_user");
  }
  b.audit().record(api_event(b, req, {.type = audit::kSessionRevoked, .user_id = id_of(req),
                                      .description = "All sessions of the user revoked by an administrator"}));
  res.status = 204;
}

void delete_session(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string user_id = session_user(b, id_of(req));
  auto ended = b.session_revoker().end_by_sid(id_of(req));
  if (!ended) return send_api_failure(res, ended.error(), "inexistent_session");
  if (!*ended) return send_api_error(res, 404, "The session does not exist", "inexistent_session");
  b.audit().record(api_event(b, req, {.type = audit::kSessionRevoked, .user_id = user_id,
                                      .description = "Session revoked by an administrator",
                                      .details = {{"session_id", id_of(req)}}}));
  res.status = 204;
}

void list_user_refresh_tokens(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto families = b.refresh_tokens().list_for_user(id_of(req));
  if (!families) return send_api_failure(res, families.error(), "inexistent_user");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& f : *families) items.push_back(refresh_token_json(f));
  send_json(res, 200, {{"tokens", items}});
}

void get_refresh_token(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto family = b.refresh_tokens().family(id_of(req));
  if (!family) return send_api_failure(res, family.error(), "inexistent_refresh_token");
  if (!*family) return send_api_error(res, 404, "The refresh token does not exist", "inexistent_refresh_token");
  send_json(res, 200, refresh_token_json(**family));
}

void delete_refresh_token(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto revoked = b.refresh_tokens().revoke_family_by_id(id_of(req), "revoked by an administrator");
  if (!revoked) return send_api_failure(res, revoked.error(), "inexistent_refresh_token");
  if (!*revoked) return send_api_error(res, 404, "The refresh token does not exist", "inexistent_refresh_token");
  res.status = 204;
}

}  // namespace passerelle::management
