// Secrets and ids whose storage keys follow their creation time.
//
// A B-tree keyed by plain hashes puts every new record on a leaf page of its
// own, so on a large store each write copies and syncs pages all over the
// tree. Records made in the same second are neighbours under these keys, and
// one group commit writes them on a few shared pages.
//
// A time-ordered token is base64url(creation second as 4 big-endian bytes ||
// 32 random bytes), 48 characters; the time is not secret, the 256 random
// bits are. Its storage key is that second in hex followed by the sha256 hex
// of the whole token, so only a hash of the secret is stored. A plain
// random_token() (43 characters) keeps its plain sha256 key: values handed
// out before this layout still find their records. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace passerelle {

std::string time_ordered_token(int64_t now);
// The same layout around 32 given bytes (a successor derived by HMAC).
std::string time_ordered_token(int64_t now, std::string_view bytes32);

// Where the record of a token handed out by the broker is stored.
std::string token_storage_key(std::string_view token);

// A record id that is not a secret: `prefix`, the creation second in hex,
// then 16 random bytes in hex.
std::string time_ordered_id(std::string_view prefix, int64_t now);

}  // namespace passerelle
