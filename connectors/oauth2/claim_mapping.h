// Which members of a generic IdP's userinfo response fill which fields of
// an Identity: the oauth2 connection's "claims" option. Keys are profile
// fields, values JSON keys of the response, dotted for nested members
// ("data.id"). Plain value type; pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/oauth_util.h"
#include "passerelle/connector.h"
#include "passerelle/result.h"

namespace passerelle::oauth2 {

struct ClaimMapping {
  // Tried in order; the first present wins. OIDC-like IdPs say "sub",
  // many plain OAuth 2.0 APIs (GitHub, GitLab) say "id".
  std::vector<std::string> user_id = {"sub", "id"};
  std::string email = "email";
  std::string email_verified = "email_verified";
  std::string name = "name";
  std::string given_name = "given_name";
  std::string family_name = "family_name";
  std::string picture = "picture";
};

// Reads options.claims into `mapping` over its defaults. Problems go to
// `reader` as "options.claims.<field>: ..." (an unknown field, an empty path).
void read_claim_mapping(connector_util::OptionsReader& reader, ClaimMapping& mapping);

// Fills the profile fields of an Identity from `userinfo`. A user id may be
// a string or an integer (kept as its decimal digits). email_verified is
// true only for JSON true or the string "true"; other fields are taken
// when they are strings. Error: kUnavailable "<who>: the userinfo response
// has no user id (<paths>)".
Result<Identity> map_claims(const ClaimMapping& mapping, const nlohmann::json& userinfo, std::string_view who);

}  // namespace passerelle::oauth2
