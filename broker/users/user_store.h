// Users in storage: lookup by id and by e-mail, password login, and seeding
// from the config file. Thread-safe (all state is in the KvStore).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/clock.h"
#include "storage/kv_store.h"
#include "users/password_hash.h"
#include "users/user.h"

namespace passerelle {

class UserStore {
 public:
  UserStore(storage::KvStore& store, const Clock& clock, PasswordHashCost cost = {})
      : store_(store), clock_(clock), cost_(cost) {}

  Result<std::optional<User>> find_by_id(std::string_view id);
  Result<std::optional<User>> find_by_email(std::string_view email);

  // The user whose e-mail and password match. Fails with kPermissionDenied
  // for an unknown e-mail or a wrong password alike, and spends the same
  // Argon2 work in both cases so timing does not reveal which.
  Result<User> authenticate(std::string_view email, std::string_view password);

  // Creates a user with a hashed password. kAlreadyExists if the e-mail is taken.
  Result<User> create(const UserConfig& spec);

  // Loads the config's users: a user the file names is created when missing,
  // and updated only when its entry in the file changed since it was seeded,
  // so changes made at run time survive a restart.
  Status seed(const std::vector<UserConfig>& users);

 private:
  Status seed_one(const UserConfig& spec);

  storage::KvStore& store_;
  const Clock& clock_;
  PasswordHashCost cost_;
};

std::string lower_ascii(std::string_view s);

}  // namespace passerelle
