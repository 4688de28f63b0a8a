// Users that upstream logins bring (ARCHITECTURE §5): an identity
// {connection, upstream user id} maps to one broker user. The first login
// creates the user ("<provider>|<upstream id>"); later logins find it and
// refresh its profile. Linking to an existing user by e-mail is opt-in per
// connection, and only when both the IdP and the broker verified the
// address: otherwise whoever controls an IdP account with someone's address
// would take over their account. Thread-safe (state lives in the KvStore).
#pragma once

#include "core/clock.h"
#include "passerelle/connector.h"
#include "storage/kv_store.h"
#include "users/user.h"

namespace passerelle {

struct FederatedSignIn {
  User user;
  bool created = false;  // this login created the user
  bool linked = false;   // this login added the identity to an existing user
};

class FederatedUsers {
 public:
  FederatedUsers(storage::KvStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // REQUIRES: identity.connection, provider and user_id are not empty.
  // One write transaction, so a failure leaves no user half-made.
  // kExpired when the user is blocked.
  Result<FederatedSignIn> sign_in(const Identity& identity, bool link_by_verified_email);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
};

}  // namespace passerelle
