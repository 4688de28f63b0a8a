#include "users/federated_users.h"

#include "core/encoding.h"
#include "core/secrets.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

// The IdP's profile is the truth for a user it created; a user who also has
// a password keeps the profile the broker knows.
void refresh_profile(User& user, const Identity& identity) {
  if (!user.password_hash.empty()) return;
  user.email = identity.email;
  user.email_verified = identity.email_verified;
  if (!identity.name.empty()) user.name = identity.name;
  if (!identity.picture.empty()) user.picture = identity.picture;
}

// The user, if any, who may receive this identity by its verified e-mail.
Result<std::optional<User>> linkable_user(storage::WriteTxn& txn, const Identity& identity) {
  if (identity.email.empty() || !identity.email_verified) return std::optional<User>();
  auto id = txn.get(tables::kUsersByEmail, lower_ascii(identity.email));
  if (!id) return fail(id.error());
  if (!*id) return std::optional<User>();
  auto user = get_record<User>(txn, tables::kUsers, **id);
  if (!user) return fail(user.error());
  if (*user && !(*user)->email_verified) user->reset();
  return std::move(*user);
}

// "<provider>|<upstream id>", unless another connection of the same
// provider took it first: two connections are two accounts unless linked.
Result<std::string> new_user_id(storage::WriteTxn& txn, const Identity& identity) {
  std::string id = identity.provider + "|" + identity.user_id;
  auto taken = txn.get(tables::kUsers, id);
  if (!taken) return fail(taken.error());
  if (!*taken) return id;
  return id + "|" + hex_encode(random_bytes(4));
}

}  // namespace

Result<FederatedSignIn> FederatedUsers::sign_in(const Identity& identity, bool link_by_verified_email) {
  const int64_t now = clock_.now();
  const std::string identity_key = tables::index_key(identity.connection, identity.user_id);
  FederatedSignIn out;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    out = {};
    auto known = txn.get(tables::kIdentities, identity_key);
    if (!known) return fail(known.error());
    std::optional<User> user;
    if (*known) {
      auto found = get_record<User>(txn, tables::kUsers, **known);
      if (!found) return fail(found.error());
      if (!*found) return fail(Error::corruption("an identity names a missing user"));
      user = std::move(**found);
    } else if (link_by_verified_email) {
      auto linked = linkable_user(txn, identity);
      if (!linked) return fail(linked.error());
      user = std::move(*linked);
      out.linked = user.has_value();
    }
    if (!user) {
      auto id = new_user_id(txn, identity);
      if (!id) return fail(id.error());
      user.emplace();
      user->id = *id;
      user->created_at = now;
      user->credentials_changed_at = now;
      out.created = true;
    }
    if (user->blocked) return fail(Error::expired("user is blocked"));
    if (!*known) {
      user->identities.push_back({identity.connection, identity.provider, identity.user_id});
      if (auto s = txn.put(tables::kIdentities, identity_key, user->id); !s) return s;
    }
    refresh_profile(*user, identity);
    user->updated_at = now;
    if (auto s = put_record(txn, tables::kUsers, user->id, *user); !s) return s;
    out.user = *user;
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

}  // namespace passerelle
