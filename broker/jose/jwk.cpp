#include "jose/jwk.h"

#include <span>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {

Result<std::string> jwk_thumbprint(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return fail(Error::invalid_argument("jwk: not a JSON object"));
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return fail(Error::invalid_argument("jwk: missing kty"));
  static constexpr const char* kRsa[] = {"e", "kty", "n"};
  static constexpr const char* kEc[] = {"crv", "kty", "x", "y"};
  static constexpr const char* kOkp[] = {"crv", "kty", "x"};
  std::span<const char* const> members;
  if (*kty == "RSA") {
    members = kRsa;
  } else if (*kty == "EC") {
    members = kEc;
  } else if (*kty == "OKP") {
    members = kOkp;
  } else {
    return fail(Error::invalid_argument("jwk: unsupported kty"));
  }
  // nlohmann::json keeps object members sorted and dump() writes no
  // whitespace, which is exactly the RFC 7638 §3.3 canonical form for these
  // ASCII-only members.
  nlohmann::json required = nlohmann::json::object();
  for (const char* name : members) {
    auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
      return fail(Error::invalid_argument(std::string("jwk: missing member ") + name));
    }
    required[name] = *it;
  }
  try {
    return base64url_encode(sha256(required.dump()));
  } catch (const nlohmann::json::exception&) {
    return fail(Error::invalid_argument("jwk: member is not valid UTF-8"));
  }
}

}  // namespace passerelle
