// Revoked access tokens. Access tokens are self-contained JWTs; the broker's
// own resource endpoints (userinfo, management) also check this list, kept
// until the token would have expired anyway. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/kv_store.h"

namespace passerelle {

Status revoke_access_token(storage::WriteTxn& txn, std::string_view jti, int64_t expires_at);
Result<bool> is_access_token_revoked(storage::KvStore& store, std::string_view jti);

}  // namespace passerelle
