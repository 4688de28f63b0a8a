// The table names the broker keeps in the storage interface, in one place so
// the store can be opened with all of them (LMDB needs them up front).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace passerelle::tables {

inline constexpr std::string_view kClients = "clients";
inline constexpr std::string_view kUsers = "users";
inline constexpr std::string_view kUsersByEmail = "users_by_email";
inline constexpr std::string_view kSessions = "sessions";              // key: sha256 of the cookie
inline constexpr std::string_view kSessionsByUser = "sessions_by_user";  // key: user id, '\n', sid; value: session key
inline constexpr std::string_view kSessionsBySid = "sessions_by_sid";    // key: sid; value: session key
inline constexpr std::string_view kLoginTransactions = "login_tx";     // key: sha256 of the tx id
inline constexpr std::string_view kCodes = "codes";                    // key: token_storage_key of the code
inline constexpr std::string_view kRevokedTokens = "revoked_tokens";   // key: access token jti
inline constexpr std::string_view kRefreshFamilies = "refresh_families";  // key: family id
inline constexpr std::string_view kRefreshTokens = "refresh_tokens";      // key: token_storage_key of the token
inline constexpr std::string_view kRefreshFamiliesByUser = "refresh_families_by_user";  // key: user id, '\n', family id
inline constexpr std::string_view kSigningKeys = "signing_keys";       // key: kid
inline constexpr std::string_view kConnections = "connections";
inline constexpr std::string_view kMeta = "meta";
inline constexpr std::string_view kLoginFailures = "login_failures";  // key: lower-case e-mail, '\n', client IP
inline constexpr std::string_view kMfaEnrolments = "mfa_enrolments";  // key: user id
inline constexpr std::string_view kConsents = "consents";              // key: user id, '\n', client id
inline constexpr std::string_view kIdentities = "identities";  // key: connection, '\n', upstream user id; value: user id
inline constexpr std::string_view kUpstreamLogins = "upstream_logins";      // key: sha256 of the upstream state
inline constexpr std::string_view kUpstreamSessions = "upstream_sessions";  // key: upstream session id
inline constexpr std::string_view kAuditEvents = "audit_events";  // key: log_id (sorts by time)

// The key of an index entry "owner, then item": a prefix scan over
// index_key(owner, "") lists the owner's items in order.
inline std::string index_key(std::string_view owner, std::string_view item) {
  std::string key(owner);
  key += '\n';
  key += item;
  return key;
}

// Every table above plus those the storage layer needs for itself.
std::vector<std::string> all_tables();

}  // namespace passerelle::tables
