// Users in storage: lookup by id and by e-mail, password login, and seeding
// from the config file. Thread-safe (all state is in the KvStore).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "storage/kv_store.h"
#include "users/password_hash.h"
#include "users/user.h"

namespace passerelle {

// A Management API change to a user; absent fields stay as they are.
struct UserChanges {
  std::optional<std::string> email;
  std::optional<std::string> password;  // plain; stored hashed
  std::optional<std::string> phone_number;
  std::optional<std::string> name;
  std::optional<bool> email_verified;
  std::optional<bool> blocked;
  std::optional<std::vector<std::string>> roles;

  // S4: these end the user's sessions.
  bool changes_credentials() const { return email || password || phone_number; }
};

struct UserPage {
  std::vector<User> users;
  size_t total = 0;  // users matching the query, over all pages
};

// Extra writes a caller makes in the same transaction as a user change
// (ending sessions, revoking refresh tokens), given the user as written.
using UserWriteHook = std::function<Status(storage::WriteTxn&, const User&)>;

class UserStore {
 public:
  UserStore(storage::KvStore& store, const Clock& clock, PasswordHashCost cost = {})
      : store_(store), clock_(clock), cost_(cost) {}

  Result<std::optional<User>> find_by_id(std::string_view id);
  // The same inside a caller's transaction (a grant checks its user in the
  // transaction that spends the code or rotates the token).
  static Result<std::optional<User>> find_in(storage::ReadTxn& txn, std::string_view id);
  Result<std::optional<User>> find_by_email(std::string_view email);

  // The user whose e-mail and password match. Fails with kPermissionDenied
  // for an unknown e-mail or a wrong password alike, and spends the same
  // Argon2 work in both cases so timing does not reveal which. A blocked
  // user with the right password gets kExpired ("user is blocked").
  Result<User> authenticate(std::string_view email, std::string_view password);

  // Creates a user with a hashed password. kAlreadyExists if the e-mail is taken.
  Result<User> create(const UserConfig& spec);
  // Writes a new `user` and its e-mail index entry in `txn` (kAlreadyExists
  // when the e-mail is taken): the building block of create().
  static Status insert(storage::WriteTxn& txn, const User& user);

  // Users whose e-mail or name contains `query` (case-insensitive; empty:
  // all), ordered by id, page `page` (from 0) of `per_page`.
  Result<UserPage> list(std::string_view query, size_t page, size_t per_page);

  // Applies `changes`; kNotFound for an unknown id, kAlreadyExists when the
  // new e-mail belongs to someone else. `hook` runs in the same transaction.
  Result<User> update(std::string_view id, const UserChanges& changes, const UserWriteHook& hook = {});

  // Deletes the user; kNotFound when unknown. `hook` runs in the same transaction.
  Status remove(std::string_view id, const UserWriteHook& hook = {});

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

}  // namespace passerelle
