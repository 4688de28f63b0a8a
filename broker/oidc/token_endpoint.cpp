// POST /oauth/token (RFC 6749 §3.2, §4.1.3, §4.4; OIDC Core §3.1.3).
#include <algorithm>

#include "core/encoding.h"
#include "http/client_address.h"
#include "http/responses.h"
#include "oidc/client_authentication.h"
#include "oidc/endpoints.h"

namespace passerelle {
namespace {

// RFC 6749 §5.1: the token response, never cached.
void send_tokens(httplib::Response& res, JsonObjectWriter& body) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("Pragma", "no-cache");
  send_json(res, 200, body);
}

// The members every token response starts with.
JsonObjectWriter token_response(const std::string& access_token, const std::string& scope) {
  JsonObjectWriter body;
  body.add("access_token", access_token)
      .add("token_type", "Bearer")
      .add("expires_in", TokenIssuer::kAccessTokenLifetime)
      .add("scope", scope);
  return body;
}

bool scope_has(const std::string& scope, std::string_view s) { return std::ranges::count(split_words(scope), s) > 0; }

// The response of a user grant: the access token, an ID token for openid,
// and the refresh token when there is one.
void send_user_tokens(Broker& b, const TokenGrant& grant, const User& user, const IssuedAccessToken& access,
                      const std::string& refresh_token, httplib::Response& res) {
  JsonObjectWriter body = token_response(access.token, grant.scope);
  if (scope_has(grant.scope, "openid")) {
    auto id_token = b.tokens().id_token(grant, user);
    if (!id_token) return send_oauth_error(res, 500, "server_error", "the ID token could not be signed");
    body.add("id_token", *id_token);
  }
  if (!refresh_token.empty()) body.add("refresh_token", refresh_token);
  send_tokens(res, body);
}

// The refresh-token family a redeemed code starts, when the client may
// refresh and the user granted offline_access.
std::optional<RefreshFamily> family_for(const Client& client, const AuthorizationCode& code,
                                        const IssuedAccessToken& access) {
  if (!client.settings.allows_grant("refresh_token") || !scope_has(code.scope, "offline_access")) return std::nullopt;
  RefreshFamily family;
  family.client_id = client.id();
  family.user_id = code.user_id;
  family.sid = code.sid;
  family.scope = code.scope;
  family.auth_time = code.auth_time;
  family.amr = code.amr;
  family.acr = code.acr;
  family.last_access_jti = access.jti;
  family.last_access_expires_at = access.expires_at;
  return family;
}

// Reads the user a grant is for inside the grant's own transaction, so that
// once the code is spent or the token rotated nothing can fail before the
// answer but signing. A missing or blocked user is invalid_grant and changes
// nothing.
Status grant_user_in(storage::ReadTxn& txn, const std::string& user_id, std::optional<User>& user) {
  auto found = UserStore::find_in(txn, user_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::permission_denied("the user no longer exists"));
  if ((*found)->blocked) return fail(Error::permission_denied("the user is blocked"));
  user = std::move(*found);
  return {};
}

void exchange_code(Broker& b, const Client& client, const httplib::Request& req, httplib::Response& res) {
  std::string code_value = param(req, "code");
  if (code_value.empty()) return send_oauth_error(res, 400, "invalid_request", "code is missing");
  IssuedAccessToken plan = b.tokens().plan_access_token();
  // The code is used up and the refresh-token family starts in one
  // transaction: a failure leaves the code redeemable for a retry.
  std::string refresh_token;
  std::optional<User> user;
  auto start_family = [&](storage::WriteTxn& txn, const AuthorizationCode& code) -> Status {
    refresh_token.clear();
    if (auto st = grant_user_in(txn, code.user_id, user); !st) return st;
    auto family = family_for(client, code, plan);
    if (!family) return {};
    auto issued = b.refresh_tokens().issue_in(txn, std::move(*family), client.settings.refresh_token);
    if (!issued) return fail(issued.error());
    refresh_token = issued->token;
    return {};
  };
  auto code = b.codes().redeem(
      {code_value, client.id(), param(req, "redirect_uri"), param(req, "code_verifier"), plan.jti, plan.expires_at},
      start_family);
  if (!code) {
    if (code.error().is(ErrorCode::kPermissionDenied)) {
      return send_oauth_error(res, 400, "invalid_grant", code.error().message);
    }
    return send_oauth_error(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  TokenGrant grant{client.id(), code->scope, code->user_id, code->sid, code->nonce,
                   code->auth_time, code->amr, code->acr};
  auto access = b.tokens().access_token(grant, {b.tokens().userinfo_audience()}, plan);
  if (!access) return send_oauth_error(res, 500, "server_error", "the access token could not be signed");
  send_user_tokens(b, grant, *user, *access, refresh_token, res);
}

// RFC 6749 §6. The new access token may ask for less than the family holds.
void refresh(Broker& b, const Client& client, const httplib::Request& req, httplib::Response& res) {
  std::string token = param(req, "refresh_token");
  if (token.empty()) return send_oauth_error(res, 400, "invalid_request", "refresh_token is missing");
  std::string asked = param(req, "scope");
  IssuedAccessToken plan = b.tokens().plan_access_token();
  std::optional<User> user;
  auto check_user = [&user](storage::ReadTxn& txn, const RefreshFamily& family) {
    return grant_user_in(txn, family.user_id, user);
  };
  auto grant = b.refresh_tokens().exchange(token, client.id(), client.settings.refresh_token,
                                           {plan.jti, plan.expires_at}, asked, check_user);
  if (!grant) {
    if (grant.error().is(ErrorCode::kPermissionDenied)) {
      return send_oauth_error(res, 400, "invalid_grant", grant.error().message);
    }
    if (grant.error().is(ErrorCode::kInvalidArgument)) {
      return send_oauth_error(res, 400, "invalid_scope", grant.error().message);
    }
    return send_oauth_error(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  const RefreshFamily& family = grant->family;
  std::string scope = asked.empty() ? family.scope : asked;
  TokenGrant token_grant{client.id(), scope, family.user_id, family.sid, "", family.auth_time, family.amr, family.acr};
  auto access = b.tokens().access_token(token_grant, {b.tokens().userinfo_audience()}, plan);
  if (!access) return send_oauth_error(res, 500, "server_error", "the access token could not be signed");
  send_user_tokens(b, token_grant, *user, *access, grant->token, res);
}

// Machine-to-machine tokens. The Management API is the one resource server
// the broker knows: its audience is {issuer}/api/v2/ and its scopes are the
// client's management_scopes (all of them when none is asked for).
void client_credentials(Broker& b, const Client& client, const httplib::Request& req, httplib::Response& res) {
  if (client.settings.is_public()) {
    return send_oauth_error(res, 400, "unauthorized_client", "public clients cannot use client_credentials");
  }
  std::string audience = param(req, "audience");
  std::vector<std::string> granted;
  if (audience.empty()) {
    audience = b.config().issuer;
  } else if (audience == b.url("/api/v2/")) {
    const auto& allowed = client.settings.management_scopes;
    auto requested = split_words(param(req, "scope"));
    if (requested.empty()) requested = allowed;
    for (const auto& s : requested) {
      if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
        return send_oauth_error(res, 400, "invalid_scope", "scope not granted to this client: " + s);
      }
      granted.push_back(s);
    }
  } else {
    return send_oauth_error(res, 400, "invalid_target", "unknown audience");
  }
  std::string scope;
  for (const auto& s : granted) scope += (scope.empty() ? "" : " ") + s;
  TokenGrant grant;
  grant.client_id = client.id();
  grant.scope = scope;
  auto access = b.tokens().access_token(grant, {audience}, b.tokens().plan_access_token());
  if (!access) return send_oauth_error(res, 500, "server_error", "the access token could not be signed");
  JsonObjectWriter body = token_response(access->token, scope);
  send_tokens(res, body);
}

}  // namespace

void handle_token(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (int64_t wait = b.token_limiter().take(client_address(req, b.config().trusted_proxies)); wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
    return send_oauth_error(res, 429, "too_many_requests", "too many requests from this address; retry later");
  }
  if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return send_oauth_error(res, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  }
  if (has_repeated_param(req)) return send_oauth_error(res, 400, "invalid_request", "a parameter is repeated");
  auto client = authenticate_client(b, req);
  if (!client) return send_client_auth_error(res, client.error());

  std::string grant_type = param(req, "grant_type");
  if (grant_type.empty()) return send_oauth_error(res, 400, "invalid_request", "grant_type is missing");
  if (grant_type != "authorization_code" && grant_type != "client_credentials" && grant_type != "refresh_token") {
    return send_oauth_error(res, 400, "unsupported_grant_type", "unsupported grant_type: " + grant_type);
  }
  if (!client->settings.allows_grant(grant_type)) {
    return send_oauth_error(res, 400, "unauthorized_client", "this client may not use " + grant_type);
  }
  if (grant_type == "authorization_code") {
    exchange_code(b, *client, req, res);
  } else if (grant_type == "refresh_token") {
    refresh(b, *client, req, res);
  } else {
    client_credentials(b, *client, req, res);
  }
  if (res.status == 200) b.metrics().count_token(grant_type);
}

}  // namespace passerelle
