// The direct record codec writes the bytes of the general path (MessagePack
// of a JSON tree) for every record type that uses it, reads them back, and
// leaves to the general path every record outside the common case, which
// then decodes (or rejects) it as before.
#include "store/record_codec.h"

#include <doctest/doctest.h>

#include "oidc/code_store.h"
#include "session/broker_session.h"
#include "storage/record.h"
#include "store/typed_record.h"
#include "tokens/refresh_token_store.h"
#include "users/user.h"

namespace passerelle {
namespace {

std::string general(const nlohmann::json& body, uint32_t version = 1) {
  return storage::encode_record(version, body);
}

std::vector<std::string> many(size_t count, const std::string& stem) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.push_back(stem + std::to_string(i));
  return out;
}

BrokerSession a_session() {
  BrokerSession s;
  s.sid = "sid-1";
  s.user_id = "user_0123456789abcdef0123456789abcdef";  // 37 bytes: str8
  s.authenticated = true;
  s.created_at = 1'790'000'000;
  s.last_seen_at = 1'790'000'100;
  s.auth_time = -5;  // negative fixint
  s.idle_expires_at = 1'790'086'500;
  s.absolute_expires_at = 9'000'000'000;  // uint64
  s.amr = {"pwd", "otp"};
  s.connection = std::string(300, 'c');  // str16
  s.clients = many(20, "client-");       // array16
  s.mfa_time = -40'000;                  // int32
  s.mfa_method = "otp";
  s.revoked_at = 0;
  return s;
}

User a_user() {
  User u;
  u.id = "github|42";
  u.email = "ada@example.test";
  u.email_verified = true;
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$" + std::string(60, 'h');
  u.roles = {"admin"};
  u.created_at = 1'790'000'000;
  u.blocked = false;
  u.identities = {{"github", "github", "42"}, {"google", "oidc", std::string(40, '9')}};
  u.picture = "https://example.test/ada.png";
  return u;
}

AuthorizationCode a_code() {
  AuthorizationCode c;
  c.client_id = "web";
  c.redirect_uri = "https://app.example.test/callback";
  c.user_id = "user_1";
  c.scope = "openid profile email offline_access";
  c.nonce = "n-0S6_WzA2Mj";
  c.code_challenge = std::string(43, 'E');
  c.auth_time = 1'790'000'000;
  c.amr = {"pwd"};
  c.expires_at = 1'790'000'060;
  c.redeemed = true;
  return c;
}

RefreshFamily a_family() {
  RefreshFamily f;
  f.id = "rtf_6a9b1c0000112233445566778899aabbccddeeff";
  f.secret = std::string(64, 'a');
  f.client_id = "web";
  f.user_id = "user_1";
  f.scope = "openid offline_access";
  f.auth_time = 1'790'000'000;
  f.amr = {"pwd"};
  f.rotating = true;
  f.absolute_expires_at = 1'792'592'000;
  f.idle_lifetime = 1'296'000;
  f.leeway = 3;
  f.last_access_jti = "jti-1";
  return f;
}

// The direct bytes are the general path's bytes, and both read them back
// to the same record.
template <class T>
void check_round_trip(const T& record) {
  std::string direct = record_codec::encode(1, record);
  CHECK(direct == general(nlohmann::json(record)));
  auto back = record_codec::decode<T>(direct);
  REQUIRE(back.has_value());
  CHECK(nlohmann::json(*back) == nlohmann::json(record));
  auto typed = decode_record_as<T>("table", direct);
  REQUIRE(typed.has_value());
  CHECK(nlohmann::json(*typed) == nlohmann::json(record));
}

TEST_CASE("record codec: same bytes as the general path, read back, for every record type that uses it") {
  SUBCASE("session") {
    check_round_trip(a_session());
  }
  SUBCASE("user, with nested identities") {
    check_round_trip(a_user());
  }
  SUBCASE("authorization code") {
    check_round_trip(a_code());
  }
  SUBCASE("refresh family") {
    check_round_trip(a_family());
  }
  SUBCASE("refresh token") {
    check_round_trip(StoredRefreshToken{"rtf_1", 1'790'000'000, 0, 1'790'000'010});
  }
  SUBCASE("defaults") {
    check_round_trip(BrokerSession{});
    check_round_trip(User{});
    check_round_trip(RefreshFamily{});
  }
  SUBCASE("put_record writes them") {
    CHECK(encode_record_as(a_family()) == general(nlohmann::json(a_family())));
    CHECK(encode_record_as(a_family(), 7) == general(nlohmann::json(a_family()), 7));
  }
}

TEST_CASE("record codec: the common cases it reads itself") {
  SUBCASE("a field missing from the bytes keeps its default, as in the general path") {
    nlohmann::json body = a_session();
    body.erase("mfa_method");
    body.erase("clients");
    auto direct = record_codec::decode<BrokerSession>(general(body));
    REQUIRE(direct.has_value());
    CHECK(direct->mfa_method.empty());
    CHECK(direct->clients.empty());
    CHECK(direct->sid == "sid-1");
  }
  SUBCASE("another version: ignored, as the general path ignores it") {
    auto direct = record_codec::decode<RefreshFamily>(general(a_family(), 3));
    REQUIRE(direct.has_value());
    CHECK(direct->id == a_family().id);
  }
  SUBCASE("a value in a larger form than needed") {
    // {"family_id": "f", "used_at": 5 as uint32}: valid MessagePack, not the smallest form.
    constexpr char kBytes[] =
        "\x92\x01\x82\xA9"
        "family_id"
        "\xA1"
        "f"
        "\xA7"
        "used_at"
        "\xCE\x00\x00\x00\x05";
    std::string bytes(kBytes, sizeof kBytes - 1);
    auto direct = record_codec::decode<StoredRefreshToken>(bytes);
    REQUIRE(direct.has_value());
    CHECK(direct->used_at == 5);
    CHECK(direct->family_id == "f");
  }
}

TEST_CASE("record codec: outside the common case the general path decides, as before") {
  struct Row {
    const char* what;
    nlohmann::json body;
    bool general_reads_it;
  };
  nlohmann::json unknown = a_family();
  unknown["added_later"] = "x";
  nlohmann::json wrong_kind = a_family();
  wrong_kind["created_at"] = "yesterday";
  nlohmann::json a_float = a_family();
  a_float["leeway"] = 2.5;
  nlohmann::json a_null = a_family();
  a_null["acr"] = nullptr;
  const Row rows[] = {
      {"a field the struct does not know", unknown, true},
      {"a string where a number belongs", wrong_kind, false},
      {"a float where an integer belongs", a_float, true},
      {"null for a string", a_null, false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    std::string bytes = general(row.body);
    CHECK_FALSE(record_codec::decode<RefreshFamily>(bytes).has_value());
    auto typed = decode_record_as<RefreshFamily>("refresh_families", bytes);
    CHECK(typed.has_value() == row.general_reads_it);
    if (!typed) CHECK(typed.error().is(ErrorCode::kCorruption));
  }

  SUBCASE("trailing bytes, a cut record, a negative version: kCorruption") {
    std::string whole = general(nlohmann::json(a_family()));
    for (const std::string& bytes :
         {whole + "x", whole.substr(0, whole.size() - 1), std::string("\x92\xFF\x80", 3)}) {
      CHECK_FALSE(record_codec::decode<RefreshFamily>(bytes).has_value());
      auto typed = decode_record_as<RefreshFamily>("refresh_families", bytes);
      REQUIRE_FALSE(typed.has_value());
      CHECK(typed.error().is(ErrorCode::kCorruption));
    }
  }
}

}  // namespace
}  // namespace passerelle
