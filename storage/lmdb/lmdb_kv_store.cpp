#include "storage/lmdb/lmdb_kv_store.h"

#include <lmdb.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <system_error>

#include "storage/call_guarded.h"
#include "storage/lmdb/data_file_tail.h"
#include "storage/lmdb/group_commit.h"
#include "storage/speculative_txn.h"

namespace passerelle::storage {
namespace {

// LMDB's compile-time MDB_MAXKEYSIZE default, which the interface promises.
constexpr size_t kMaxKeySize = 511;
// Named databases beyond the configured tables, so that a table added by a
// later version can be opened without touching this limit.
constexpr unsigned kSpareDbs = 4;
constexpr unsigned kMaxReaders = 2048;  // 64 bytes each in the lock file
// A transaction is retried after growing or adopting the map. Doubling from
// any sane initial size reaches any sane maximum well within this many tries;
// the bound only turns a logic error into an error instead of a hang.
constexpr int kMaxAttempts = 64;

using DbiMap = std::map<std::string, MDB_dbi, std::less<>>;

Error lmdb_error(const char* what, int rc) {
  std::string message = std::string("lmdb: ") + what + ": " + mdb_strerror(rc);
  if (rc == MDB_BAD_VALSIZE) return Error::invalid_argument(std::move(message));
  return Error::unavailable(std::move(message));
}

MDB_val to_val(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}
std::string_view to_view(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

Status check_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeySize) {
    return fail(Error::invalid_argument("storage: key length must be 1.." + std::to_string(kMaxKeySize) +
                                        " bytes, got " + std::to_string(key.size())));
  }
  return {};
}

struct CursorCloser {
  void operator()(MDB_cursor* cursor) const { mdb_cursor_close(cursor); }
};
struct EnvCloser {
  void operator()(MDB_env* env) const { mdb_env_close(env); }
};
using EnvPtr = std::unique_ptr<MDB_env, EnvCloser>;

// Serves both kinds of transaction: view() hands it out as a ReadTxn only.
class LmdbTxn final : public WriteTxn {
 public:
  LmdbTxn(MDB_txn* txn, const DbiMap& dbis) : txn_(txn), dbis_(dbis) {}

  // True once a write failed because the map is full: LMDB has then marked
  // the transaction as failed, and the store must grow the map and rerun it.
  bool map_full() const { return map_full_; }

  Result<std::optional<std::string>> get(std::string_view table, std::string_view key) override {
    auto dbi = find_dbi(table);
    if (!dbi) return fail(dbi.error());
    if (auto ok = check_key(key); !ok) return fail(ok.error());
    MDB_val k = to_val(key), v{};
    int rc = mdb_get(txn_, *dbi, &k, &v);
    if (rc == MDB_NOTFOUND) return std::nullopt;
    if (rc != 0) return fail(lmdb_error("get", rc));
    return std::string(to_view(v));
  }

  Status scan_prefix(std::string_view table, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    auto dbi = find_dbi(table);
    if (!dbi) return fail(dbi.error());
    if (prefix.size() > kMaxKeySize) return {};  // no key can start with it
    MDB_cursor* raw = nullptr;
    if (int rc = mdb_cursor_open(txn_, *dbi, &raw); rc != 0) return fail(lmdb_error("open cursor", rc));
    std::unique_ptr<MDB_cursor, CursorCloser> cursor(raw);
    MDB_val k = to_val(prefix), v{};
    int rc = mdb_cursor_get(raw, &k, &v, prefix.empty() ? MDB_FIRST : MDB_SET_RANGE);
    for (; rc == 0; rc = mdb_cursor_get(raw, &k, &v, MDB_NEXT)) {
      std::string_view key = to_view(k);
      if (!key.starts_with(prefix) || !visit(key, to_view(v))) return {};
    }
    if (rc != MDB_NOTFOUND) return fail(lmdb_error("scan", rc));
    return {};
  }

  // LMDB keeps each table's entry count in its root page: no scan.
  Result<uint64_t> count(std::string_view table) override {
    auto dbi = find_dbi(table);
    if (!dbi) return fail(dbi.error());
    MDB_stat stat{};
    if (int rc = mdb_stat(txn_, *dbi, &stat); rc != 0) return fail(lmdb_error("stat", rc));
    return static_cast<uint64_t>(stat.ms_entries);
  }

  Status put(std::string_view table, std::string_view key, std::string_view value) override {
    auto dbi = find_dbi(table);
    if (!dbi) return fail(dbi.error());
    if (auto ok = check_key(key); !ok) return ok;
    MDB_val k = to_val(key), v = to_val(value);
    return write_result("put", mdb_put(txn_, *dbi, &k, &v, 0));
  }

  Status del(std::string_view table, std::string_view key) override {
    auto dbi = find_dbi(table);
    if (!dbi) return fail(dbi.error());
    if (auto ok = check_key(key); !ok) return ok;
    MDB_val k = to_val(key);
    int rc = mdb_del(txn_, *dbi, &k, nullptr);
    return write_result("delete", rc == MDB_NOTFOUND ? 0 : rc);
  }

 private:
  Result<MDB_dbi> find_dbi(std::string_view table) const {
    auto it = dbis_.find(table);
    if (it == dbis_.end())
      return fail(Error::invalid_argument("storage: unknown table " + std::string(table)));
    return it->second;
  }

  Status write_result(const char* what, int rc) {
    if (rc == 0) return {};
    if (rc == MDB_MAP_FULL) map_full_ = true;
    return fail(lmdb_error(what, rc));
  }

  MDB_txn* txn_;
  const DbiMap& dbis_;
  bool map_full_ = false;
};

class LmdbKvStore final : public KvStore {
 public:
  LmdbKvStore(EnvPtr env, const LmdbOptions& options)
      : env_(std::move(env)),
        max_map_size_(options.max_map_size),
        durable_(options.durable),
        commits_(options.max_batch, {options.on_queued, options.on_batch},
                 [this](const Batch& batch) { run_batch(batch); }) {
    MDB_stat stat{};
    mdb_env_stat(env_.get(), &stat);
    page_size_ = stat.ms_psize;
    mdb_env_get_fd(env_.get(), &data_fd_);
  }

  Status open_tables(const std::vector<std::string>& tables);
  Status view(const std::function<Status(ReadTxn&)>& fn) override;
  Status update(const std::function<Status(WriteTxn&)>& fn) override;

 private:
  // kApplyFailed: a run made ahead failed while applied straight into the
  // batch's transaction, after some of its writes perhaps; the batch runs
  // again with every function in a nested transaction.
  enum class Outcome { kDone, kMapFull, kMapResized, kApplyFailed };

  using Batch = std::vector<GroupCommitQueue::Entry*>;
  void run_batch(const Batch& batch);
  Result<Outcome> attempt_batch(const Batch& batch, bool all_nested, size_t* map_size_seen);
  Result<Outcome> attempt_open_tables(const std::vector<std::string>& tables, size_t* map_size_seen);
  Status recover(Outcome outcome, size_t map_size_seen);
  Status grow_map(size_t map_size_seen);
  Status adopt_map_size();
  MDB_envinfo env_info() {
    MDB_envinfo info{};
    mdb_env_info(env_.get(), &info);
    return info;
  }
  size_t map_size() { return env_info().me_mapsize; }
  void keep_tail_ahead();

  EnvPtr env_;
  DbiMap dbis_;  // filled by open_tables before the store is shared, then read-only
  size_t max_map_size_;
  size_t page_size_ = 4096;
  bool durable_;
  int data_fd_ = -1;  // LMDB's own descriptor of its data file
  // mdb_env_set_mapsize requires that no transaction of this process is
  // active: every transaction holds this shared, a resize holds it exclusive.
  std::shared_mutex resize_mutex_;
  GroupCommitQueue commits_;
};

Status LmdbKvStore::open_tables(const std::vector<std::string>& tables) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    size_t seen = 0;
    auto outcome = attempt_open_tables(tables, &seen);
    if (!outcome) return fail(outcome.error());
    if (*outcome == Outcome::kDone) return {};
    if (auto ok = recover(*outcome, seen); !ok) return ok;
  }
  return fail(Error::unavailable("lmdb: could not open the tables after growing the map"));
}

// All tables are created in one transaction: handles opened in a transaction
// become usable by others only once it commits.
Result<LmdbKvStore::Outcome> LmdbKvStore::attempt_open_tables(const std::vector<std::string>& tables,
                                                              size_t* map_size_seen) {
  std::shared_lock lock(resize_mutex_);
  *map_size_seen = map_size();
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_.get(), nullptr, 0, &txn);
  if (rc == MDB_MAP_RESIZED) return Outcome::kMapResized;
  if (rc != 0) return fail(lmdb_error("begin transaction", rc));
  DbiMap dbis;
  for (const std::string& table : tables) {
    MDB_dbi dbi = 0;
    rc = mdb_dbi_open(txn, table.c_str(), MDB_CREATE, &dbi);
    if (rc != 0) {
      mdb_txn_abort(txn);
      if (rc == MDB_MAP_FULL) return Outcome::kMapFull;
      return fail(lmdb_error("open table", rc));
    }
    dbis.emplace(table, dbi);
  }
  rc = mdb_txn_commit(txn);
  if (rc == MDB_MAP_FULL) return Outcome::kMapFull;
  if (rc != 0) return fail(lmdb_error("commit", rc));
  dbis_ = std::move(dbis);
  return Outcome::kDone;
}

Status LmdbKvStore::view(const std::function<Status(ReadTxn&)>& fn) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    std::shared_lock lock(resize_mutex_);
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env_.get(), nullptr, MDB_RDONLY, &txn);
    if (rc == MDB_MAP_RESIZED) {
      lock.unlock();
      if (auto ok = adopt_map_size(); !ok) return ok;
      continue;
    }
    if (rc != 0) return fail(lmdb_error("begin read transaction", rc));
    LmdbTxn read(txn, dbis_);
    Status result = call_guarded(fn, static_cast<ReadTxn&>(read));
    mdb_txn_abort(txn);  // ends a read-only transaction; nothing to commit
    return result;
  }
  return fail(Error::unavailable("lmdb: the map kept being resized by another process"));
}

// The function runs first on a snapshot, outside the single writer's turn
// (speculative_txn.h), so the writer only checks its reads and copies its
// writes: decoding, encoding and the rest of the function's work happen on
// the caller's thread, in parallel with the writer. A failure on the
// snapshot is the answer (it read a state that was current when the call
// began); a function that scans or counts simply runs in the writer.
Status LmdbKvStore::update(const std::function<Status(WriteTxn&)>& fn) {
  std::optional<SpeculativeTxn> ahead;
  Status outcome;
  Status viewed = view([&](ReadTxn& snapshot) -> Status {
    ahead.emplace(snapshot);
    outcome = call_guarded(fn, static_cast<WriteTxn&>(*ahead));
    ahead->forget_snapshot();
    return {};
  });
  if (!viewed || ahead->needs_writer()) return commits_.submit(fn);
  if (!outcome) return outcome;
  if (ahead->writes_nothing()) return {};
  return commits_.submit(fn, &*ahead);
}

void LmdbKvStore::run_batch(const Batch& batch) {
  auto fail_all = [&batch](const Error& error) {
    for (GroupCommitQueue::Entry* entry : batch) entry->result = fail(error);
  };
  bool all_nested = false;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    size_t seen = 0;
    auto outcome = attempt_batch(batch, all_nested, &seen);
    if (!outcome) return fail_all(outcome.error());
    if (*outcome == Outcome::kDone) return;
    if (*outcome == Outcome::kApplyFailed) {
      all_nested = true;
      continue;
    }
    if (auto ok = recover(*outcome, seen); !ok) return fail_all(ok.error());
  }
  fail_all(Error::unavailable("lmdb: the transaction did not fit after growing the map"));
}

// One run of a batch: one parent transaction, the functions in arrival order
// (each sees the writes of those before it, as if they had committed one by
// one), and one durable commit for all. A function that fails loses only its
// own writes: it runs in a nested transaction, which its failure aborts. A
// run made ahead whose reads still hold is applied straight into the parent
// instead, since applying fails only when the store does (a nested
// transaction copies again each page it touches that the parent already
// holds); if it does fail, its writes may be half in the parent, so the
// parent is dropped and the batch reruns `all_nested`, every function run
// again in a nested transaction of its own.
// On kMapFull / kMapResized nothing was written, and the caller fixes the map
// (which needs the shared lock released) and reruns the whole batch.
Result<LmdbKvStore::Outcome> LmdbKvStore::attempt_batch(const Batch& batch, bool all_nested,
                                                        size_t* map_size_seen) {
  std::shared_lock lock(resize_mutex_);
  *map_size_seen = map_size();
  MDB_txn* parent = nullptr;
  int rc = mdb_txn_begin(env_.get(), nullptr, 0, &parent);
  if (rc == MDB_MAP_RESIZED) return Outcome::kMapResized;
  if (rc != 0) return fail(lmdb_error("begin write transaction", rc));
  LmdbTxn direct(parent, dbis_);
  for (GroupCommitQueue::Entry* entry : batch) {
    if (entry->ahead && !all_nested) {
      bool applying = false;  // from then on, a failure may leave writes behind
      Status direct_result = call_guarded(
          [&](WriteTxn& t) -> Status {
            auto same = entry->ahead->unchanged(t);
            if (!same) return fail(same.error());
            if (!*same) return {};  // its reads changed: it runs again, nested, below
            applying = true;
            return entry->ahead->apply(t);
          },
          static_cast<WriteTxn&>(direct));
      if (applying && (!direct_result || direct.map_full())) {
        mdb_txn_abort(parent);
        return direct.map_full() ? Outcome::kMapFull : Outcome::kApplyFailed;
      }
      if (applying || !direct_result) {  // applied, or its check failed having only read
        entry->result = std::move(direct_result);
        continue;
      }
    }
    MDB_txn* child = nullptr;
    rc = mdb_txn_begin(env_.get(), parent, 0, &child);
    if (rc != 0) {
      mdb_txn_abort(parent);
      if (rc == MDB_MAP_FULL) return Outcome::kMapFull;
      return fail(lmdb_error("begin nested transaction", rc));
    }
    LmdbTxn write(child, dbis_);
    Status result = call_guarded(*entry->work, static_cast<WriteTxn&>(write));
    // Checked before `result`: the function may have swallowed the failed put.
    if (write.map_full()) {
      mdb_txn_abort(child);
      mdb_txn_abort(parent);
      return Outcome::kMapFull;
    }
    if (!result) {
      mdb_txn_abort(child);
      entry->result = std::move(result);
      continue;
    }
    rc = mdb_txn_commit(child);  // into the parent: no I/O yet
    if (rc != 0) {
      mdb_txn_abort(parent);
      if (rc == MDB_MAP_FULL) return Outcome::kMapFull;
      return fail(lmdb_error("commit", rc));
    }
    entry->result = {};
  }
  keep_tail_ahead();
  rc = mdb_txn_commit(parent);  // frees the transaction whether or not it succeeds
  if (rc == MDB_MAP_FULL) return Outcome::kMapFull;
  if (rc != 0) return fail(lmdb_error("commit", rc));
  return Outcome::kDone;
}

// Called in the writer's turn, before the commit whose fdatasync makes the
// new zeros durable with its pages (data_file_tail.h). Only a durable store
// gains from it. Best effort: a tail written in part, or not at all, is
// zeros LMDB never reads, and a disk that is full fails the commit itself.
void LmdbKvStore::keep_tail_ahead() {
  if (!durable_ || data_fd_ < 0) return;
  const MDB_envinfo info = env_info();
  const size_t used = (info.me_last_pgno + 1) * page_size_;
  (void)extend_data_file_tail(data_fd_, used, info.me_mapsize, page_size_);
}

Status LmdbKvStore::recover(Outcome outcome, size_t map_size_seen) {
  return outcome == Outcome::kMapFull ? grow_map(map_size_seen) : adopt_map_size();
}

// Doubles the map (bounded by max_map_size) unless another thread already
// grew it since `map_size_seen`. Doubling keeps the number of reruns
// logarithmic in the final size.
Status LmdbKvStore::grow_map(size_t map_size_seen) {
  std::unique_lock lock(resize_mutex_);
  size_t current = map_size();
  if (current > map_size_seen) return {};
  size_t next = current > max_map_size_ / 2 ? max_map_size_ : current * 2;
  next -= next % page_size_;
  if (next <= current) {
    return fail(Error::unavailable("lmdb: the database is full (max_map_size is " +
                                   std::to_string(max_map_size_) + " bytes)"));
  }
  if (int rc = mdb_env_set_mapsize(env_.get(), next); rc != 0) return fail(lmdb_error("grow map", rc));
  return {};
}

// Another process grew the map beyond ours (MDB_MAP_RESIZED): size 0 adopts
// the size recorded in the environment.
Status LmdbKvStore::adopt_map_size() {
  std::unique_lock lock(resize_mutex_);
  if (int rc = mdb_env_set_mapsize(env_.get(), 0); rc != 0) return fail(lmdb_error("adopt map size", rc));
  return {};
}

Status validate(const LmdbOptions& options) {
  if (options.path.empty()) return fail(Error::invalid_argument("lmdb: path is empty"));
  if (options.max_batch == 0) return fail(Error::invalid_argument("lmdb: max_batch must be at least 1"));
  if (options.initial_map_size == 0 || options.initial_map_size > options.max_map_size) {
    return fail(Error::invalid_argument("lmdb: initial_map_size must be in 1..max_map_size"));
  }
  std::set<std::string_view> seen;
  for (const std::string& table : options.tables) {
    // Names are C strings to LMDB.
    if (table.empty() || table.find('\0') != std::string::npos) {
      return fail(Error::invalid_argument("lmdb: a table name is empty or contains NUL"));
    }
    if (!seen.insert(table).second) return fail(Error::invalid_argument("lmdb: duplicate table " + table));
  }
  return {};
}

Result<EnvPtr> open_env(const LmdbOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) return fail(Error::unavailable("lmdb: cannot create " + options.path + ": " + ec.message()));
  MDB_env* raw = nullptr;
  if (int rc = mdb_env_create(&raw); rc != 0) return fail(lmdb_error("create environment", rc));
  EnvPtr env(raw);  // closes it on every failure below, as mdb_env_open requires
  int rc = mdb_env_set_maxdbs(env.get(), static_cast<MDB_dbi>(options.tables.size() + kSpareDbs));
  if (rc == 0) rc = mdb_env_set_mapsize(env.get(), options.initial_map_size);
  // Each request thread may hold a read transaction, and a write holds one
  // too while it runs ahead (speculative_txn.h): far more than LMDB's 126.
  if (rc == 0) rc = mdb_env_set_maxreaders(env.get(), kMaxReaders);
  if (rc != 0) return fail(lmdb_error("configure environment", rc));
  // MDB_NOTLS: read transactions are tied to the call, not to the thread, and
  // one thread may hold several. MDB_NOSYNC trades durability for speed.
  // MDB_NORDAHEAD: lookups by token, session or user id land on random
  // pages, so the map is read a page per fault instead of the kernel's
  // readahead window, which on a large store filled the page cache (and the
  // broker's resident size) with neighbours nobody asked for.
  unsigned flags = MDB_NOTLS | MDB_NORDAHEAD | (options.durable ? 0 : MDB_NOSYNC);
  // 0600: the files hold hashed and encrypted secrets; only the owner reads them.
  rc = mdb_env_open(env.get(), options.path.c_str(), flags, 0600);
  if (rc != 0) return fail(lmdb_error(("open " + options.path).c_str(), rc));
  return env;
}

}  // namespace

Result<std::unique_ptr<KvStore>> open_lmdb_store(const LmdbOptions& options) {
  if (auto ok = validate(options); !ok) return fail(ok.error());
  try {
    auto env = open_env(options);
    if (!env) return fail(env.error());
    auto store = std::make_unique<LmdbKvStore>(std::move(*env), options);
    if (auto ok = store->open_tables(options.tables); !ok) return fail(ok.error());
    return std::unique_ptr<KvStore>(std::move(store));
  } catch (const std::exception&) {  // allocation failure; nothing else here throws
    return fail(Error::internal("lmdb: out of memory while opening the store"));
  }
}

}  // namespace passerelle::storage
