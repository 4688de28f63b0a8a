// PKCE (RFC 7636) for connectors that start an authorization code flow: the
// verifier stays in the login's state_data, its S256 challenge goes upstream,
// so a code stolen on the way back is useless without the verifier.
// Thread-safe (OpenSSL's RAND_bytes is).
#pragma once

#include <string>
#include <string_view>

#include "common/oauth_util.h"
#include "passerelle/result.h"

namespace passerelle::connector_util {

// A fresh verifier: 32 random bytes in base64url, 43 characters (RFC 7636
// §4.1 asks for 43 to 128). kInternal when the random generator fails.
Result<std::string> new_pkce_verifier();

// The S256 code_challenge of `verifier`: base64url(SHA-256(verifier)), §4.2.
std::string pkce_s256_challenge(std::string_view verifier);

// Adds code_challenge and code_challenge_method=S256 for a fresh verifier
// to an authorization request's `params`; returns the verifier to keep.
Result<std::string> add_pkce_challenge(Params& params);

}  // namespace passerelle::connector_util
