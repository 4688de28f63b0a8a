// The embedded default backend of the storage interface, on LMDB.
// One environment (a directory) holds one named database per table. Commits
// are durable (fsync'd) unless `durable` is false. Write transactions that
// arrive while another commits are committed together (group commit, see
// group_commit.h): one fsync for the group, each caller answered after it.
// A durable store keeps written zeros past its last page, which its commits
// overwrite (data_file_tail.h). When the memory map is full, the store
// doubles it (up to max_map_size) and runs the transaction again instead of
// failing. An exception thrown by a transaction function is
// caught, the transaction aborted, and kInternal returned. LMDB errors are
// kUnavailable. Thread-safe: share one store among all threads; up to 126 read
// transactions may be open at once (LMDB's default reader table), more fail.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

struct LmdbOptions {
  std::string path;                 // a directory; created if missing
  std::vector<std::string> tables;  // every table the store will be used with
  size_t initial_map_size = size_t(64) << 20;
  size_t max_map_size = size_t(1) << 40;  // growth stops here (then kUnavailable)
  bool durable = true;
  // Write transactions committed together at most (1: one commit each).
  size_t max_batch = 64;
  // For tests and measurements: the write queue's length after each
  // arrival, and the size of each group before it is committed.
  std::function<void(size_t waiting)> on_queued;
  std::function<void(size_t size)> on_batch;
};

// Opens (creating if needed) the store at options.path.
// Fails with kInvalidArgument for bad options, kUnavailable on an I/O error.
Result<std::unique_ptr<KvStore>> open_lmdb_store(const LmdbOptions& options);

}  // namespace passerelle::storage
