// Users that upstream logins bring: creation, later logins, opt-in linking
// by verified e-mail, blocking, and deletion, on a real LMDB store.
#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"

namespace passerelle {
namespace {

Identity github_identity(const std::string& email, bool verified) {
  Identity id;
  id.connection = "github";
  id.provider = "github";
  id.user_id = "583231";
  id.email = email;
  id.email_verified = verified;
  id.name = "Octo Cat";
  return id;
}

struct Bed : testing::BrokerFixture {
  FederatedUsers& users() { return broker->federated_users(); }
  std::string alice_id() { return (*broker->users().find_by_email("alice@example.test"))->id; }
  void verify_alice() {
    UserChanges verified;
    verified.email_verified = true;
    REQUIRE(broker->users().update(alice_id(), verified).has_value());
  }
};

TEST_CASE("federated users: the first login creates <provider>|<id>, later ones find it and refresh the profile") {
  Bed bed;
  auto first = bed.users().sign_in(github_identity("octo@example.test", true), false);
  REQUIRE(first.has_value());
  CHECK(first->created);
  CHECK(first->user.id == "github|583231");
  CHECK(first->user.email == "octo@example.test");
  CHECK(first->user.password_hash.empty());

  Identity renamed = github_identity("new@example.test", true);
  renamed.name = "Mona";
  auto second = bed.users().sign_in(renamed, false);
  REQUIRE(second.has_value());
  CHECK_FALSE(second->created);
  CHECK(second->user.id == "github|583231");
  CHECK(second->user.name == "Mona");
  CHECK(second->user.email == "new@example.test");
  CHECK(second->user.identities.size() == 1);
  // Its address is not the database connection's: password logins do not find it.
  CHECK_FALSE(bed.broker->users().find_by_email("new@example.test")->has_value());
}

TEST_CASE("federated users: linking by e-mail is off by default and needs both sides verified") {
  Bed bed;
  SUBCASE("off by default") {
    bed.verify_alice();
    auto r = bed.users().sign_in(github_identity("alice@example.test", true), false);
    REQUIRE(r.has_value());
    CHECK(r->user.id == "github|583231");
    CHECK_FALSE(r->linked);
    // Alice's own account keeps its e-mail index.
    CHECK((*bed.broker->users().find_by_email("alice@example.test"))->id == bed.alice_id());
  }
  SUBCASE("the IdP did not verify the address") {
    bed.verify_alice();
    auto r = bed.users().sign_in(github_identity("alice@example.test", false), true);
    REQUIRE(r.has_value());
    CHECK(r->created);
  }
  SUBCASE("the broker did not verify the address") {
    auto r = bed.users().sign_in(github_identity("alice@example.test", true), true);
    REQUIRE(r.has_value());
    CHECK(r->created);
  }
  SUBCASE("both verified and opted in") {
    bed.verify_alice();
    auto r = bed.users().sign_in(github_identity("ALICE@example.test", true), true);
    REQUIRE(r.has_value());
    CHECK(r->linked);
    CHECK(r->user.id == bed.alice_id());
    CHECK(r->user.email == "alice@example.test");  // a user with a password keeps her profile
    REQUIRE(r->user.identities.size() == 1);
    // The next login maps to her through the identity.
    auto again = bed.users().sign_in(github_identity("alice@example.test", true), false);
    REQUIRE(again.has_value());
    CHECK(again->user.id == bed.alice_id());
    CHECK_FALSE(again->linked);
  }
}

TEST_CASE("federated users: a blocked user is refused, a deleted one starts afresh") {
  Bed bed;
  REQUIRE(bed.users().sign_in(github_identity("octo@example.test", true), false).has_value());
  UserChanges block;
  block.blocked = true;
  REQUIRE(bed.broker->users().update("github|583231", block).has_value());
  auto refused = bed.users().sign_in(github_identity("octo@example.test", true), false);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().is(ErrorCode::kExpired));

  REQUIRE(bed.broker->users().remove("github|583231").has_value());
  auto fresh = bed.users().sign_in(github_identity("octo@example.test", true), false);
  REQUIRE(fresh.has_value());
  CHECK(fresh->created);
  CHECK_FALSE(fresh->user.blocked);
}

TEST_CASE("federated users: deleting a user who shares an address leaves the owner's index alone") {
  Bed bed;
  REQUIRE(bed.users().sign_in(github_identity("alice@example.test", true), false).has_value());
  REQUIRE(bed.broker->users().remove("github|583231").has_value());
  auto alice = bed.broker->users().find_by_email("alice@example.test");
  REQUIRE(alice.has_value());
  CHECK(alice->has_value());
}

}  // namespace
}  // namespace passerelle
