#include "tokens/key_ring.h"

#include <algorithm>
#include <mutex>

#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

Result<std::vector<StoredKey>> load_all(storage::KvStore& store) {
  std::vector<StoredKey> keys;
  auto st = store.view([&](storage::ReadTxn& txn) -> Status {
    keys.clear();
    auto kids = list_keys(txn, tables::kSigningKeys);
    if (!kids) return fail(kids.error());
    for (const auto& kid : *kids) {
      auto key = get_record<StoredKey>(txn, tables::kSigningKeys, kid);
      if (!key) return fail(key.error());
      if (*key) keys.push_back(std::move(**key));
    }
    return {};
  });
  if (!st) return fail(st.error());
  return keys;
}

}  // namespace

Result<std::unique_ptr<KeyRing>> KeyRing::open(storage::KvStore& store, const Clock& clock, JwsAlg alg) {
  std::unique_ptr<KeyRing> ring(new KeyRing(store, clock, alg));
  if (auto st = ring->reload(); !st) return fail(st.error());
  if (ring->published_.empty() || ring->published_.front().alg() != alg) {
    if (auto r = ring->rotate(); !r) return fail(r.error());
  }
  return ring;
}

Status KeyRing::reload() {
  auto keys = load_all(store_);
  if (!keys) return fail(keys.error());
  int64_t now = clock_.now();
  std::sort(keys->begin(), keys->end(), [](const StoredKey& a, const StoredKey& b) {
    return a.created_at > b.created_at || (a.created_at == b.created_at && a.kid > b.kid);
  });
  std::vector<SigningKey> published;
  std::optional<SigningKey> active;
  for (const auto& k : *keys) {
    auto alg = parse_jws_alg(k.alg);
    if (!alg) return fail(Error::corruption("signing key " + k.kid + " has an unknown alg"));
    if (k.retired_at != 0 && k.retired_at + kOverlap <= now) continue;
    auto key = SigningKey::from_private_pem(*alg, k.private_pem);
    if (!key) return fail(key.error());
    if (!active && k.retired_at == 0 && *alg == alg_) {
      active = *key;
    } else {
      published.push_back(*key);
    }
  }
  if (active) published.insert(published.begin(), *active);
  std::unique_lock lock(mu_);
  published_ = std::move(published);
  return {};
}

Result<std::string> KeyRing::rotate() {
  auto key = SigningKey::generate(alg_);
  if (!key) return fail(key.error());
  int64_t now = clock_.now();
  StoredKey stored{key->kid(), jws_alg_name(alg_), key->private_pem(), now, 0};
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    // Retire every other active key; they stay published for kOverlap.
    auto kids = list_keys(txn, tables::kSigningKeys);
    if (!kids) return fail(kids.error());
    for (const auto& kid : *kids) {
      auto old = get_record<StoredKey>(txn, tables::kSigningKeys, kid);
      if (!old) return fail(old.error());
      if (*old && (*old)->retired_at == 0) {
        (*old)->retired_at = now;
        if (auto s = put_record(txn, tables::kSigningKeys, kid, **old); !s) return s;
      }
    }
    return put_record(txn, tables::kSigningKeys, stored.kid, stored);
  });
  if (!st) return fail(st.error());
  if (auto r = reload(); !r) return fail(r.error());
  return stored.kid;
}

SigningKey KeyRing::active() const {
  std::shared_lock lock(mu_);
  return published_.front();
}

nlohmann::json KeyRing::jwks() const {
  std::shared_lock lock(mu_);
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : published_) keys.push_back(k.public_jwk());
  return {{"keys", keys}};
}

std::vector<JwsAlg> KeyRing::algorithms() const {
  std::shared_lock lock(mu_);
  std::vector<JwsAlg> algs;
  for (const auto& k : published_) {
    if (std::find(algs.begin(), algs.end(), k.alg()) == algs.end()) algs.push_back(k.alg());
  }
  return algs;
}

}  // namespace passerelle
