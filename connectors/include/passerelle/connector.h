// The connector interface (ARCHITECTURE §5): how the broker delegates a
// login to an upstream identity provider. A connector is stateless between
// calls: what one login needs to remember (PKCE verifier, nonce, RelayState)
// it returns as `state_data`, which the broker stores with the login
// transaction and hands back at the callback. Connectors are shared by all
// requests: every method must be thread-safe. No method throws.
//
// Errors returned by finish_login are typed by their ErrorCode, which the
// broker turns into what the user and the application see:
//   kPermissionDenied  the user cancelled or the IdP refused   -> access_denied
//   kInvalidArgument   a malformed or forged callback         -> invalid_request
//   kUnavailable       the IdP failed, timed out or misbehaved -> temporarily_unavailable
//   anything else                                            -> server_error
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "passerelle/result.h"

namespace passerelle {

struct LoginRequest {
  std::string callback_url;  // the broker's /login/callback, to be sent upstream unchanged
  // Opaque, random, bound to the login transaction by the broker; send it
  // upstream as the IdP's anti-CSRF parameter (RFC 9700 §4.7). The broker
  // checks it when the user comes back, before calling finish_login.
  std::string state;
  // The user must authenticate again at the IdP (prompt=login, max_age
  // exceeded): e.g. Facebook's auth_type=reauthenticate, OIDC's prompt=login.
  bool force_reauthentication = false;
  std::optional<int64_t> max_age;  // forwarded where the IdP understands it
  std::string login_hint;          // "" when none
};

struct LoginStart {
  std::string redirect_url;  // where the browser goes next (the IdP)
  std::string state_data;    // returned to finish_login; never shown to anyone
};

struct CallbackRequest {
  std::string method;        // "GET" or "POST" (form_post, SAML)
  std::string callback_url;  // as in LoginRequest
  std::map<std::string, std::string> params;  // query or form parameters, state included
};

// What the IdP tells about its own session (tier 3 of ARCHITECTURE §2).
// Zero or empty means the IdP did not say.
struct UpstreamSessionFacts {
  int64_t auth_time = 0;
  std::vector<std::string> amr;
  std::string acr;
  std::string sid;
  int64_t token_expires_at = 0;
};

struct Identity {
  std::string connection;  // filled in by the broker
  std::string provider;    // e.g. "facebook"; with user_id, the user's key upstream
  std::string user_id;     // the IdP's stable subject for this user
  std::string email;       // "" when the IdP gave none
  bool email_verified = false;
  std::string name;
  std::string given_name;
  std::string family_name;
  std::string picture;
  nlohmann::json raw_profile = nlohmann::json::object();  // as the IdP returned it, minus tokens
  UpstreamSessionFacts upstream;
  // Opaque to the broker, kept encrypted, handed back to refresh() and
  // logout_url(); never shown to clients (e.g. an upstream refresh token).
  std::string connector_data;
};

// Capability: renew the identity without the user (Dex's RefreshConnector).
class RefreshCapability {
 public:
  virtual ~RefreshCapability() = default;
  // The identity as the IdP sees it now. kPermissionDenied when the upstream
  // grant is gone (the user must log in again).
  virtual Result<Identity> refresh(const Identity& identity) = 0;
};

// Capability: end the upstream session too (`/v2/logout?federated`).
class LogoutCapability {
 public:
  virtual ~LogoutCapability() = default;
  // Where to send the browser to log out at the IdP, coming back to
  // `return_to` when the IdP supports it.
  virtual Result<std::string> logout_url(const Identity& identity, const std::string& return_to) = 0;
};

// Capability: check a username and password directly (LDAP-like upstreams).
class PasswordCapability {
 public:
  virtual ~PasswordCapability() = default;
  // kPermissionDenied for wrong credentials, with one message for both an
  // unknown user and a wrong password.
  virtual Result<Identity> login(const std::string& username, const std::string& password) = 0;
};

// Capability: a metadata document to give the IdP (a SAML SP's
// EntityDescriptor), served by the broker at a stable URL per connection.
class MetadataCapability {
 public:
  virtual ~MetadataCapability() = default;
  // The document, naming `callback_url` as where the IdP answers.
  virtual Result<std::string> metadata_document(const std::string& callback_url) = 0;
  // Its media type, e.g. "application/samlmetadata+xml".
  virtual std::string metadata_content_type() = 0;
};

class Connector {
 public:
  Connector() = default;
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;
  virtual ~Connector() = default;

  // The URL to send the browser to, and the state to keep for the return.
  virtual Result<LoginStart> begin_login(const LoginRequest& request) = 0;
  // REQUIRES: the broker has matched request.params["state"] (or the IdP's
  // equivalent) to the login transaction that `state_data` came from.
  // On success, the user's identity; on failure, a typed error (see above).
  virtual Result<Identity> finish_login(const CallbackRequest& request, const std::string& state_data) = 0;

  // Optional capabilities; nullptr when the connector lacks one. The broker
  // asks once, when it opens the connection. The object lives as long as
  // the connector.
  virtual RefreshCapability* refresher() { return nullptr; }
  virtual LogoutCapability* logout() { return nullptr; }
  virtual PasswordCapability* password_login() { return nullptr; }
  virtual MetadataCapability* metadata() { return nullptr; }
};

}  // namespace passerelle
