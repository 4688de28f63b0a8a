#include "users/user_store.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

std::string config_digest(const UserConfig& spec) {
  nlohmann::json j{{"email", spec.email}, {"password", spec.password},
                   {"phone_number", spec.phone_number.value_or("")}, {"roles", spec.roles}};
  return sha256_hex(j.dump());
}

// Removes the user's e-mail from the index when the entry is the user's own
// (an upstream login's user may share an address it does not own there).
Status unindex_email(storage::WriteTxn& txn, const User& user) {
  std::string key = lower_ascii(user.email);
  auto owner = txn.get(tables::kUsersByEmail, key);
  if (!owner) return fail(owner.error());
  if (!*owner || **owner != user.id) return {};
  return txn.del(tables::kUsersByEmail, key);
}

}  // namespace

Result<std::optional<User>> UserStore::find_by_id(std::string_view id) {
  return read_record<User>(store_, tables::kUsers, id);
}

Result<std::optional<User>> UserStore::find_in(storage::ReadTxn& txn, std::string_view id) {
  return get_record<User>(txn, tables::kUsers, id);
}

Result<std::optional<User>> UserStore::find_by_email(std::string_view email) {
  std::optional<User> found;
  auto st = store_.view([&](storage::ReadTxn& txn) -> Status {
    auto id = txn.get(tables::kUsersByEmail, lower_ascii(email));
    if (!id) return fail(id.error());
    if (!*id) return {};
    auto user = get_record<User>(txn, tables::kUsers, **id);
    if (!user) return fail(user.error());
    found = std::move(*user);
    return {};
  });
  if (!st) return fail(st.error());
  return found;
}

Result<User> UserStore::authenticate(std::string_view email, std::string_view password) {
  auto user = find_by_email(email);
  if (!user) return fail(user.error());
  // A fixed hash of a random password, so an unknown e-mail costs one Argon2
  // verification like a known one does.
  static const std::string kDecoy = hash_password(random_token(), cost_).value_or("");
  const std::string& encoded = (*user && !(*user)->password_hash.empty()) ? (*user)->password_hash : kDecoy;
  bool ok = verify_password(password, encoded);
  if (!*user || (*user)->password_hash.empty() || !ok) {
    return fail(Error::permission_denied("wrong email or password"));
  }
  if ((*user)->blocked) return fail(Error::expired("user is blocked"));
  return std::move(**user);
}

Result<User> UserStore::create(const UserConfig& spec) {
  auto hash = hash_password(spec.password, cost_);
  if (!hash) return fail(hash.error());
  User user;
  user.id = "user_" + hex_encode(random_bytes(12));
  user.email = spec.email;
  user.password_hash = *hash;
  user.phone_number = spec.phone_number.value_or("");
  user.roles = spec.roles;
  user.created_at = clock_.now();
  user.credentials_changed_at = user.created_at;
  user.updated_at = user.created_at;
  user.seeded_from = config_digest(spec);
  auto st = store_.update([&](storage::WriteTxn& txn) { return insert(txn, user); });
  if (!st) return fail(st.error());
  return user;
}

Status UserStore::insert(storage::WriteTxn& txn, const User& user) {
  std::string email_key = lower_ascii(user.email);
  auto existing = txn.get(tables::kUsersByEmail, email_key);
  if (!existing) return fail(existing.error());
  if (*existing) return fail(Error::already_exists("a user with this email exists"));
  if (auto s = txn.put(tables::kUsersByEmail, email_key, user.id); !s) return s;
  return put_record(txn, tables::kUsers, user.id, user);
}

Result<UserPage> UserStore::list(std::string_view query, size_t page, size_t per_page) {
  UserPage out;
  const std::string needle = lower_ascii(query);
  const size_t first = page * per_page;
  auto st = store_.view([&](storage::ReadTxn& txn) -> Status {
    return scan_records<User>(txn, tables::kUsers, "", [&](std::string_view, User&& user) {
      bool matches = needle.empty() || lower_ascii(user.email).find(needle) != std::string::npos ||
                     lower_ascii(user.name).find(needle) != std::string::npos;
      if (!matches) return true;
      if (out.total >= first && out.users.size() < per_page) out.users.push_back(std::move(user));
      ++out.total;
      return true;
    });
  });
  if (!st) return fail(st.error());
  return out;
}

Result<User> UserStore::update(std::string_view id, const UserChanges& changes, const UserWriteHook& hook) {
  std::optional<std::string> new_hash;
  if (changes.password) {
    auto hash = hash_password(*changes.password, cost_);
    if (!hash) return fail(hash.error());
    new_hash = *hash;
  }
  const int64_t now = clock_.now();
  User written;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<User>(txn, tables::kUsers, id);
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("the user does not exist"));
    User user = std::move(**found);
    // Only users with a password are found by e-mail (for the password
    // login); an upstream login's user keeps its address out of the index.
    bool indexed = !user.password_hash.empty() || new_hash.has_value();
    if (changes.email && indexed && lower_ascii(*changes.email) != lower_ascii(user.email)) {
      std::string key = lower_ascii(*changes.email);
      auto taken = txn.get(tables::kUsersByEmail, key);
      if (!taken) return fail(taken.error());
      if (*taken) return fail(Error::already_exists("a user with this email exists"));
      if (auto s = unindex_email(txn, user); !s) return s;
      if (auto s = txn.put(tables::kUsersByEmail, key, user.id); !s) return s;
    }
    if (changes.email) user.email = *changes.email;
    if (new_hash) user.password_hash = *new_hash;
    if (changes.phone_number) user.phone_number = *changes.phone_number;
    if (changes.name) user.name = *changes.name;
    if (changes.email_verified) user.email_verified = *changes.email_verified;
    if (changes.blocked) user.blocked = *changes.blocked;
    if (changes.roles) user.roles = *changes.roles;
    if (changes.changes_credentials()) user.credentials_changed_at = now;
    user.updated_at = now;
    if (auto s = put_record(txn, tables::kUsers, user.id, user); !s) return s;
    written = user;
    return hook ? hook(txn, user) : Status{};
  });
  if (!st) return fail(st.error());
  return written;
}

Status UserStore::remove(std::string_view id, const UserWriteHook& hook) {
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<User>(txn, tables::kUsers, id);
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("the user does not exist"));
    if (auto s = unindex_email(txn, **found); !s) return s;
    for (const auto& identity : (*found)->identities) {
      if (auto s = txn.del(tables::kIdentities, tables::index_key(identity.connection, identity.user_id)); !s) return s;
    }
    if (auto s = txn.del(tables::kUsers, id); !s) return s;
    return hook ? hook(txn, **found) : Status{};
  });
}

Status UserStore::seed(const std::vector<UserConfig>& users) {
  for (const auto& spec : users) {
    if (auto st = seed_one(spec); !st) return st;
  }
  return {};
}

Status UserStore::seed_one(const UserConfig& spec) {
  auto existing = find_by_email(spec.email);
  if (!existing) return fail(existing.error());
  if (!*existing) return create(spec).map([](const User&) {});
  std::string digest = config_digest(spec);
  if ((*existing)->seeded_from == digest) return {};
  // The file's entry changed: it wins over what was stored.
  User user = std::move(**existing);
  auto hash = hash_password(spec.password, cost_);
  if (!hash) return fail(hash.error());
  user.password_hash = *hash;
  user.phone_number = spec.phone_number.value_or("");
  user.roles = spec.roles;
  user.credentials_changed_at = clock_.now();
  user.updated_at = user.credentials_changed_at;
  user.seeded_from = digest;
  return store_.update([&](storage::WriteTxn& txn) { return put_record(txn, tables::kUsers, user.id, user); });
}

}  // namespace passerelle
