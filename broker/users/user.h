// The user record of the database connection and of federated identities.
// Plain value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/record_codec.h"

namespace passerelle {

// One way the user logs in through an upstream IdP (ARCHITECTURE §5).
struct UserIdentity {
  std::string connection;
  std::string provider;  // e.g. "facebook"
  std::string user_id;   // the IdP's subject
};

PASSERELLE_DEFINE_RECORD(UserIdentity, connection, provider, user_id)

struct User {
  // "user_" + random for database users, "<provider>|<upstream id>" for
  // users an upstream login created; the `sub` of tokens.
  std::string id;
  std::string email;          // as given; lookups use its lower-case form
  bool email_verified = false;
  std::string password_hash;  // Argon2id encoded string; empty for federated users
  std::string name;
  std::string phone_number;
  std::vector<std::string> roles;
  int64_t created_at = 0;
  // S4: a change of password, email or phone number moves this forward, and
  // every broker session authenticated before it is void.
  int64_t credentials_changed_at = 0;
  int64_t updated_at = 0;
  bool blocked = false;       // a blocked user cannot log in or refresh
  std::string seeded_from;    // digest of the config entry that created it
  std::vector<UserIdentity> identities;  // upstream logins; empty for database-only users
  std::string picture;        // from the IdP's profile
};

PASSERELLE_DEFINE_RECORD(User, id, email, email_verified, password_hash, name, phone_number, roles, created_at,
                         credentials_changed_at, updated_at, blocked, seeded_from, identities, picture)

}  // namespace passerelle
