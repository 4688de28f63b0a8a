#include "users/password_hash.h"

#include <doctest/doctest.h>

namespace passerelle {
namespace {

// Cheap enough for a unit test; the production cost is the default.
const PasswordHashCost kTestCost{1, 1024, 1};

}  // namespace

TEST_CASE("password hash: round trip, wrong password, fresh salt") {
  Result<std::string> hash = hash_password("correct horse battery staple", kTestCost);
  REQUIRE(hash.has_value());
  CHECK(hash->rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0) == 0);
  CHECK(verify_password("correct horse battery staple", *hash));
  CHECK_FALSE(verify_password("correct horse battery stapl", *hash));
  CHECK_FALSE(verify_password("", *hash));

  Result<std::string> again = hash_password("correct horse battery staple", kTestCost);
  REQUIRE(again.has_value());
  CHECK(*again != *hash);
  CHECK(verify_password("correct horse battery staple", *again));
}

TEST_CASE("password hash: the default cost is RFC 9106's second option with one lane") {
  PasswordHashCost cost;
  CHECK(cost.time_cost == 3);
  CHECK(cost.memory_kib == 65536);
  CHECK(cost.parallelism == 1);
}

TEST_CASE("password hash: passwords with NUL bytes and non-ASCII text") {
  const std::string with_nul("ab\0cd", 5);
  Result<std::string> hash = hash_password(with_nul, kTestCost);
  REQUIRE(hash.has_value());
  CHECK(verify_password(with_nul, *hash));
  CHECK_FALSE(verify_password("ab", *hash));

  Result<std::string> accented = hash_password("mot de passe à accents", kTestCost);
  REQUIRE(accented.has_value());
  CHECK(verify_password("mot de passe à accents", *accented));
}

TEST_CASE("password hash: malformed or foreign encodings never verify") {
  Result<std::string> hash = hash_password("pw", kTestCost);
  REQUIRE(hash.has_value());
  std::string with_nul = *hash;
  with_nul.insert(with_nul.size() - 2, 1, '\0');
  const std::string rows[] = {
      "",
      "pw",
      "$argon2id$",
      "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaA",
      "$argon2id$v=19$m=1024,t=1,p=1$!!!$???",
      hash->substr(0, hash->size() - 5),
      with_nul,
  };
  for (const std::string& encoded : rows) {
    CAPTURE(encoded);
    CHECK_FALSE(verify_password("pw", encoded));
  }
}

TEST_CASE("password hash: an impossible cost is an error, not a crash") {
  Result<std::string> hash = hash_password("pw", PasswordHashCost{1, 1, 1});  // below 8 KiB per lane
  REQUIRE_FALSE(hash.has_value());
  CHECK(hash.error().code == ErrorCode::kInvalidArgument);
}

}  // namespace passerelle
