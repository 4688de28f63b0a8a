#include "preload.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/clock.h"
#include "core/encoding.h"
#include "core/secrets.h"
#include "session/broker_session.h"
#include "session/session_store.h"
#include "store/tables.h"
#include "tokens/refresh_token_store.h"
#include "users/password_hash.h"
#include "users/user.h"
#include "users/user_store.h"

namespace passerelle::bench {
namespace {

using Seconds = std::chrono::duration<double>;
constexpr const char* kDefaultDatabase = "Username-Password-Authentication";

// What every record of one run shares.
struct RunContext {
  const PreloadSpec& spec;
  const ClientConfig& client;
  std::string password_hash;
  std::string connection;  // the database connection a password login names
  std::string id_prefix;   // random per run, so two runs' users never collide
  int64_t now = 0;
  int64_t idle_lifetime = 0;
  int64_t absolute_lifetime = 0;
};

// User ids have the shape UserStore::create gives them ("user_" and 24 hex
// digits), made of a per-run prefix and the index, so that a session of a
// later batch finds its user's id without keeping a million of them.
std::string user_id(const RunContext& run, size_t i) {
  std::string index(6, '\0');
  for (int b = 5; b >= 0; --b) index[b] = static_cast<char>((i >> (8 * (5 - b))) & 0xff);
  return "user_" + run.id_prefix + hex_encode(index);
}

std::string user_email(const RunContext& run, size_t i) {
  return "user" + std::to_string(i) + "@" + run.spec.email_domain;
}

// A database user as UserStore::create makes one, with the shared hash.
Status put_user(storage::WriteTxn& txn, const RunContext& run, size_t i) {
  User user;
  user.id = user_id(run, i);
  user.email = user_email(run, i);
  user.password_hash = run.password_hash;
  user.created_at = run.now;
  user.credentials_changed_at = run.now;
  user.updated_at = run.now;
  auto st = UserStore::insert(txn, user);
  if (!st && st.error().code == ErrorCode::kAlreadyExists) {
    return fail(Error::already_exists("preload: " + user.email + " exists: preload once per data_dir"));
  }
  return st;
}

// As SessionStore::login writes the session of a password login, with the
// bench client already joined (as its first /authorize does). Returns the
// session's public id, which the families of this session carry.
Result<std::string> put_session(storage::WriteTxn& txn, const RunContext& run, size_t i) {
  BrokerSession s;
  s.sid = random_token();
  s.user_id = user_id(run, i);
  s.authenticated = true;
  s.created_at = run.now;
  s.last_seen_at = run.now;
  s.auth_time = run.now;
  s.idle_expires_at = run.now + run.idle_lifetime;
  s.absolute_expires_at = run.now + run.absolute_lifetime;
  s.amr = {"pwd"};
  s.connection = run.connection;
  s.clients = {run.client.client_id};
  const std::string key = SessionStore::storage_key(random_token());
  if (auto st = SessionStore::write(txn, key, s); !st) return fail(st.error());
  return s.sid;
}

// The family a code exchange starts, through the token store itself.
Status put_family(storage::WriteTxn& txn, RefreshTokenStore& tokens, const RunContext& run, size_t i,
                  const std::string& sid) {
  RefreshFamily family;
  family.client_id = run.client.client_id;
  family.user_id = user_id(run, i);
  family.sid = sid;
  family.scope = run.spec.scope;
  family.auth_time = run.now;
  family.amr = {"pwd"};
  auto issued = tokens.issue_in(txn, std::move(family), run.client.refresh_token);
  if (!issued) return fail(issued.error());
  return {};
}

// Records [first, last) of each kind in one write transaction: user i,
// then session i of that user, then family i of that session.
Status write_batch(storage::KvStore& store, RefreshTokenStore& tokens, const RunContext& run, size_t first,
                   size_t last) {
  return store.update([&](storage::WriteTxn& txn) -> Status {
    for (size_t i = first; i < last; ++i) {
      if (i < run.spec.users) {
        if (auto st = put_user(txn, run, i); !st) return st;
      }
      if (i >= run.spec.sessions) continue;
      auto sid = put_session(txn, run, i);
      if (!sid) return fail(sid.error());
      if (i < run.spec.families) {
        if (auto st = put_family(txn, tokens, run, i, *sid); !st) return st;
      }
    }
    return {};
  });
}

Result<RunContext> prepare(const Config& config, const PreloadSpec& spec) {
  if (spec.sessions > spec.users || spec.families > spec.sessions) {
    return fail(Error::invalid_argument("preload: each session needs its user and each family its session "
                                        "(families <= sessions <= users)"));
  }
  if (spec.batch == 0) return fail(Error::invalid_argument("preload: the batch size must be positive"));
  const ClientConfig* client = config.find_client(spec.client_id);
  if (spec.families > 0 && (!client || !client->allows_grant("refresh_token"))) {
    return fail(Error::invalid_argument("preload: client '" + spec.client_id +
                                        "' is not in the config or does not allow refresh_token"));
  }
  static const ClientConfig kNoClient;
  RunContext run{spec, client ? *client : kNoClient, "", kDefaultDatabase, hex_encode(random_bytes(6))};
  for (const auto& c : config.connections) {
    if (c.strategy == "database") {
      run.connection = c.name;
      break;
    }
  }
  run.idle_lifetime = config.session_idle_lifetime;
  run.absolute_lifetime = config.session_absolute_lifetime;
  return run;
}

}  // namespace

Result<PreloadSummary> preload(storage::KvStore& store, const Config& config, const PreloadSpec& spec) {
  auto run = prepare(config, spec);
  if (!run) return fail(run.error());
  PreloadSummary summary;
  auto started = std::chrono::steady_clock::now();
  // One Argon2id hash at the broker's default cost for every user: the
  // records are as the broker writes them, without a million hashings.
  auto hash = hash_password(spec.password);
  if (!hash) return fail(hash.error());
  run->password_hash = *hash;
  auto hashed = std::chrono::steady_clock::now();
  summary.hash_seconds = Seconds(hashed - started).count();

  SystemClock clock;
  run->now = clock.now();
  RefreshTokenStore tokens(store, clock);
  const size_t total = spec.users;
  for (size_t first = 0; first < total; first += spec.batch) {
    const size_t last = std::min(total, first + spec.batch);
    if (auto st = write_batch(store, tokens, *run, first, last); !st) return fail(st.error());
    summary.transactions++;
    summary.users = std::min(last, spec.users);
    summary.sessions = std::min(last, spec.sessions);
    summary.families = std::min(last, spec.families);
    if (summary.transactions % 20 == 0) {
      std::fprintf(stderr, "preload: %zu of %zu\n", last, total);
    }
  }
  summary.write_seconds = Seconds(std::chrono::steady_clock::now() - hashed).count();
  return summary;
}

}  // namespace passerelle::bench
