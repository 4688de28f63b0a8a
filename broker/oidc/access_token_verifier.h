// Verifies the broker's own access tokens (RFC 9068 §4) when they come back
// to its resource endpoints: signature against its key ring, typ at+jwt,
// issuer, expiry, audience, and the revocation list. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/broker.h"

namespace passerelle {

// The claims of a valid token meant for `audience`. kPermissionDenied for
// any invalid, expired, revoked or misdirected token; kUnavailable when
// storage fails.
Result<nlohmann::json> verify_access_token(Broker& b, std::string_view token, std::string_view audience);

// The bearer token of RFC 6750 §2.1 (Authorization header) or §2.2 (form body).
std::optional<std::string> bearer_token(const httplib::Request& req);

// 401 with WWW-Authenticate: Bearer error="invalid_token" (RFC 6750 §3).
void send_invalid_token(httplib::Response& res, const std::string& description);

}  // namespace passerelle
