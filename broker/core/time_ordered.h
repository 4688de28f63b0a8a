// Secrets and ids whose storage keys follow their creation order.
//
// A B-tree keyed by plain hashes puts every new record on a leaf page of its
// own, so each write copies and syncs pages all over the tree. Records made
// one after another are neighbours under these keys, and one group commit
// writes them on a few shared pages.
//
// A time-ordered token is base64url(creation second, 4 big-endian bytes ||
// sequence, 2 big-endian bytes || 32 random bytes), 51 characters. The
// sequence is a process-wide counter (from a random start, wrapping at
// 2^16) that orders the tokens of one second. Neither is secret; the 256
// random bits are. Its storage key is the second and the sequence in hex
// followed by the sha256 hex of the whole token, so only a hash of the
// secret is stored.
//
// Values handed out before keep their keys: a 48-character token (second ||
// 32 bytes, no sequence) is keyed by its second in hex and its sha256, and a
// plain random_token() (43 characters) by its bare sha256. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace passerelle {

// The next value of the process's sequence.
uint16_t next_token_sequence();

// A new token: the next sequence and 32 random bytes.
std::string time_ordered_token(int64_t now);
// The same layout around given parts (a successor derived by HMAC, whose
// sequence is kept so that it can be derived again).
std::string time_ordered_token(int64_t now, uint16_t sequence, std::string_view bytes32);
// The 48-character layout of before the sequence, around 32 given bytes.
std::string time_ordered_token_without_sequence(int64_t now, std::string_view bytes32);

// Where the record of a token handed out by the broker is stored.
std::string token_storage_key(std::string_view token);

// A record id that is not a secret: `prefix`, the creation second and the
// next sequence in hex, then 16 random bytes in hex.
std::string time_ordered_id(std::string_view prefix, int64_t now);

}  // namespace passerelle
