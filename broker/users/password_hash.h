// Password hashing with Argon2id (RFC 9106), in the PHC string format
// "$argon2id$v=19$m=...,t=...,p=...$salt$hash", so the cost travels with each
// hash and can be raised later without breaking stored ones.
// Stateless and thread-safe; each call uses `memory_kib` of memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "passerelle/result.h"

namespace passerelle {

// RFC 9106 §4, second recommended option ("if much less memory is
// available"): t=3 passes over m=64 MiB. The first option wants 2 GiB per
// hash, which a login endpoint serving concurrent requests cannot afford.
// The RFC pairs it with p=4 lanes; we use one, because concurrent logins
// already keep the cores busy, and the attacker's cost is set by t and m,
// not by how many threads the defender spends.
struct PasswordHashCost {
  uint32_t time_cost = 3;
  uint32_t memory_kib = 65536;
  uint32_t parallelism = 1;
};

// Hashes `password` with a fresh 16-byte random salt and a 32-byte tag
// (RFC 9106 §4: 128-bit salt, 256-bit tag). Fails with kInvalidArgument when
// the cost is outside what Argon2 accepts (e.g. memory below 8 KiB per lane),
// kUnavailable when the memory cannot be allocated.
Result<std::string> hash_password(std::string_view password, const PasswordHashCost& cost = {});

// True iff `encoded` is an Argon2id PHC string and `password` matches it; the
// final comparison is constant-time (libargon2). False, never an exception,
// for a malformed or non-Argon2id string.
bool verify_password(std::string_view password, std::string_view encoded);

}  // namespace passerelle
