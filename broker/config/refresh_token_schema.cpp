// The "refresh_token" object of a client (R7), read over a base policy so the
// same code serves the config file (base: a new application's defaults) and a
// management PATCH (base: the stored policy).
#include "config/sections.h"

namespace passerelle {
namespace config_sections {
namespace {

void check_consistency(const JsonReader& r, const RefreshTokenPolicy& p) {
  // A non-expiring policy with a finite lifetime would be read two ways by
  // the token code; refuse it rather than guess.
  if (!p.expiring && !p.infinite_token_lifetime) {
    throw_at(r.path_of("infinite_token_lifetime"), "must be true when expiration_type is \"non-expiring\"");
  }
  if (!p.expiring && !p.infinite_idle_token_lifetime) {
    throw_at(r.path_of("infinite_idle_token_lifetime"),
             "must be true when expiration_type is \"non-expiring\"");
  }
  // An idle window longer than the absolute one could never be reached: a
  // mistake when given, while the default idle lifetime (15 days) next to a
  // shorter absolute one is simply moot.
  if (r.has("idle_token_lifetime") && p.expiring && !p.infinite_token_lifetime &&
      !p.infinite_idle_token_lifetime && p.idle_token_lifetime > p.token_lifetime) {
    throw_at(r.path_of("idle_token_lifetime"), "must not exceed token_lifetime");
  }
  // R6, seed 004: "if rotation is enabled, a lifetime must be set".
  if (p.rotating && !p.expiring) {
    throw_at(r.path_of("rotation_type"), "\"rotating\" requires expiration_type \"expiring\"");
  }
  if (p.rotating && p.infinite_token_lifetime && p.infinite_idle_token_lifetime) {
    throw_at(r.path_of("rotation_type"),
             "\"rotating\" requires a finite token_lifetime or idle_token_lifetime");
  }
}

}  // namespace

RefreshTokenPolicy read_refresh_token(const nlohmann::json& value, const std::string& path,
                                      const RefreshTokenPolicy& base, int64_t max_lifetime) {
  JsonReader r(value, path,
               {"rotation_type", "expiration_type", "token_lifetime", "infinite_token_lifetime",
                "idle_token_lifetime", "infinite_idle_token_lifetime", "leeway"});
  RefreshTokenPolicy p = base;
  if (auto i = r.choice("rotation_type", {"rotating", "non-rotating"})) p.rotating = (*i == 0);
  if (auto i = r.choice("expiration_type", {"expiring", "non-expiring"})) {
    bool expiring = (*i == 0);
    // Switching the expiration type moves the infinite flags with it unless
    // they are given: "expiring" alone means "apply the lifetimes".
    if (expiring != p.expiring) p.infinite_token_lifetime = p.infinite_idle_token_lifetime = !expiring;
    p.expiring = expiring;
  }
  if (auto b = r.boolean("infinite_token_lifetime")) p.infinite_token_lifetime = *b;
  if (auto b = r.boolean("infinite_idle_token_lifetime")) p.infinite_idle_token_lifetime = *b;
  // R5: both lifetimes from 1 s to the deployment's maximum.
  if (auto n = r.integer("token_lifetime", 1, max_lifetime)) p.token_lifetime = *n;
  if (auto n = r.integer("idle_token_lifetime", 1, max_lifetime)) p.idle_token_lifetime = *n;
  if (auto n = r.integer("leeway", 0, max_lifetime)) p.leeway = *n;
  check_consistency(r, p);
  return p;
}

}  // namespace config_sections

Result<RefreshTokenPolicy> parse_refresh_token_policy(const nlohmann::json& value,
                                                      const RefreshTokenPolicy& base, int64_t max_lifetime,
                                                      const std::string& path) {
  try {
    return config_sections::read_refresh_token(value, path, base, max_lifetime);
  } catch (const JsonReadError& e) {
    return fail(Error::invalid_argument(e.what()));
  } catch (const std::exception& e) {
    return fail(Error::internal(std::string("refresh_token policy: ") + e.what()));
  }
}

}  // namespace passerelle

namespace passerelle {

nlohmann::json refresh_token_policy_json(const RefreshTokenPolicy& p) {
  return {{"rotation_type", p.rotating ? "rotating" : "non-rotating"},
          {"expiration_type", p.expiring ? "expiring" : "non-expiring"},
          {"token_lifetime", p.token_lifetime},
          {"infinite_token_lifetime", p.infinite_token_lifetime},
          {"idle_token_lifetime", p.idle_token_lifetime},
          {"infinite_idle_token_lifetime", p.infinite_idle_token_lifetime},
          {"leeway", p.leeway}};
}

}  // namespace passerelle
