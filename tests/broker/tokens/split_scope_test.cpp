// A scope parameter read into its scope tokens (RFC 6749 §3.3).
#include <doctest/doctest.h>

#include "tokens/token_issuer.h"

namespace passerelle {
namespace {

using Scopes = std::vector<std::string>;

TEST_CASE("split_scope: tokens between blanks, blanks of any kind and number skipped") {
  CHECK(split_scope("openid profile email") == Scopes{"openid", "profile", "email"});
  CHECK(split_scope("  openid\t offline_access\r\n") == Scopes{"openid", "offline_access"});
  CHECK(split_scope("read:clients\vwrite:clients\fx") == Scopes{"read:clients", "write:clients", "x"});
  CHECK(split_scope("openid") == Scopes{"openid"});
}

TEST_CASE("split_scope: nothing but blanks is no scope") {
  CHECK(split_scope("").empty());
  CHECK(split_scope(" \t ").empty());
}

}  // namespace
}  // namespace passerelle
