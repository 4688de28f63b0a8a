// /api/v2/users: list (search and paging), get, create, PATCH (password,
// e-mail, phone — which end the user's sessions, S4 — name, roles and
// blocked), delete. Passwords are hashed before they are stored and never
// returned.
#include "config/json_reader.h"
#include "config/url_rules.h"
#include "core/time_format.h"
#include "http/responses.h"
#include "management/api_audit.h"
#include "management/api_support.h"
#include "management/handlers.h"
#include "store/typed_record.h"
#include "tokens/refresh_token_store.h"

namespace passerelle::management {
namespace {

constexpr size_t kMinPasswordLength = 8;

nlohmann::json identities_json(const User& u) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : u.identities) {
    out.push_back({{"connection", i.connection}, {"provider", i.provider}, {"user_id", i.user_id}, {"isSocial", true}});
  }
  return out;
}

nlohmann::json user_json(const User& u) {
  return {{"user_id", u.id},
          {"email", u.email},
          {"email_verified", u.email_verified},
          {"name", u.name.empty() ? u.email : u.name},
          {"phone_number", u.phone_number},
          {"blocked", u.blocked},
          {"roles", u.roles},
          {"identities", identities_json(u)},
          {"picture", u.picture},
          {"created_at", iso8601(u.created_at)},
          {"updated_at", iso8601(u.updated_at ? u.updated_at : u.created_at)}};
}

std::string user_id_of(const httplib::Request& req) { return req.matches[1]; }

std::string checked_email(const JsonReader& r) {
  std::string email = *r.non_empty_string("email");
  if (!is_email_address(email)) throw_at(r.path_of("email"), "must be an e-mail address");
  return email;
}

std::string checked_password(const JsonReader& r) {
  std::string password = *r.non_empty_string("password");
  if (password.size() < kMinPasswordLength) {
    throw_at(r.path_of("password"), "must be at least " + std::to_string(kMinPasswordLength) + " characters");
  }
  return password;
}

// The fields a create and a PATCH share, read strictly.
UserChanges read_changes(const JsonReader& r) {
  UserChanges c;
  if (r.has("email")) c.email = checked_email(r);
  if (r.has("password")) c.password = checked_password(r);
  c.phone_number = r.string("phone_number");
  c.name = r.string("name");
  c.email_verified = r.boolean("email_verified");
  c.blocked = r.boolean("blocked");
  c.roles = r.string_array("roles");
  return c;
}

// The audit events of a PATCH, in the transaction that applies it: one per
// credential changed, and one when the user is blocked. No values.
Status record_user_changes(Broker& b, storage::WriteTxn& txn, const UserChanges& changes, const User& user,
                           const AuditEvent& base) {
  struct Kind {
    bool changed;
    const char* type;
    const char* description;
  };
  const Kind kinds[] = {{changes.password.has_value(), audit::kPasswordChanged, "Password changed"},
                        {changes.email.has_value(), audit::kEmailChanged, "E-mail changed"},
                        {changes.phone_number.has_value(), audit::kPhoneChanged, "Phone number changed"},
                        {changes.blocked.value_or(false), audit::kUserBlocked, "User blocked by an administrator"}};
  for (const Kind& kind : kinds) {
    if (!kind.changed) continue;
    AuditEvent e = base;
    e.type = kind.type;
    e.description = kind.description;
    e.user_id = user.id;
    e.user_name = user.email;
    if (auto st = b.audit().append(txn, std::move(e)); !st) return st;
  }
  return {};
}

// Blocking or a credential change (S4) ends the user's sessions; blocking
// also revokes every refresh token. All of it, and its audit events, commit
// together or not at all.
UserWriteHook on_user_change(Broker& b, const UserChanges& changes, AuditEvent base) {
  return [&b, changes, base](storage::WriteTxn& txn, const User& user) -> Status {
    if (changes.changes_credentials() || changes.blocked.value_or(false)) {
      if (auto st = b.session_revoker().end_all_for_user(txn, user.id); !st) return st;
    }
    if (changes.blocked.value_or(false)) {
      auto st = RefreshTokenStore::revoke_user_families(txn, user.id, "user blocked", b.clock().now());
      if (!st) return st;
    }
    return record_user_changes(b, txn, changes, user, base);
  };
}

}  // namespace

void list_users(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto paging = read_paging(req, res);
  if (!paging) return;
  std::string query = req.has_param("q") ? req.get_param_value("q") : "";
  if (req.has_param("email")) query = req.get_param_value("email");
  auto page = b.users().list(query, paging->page, paging->per_page);
  if (!page) return send_api_failure(res, page.error(), "inexistent_user");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& u : page->users) items.push_back(user_json(u));
  send_json(res, 200, paged(*paging, "users", std::move(items), page->total));
}

void get_user(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto user = b.users().find_by_id(user_id_of(req));
  if (!user) return send_api_failure(res, user.error(), "inexistent_user");
  if (!*user) return send_api_error(res, 404, "The user does not exist", "inexistent_user");
  send_json(res, 200, user_json(**user));
}

void create_user(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto body = json_object_body(req, res);
  if (!body) return;
  UserConfig spec;
  UserChanges extra;
  try {
    JsonReader r(*body, "", {"email", "password", "connection", "phone_number", "name", "email_verified",
                             "blocked", "roles"});
    spec.email = r.has("email") ? checked_email(r) : r.required_string("email");
    spec.password = r.has("password") ? checked_password(r) : r.required_string("password");
    if (auto connection = r.string("connection")) {
      const ConnectionConfig* db = nullptr;
      for (const auto& c : b.config().connections) {
        if (c.name == *connection) db = &c;
      }
      if (!db || db->strategy != "database") {
        throw_at("connection", "must name a database connection");
      }
    }
    extra = read_changes(r);
  } catch (const JsonReadError& e) {
    return send_api_error(res, 400, e.what(), "invalid_body");
  }
  spec.phone_number = extra.phone_number;
  spec.roles = extra.roles.value_or(std::vector<std::string>{});
  auto user = b.users().create(spec);
  if (!user) {
    if (user.error().is(ErrorCode::kAlreadyExists)) {
      return send_api_error(res, 409, "The user already exists.", "user_exists");
    }
    return send_api_failure(res, user.error(), "inexistent_user");
  }
  // name, email_verified and blocked are not part of a config user.
  UserChanges rest;
  rest.name = extra.name;
  rest.email_verified = extra.email_verified;
  rest.blocked = extra.blocked;
  if (rest.name || rest.email_verified || rest.blocked) {
    auto updated = b.users().update(user->id, rest);
    if (!updated) return send_api_failure(res, updated.error(), "inexistent_user");
    *user = *updated;
  }
  send_json(res, 201, user_json(*user));
}

void patch_user(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto body = json_object_body(req, res);
  if (!body) return;
  UserChanges changes;
  try {
    JsonReader r(*body, "", {"email", "password", "phone_number", "name", "email_verified", "blocked", "roles",
                             "connection"});
    changes = read_changes(r);
  } catch (const JsonReadError& e) {
    return send_api_error(res, 400, e.what(), "invalid_body");
  }
  auto user = b.users().update(user_id_of(req), changes, on_user_change(b, changes, api_event(b, req, {})));
  if (!user) {
    if (user.error().is(ErrorCode::kNotFound)) {
      return send_api_error(res, 404, "The user does not exist", "inexistent_user");
    }
    if (user.error().is(ErrorCode::kAlreadyExists)) {
      return send_api_error(res, 409, "The specified new email already exists", "email_exists");
    }
    return send_api_failure(res, user.error(), "inexistent_user");
  }
  send_json(res, 200, user_json(*user));
}

void delete_user(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto st = b.users().remove(user_id_of(req), [&b](storage::WriteTxn& txn, const User& user) -> Status {
    if (auto s = b.session_revoker().end_all_for_user(txn, user.id); !s) return s;
    return RefreshTokenStore::revoke_user_families(txn, user.id, "user deleted", b.clock().now());
  });
  if (!st) {
    if (st.error().is(ErrorCode::kNotFound)) return send_api_error(res, 404, "The user does not exist", "inexistent_user");
    return send_api_failure(res, st.error(), "inexistent_user");
  }
  res.status = 204;
}

}  // namespace passerelle::management
