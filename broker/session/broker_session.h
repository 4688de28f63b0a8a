// The broker session (tier 2 of ARCHITECTURE §2): what the broker remembers
// about a browser between visits. Keyed in storage by the SHA-256 of its
// cookie; the cookie value itself is never stored. Plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/record_codec.h"

namespace passerelle {

struct BrokerSession {
  std::string sid;               // public id (the ID token's `sid`), unrelated to the cookie
  std::string user_id;           // empty while anonymous
  bool authenticated = false;    // S6: anonymous -> authenticated
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t auth_time = 0;         // time of the last interactive authentication
  int64_t idle_expires_at = 0;   // S1: renewed by each use
  int64_t absolute_expires_at = 0;
  std::vector<std::string> amr;  // RFC 8176 values, e.g. ["pwd"]
  std::string acr;
  std::string connection;        // the connection the user logged in with
  std::vector<std::string> clients;  // clients that joined this session (SSO, logout)
  // MFA facts (S7, S8): when and how the second factor was given ("otp",
  // "recovery_code"); 0 and "" while the session is password-only.
  int64_t mfa_time = 0;
  std::string mfa_method;
  std::string upstream_session_id;
  // Set when the session was ended by someone other than its browser (an
  // administrator); a revoked session never counts again.
  int64_t revoked_at = 0;

  int64_t expires_at() const { return idle_expires_at < absolute_expires_at ? idle_expires_at : absolute_expires_at; }
  bool live_at(int64_t now) const { return now < idle_expires_at && now < absolute_expires_at; }
};

PASSERELLE_DEFINE_RECORD(BrokerSession, sid, user_id, authenticated, created_at, last_seen_at, auth_time,
                         idle_expires_at, absolute_expires_at, amr, acr, connection, clients, mfa_time,
                         mfa_method, upstream_session_id, revoked_at)

}  // namespace passerelle
