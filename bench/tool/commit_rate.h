// `passerelle-bench-tool commit-rate`: the ceiling that durable storage puts
// on a broker whose requests each commit once (a refresh-token exchange, a
// code redemption). Opens an LMDB store with the broker's options (durable:
// one fsync per commit) and times write transactions of one record each.
// With one thread every commit waits for its own fsync; with several, group
// commit may share one fsync among those waiting. Thread-safe per call.
#pragma once

#include <cstddef>
#include <string>

#include <passerelle/result.h>

namespace passerelle::bench {

struct CommitRateSpec {
  std::string dir;     // an LMDB environment is created here (the caller removes it)
  double seconds = 3;  // how long to commit
  size_t bytes = 0;    // the record's size; 0: refresh_exchange_bytes()
  size_t threads = 1;  // committing threads, each one transaction at a time
};

struct CommitRate {
  size_t bytes = 0;
  size_t commits = 0;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? commits / seconds : 0; }
  // The mean time one thread waits for one commit.
  double ms_per_commit(size_t threads) const { return commits ? seconds * 1000.0 * threads / commits : 0; }
};

// Roughly what a rotating refresh-token exchange writes in its one
// transaction: the family and the spent and the new token (encoded as the
// token store encodes them, with their keys), the user's index entry, and
// the expiry-index entries of all four.
size_t refresh_exchange_bytes();

// Commits for spec.seconds. Fails with kInvalidArgument for a bad spec, or
// the store's error (kUnavailable when the directory cannot be used).
Result<CommitRate> measure_commit_rate(const CommitRateSpec& spec);

}  // namespace passerelle::bench
