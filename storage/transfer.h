// Moving a whole store between backends (LMDB to PostgreSQL and back): a
// self-describing, line-oriented dump that any KvStore can write and read.
//
// The format, one JSON object per line:
//   {"format":"passerelle-export","version":1,"tables":["clients",...]}
//   {"t":"clients","k":"<base64url key>","v":"<base64url value>"}   (one per record)
//   {"end":"passerelle-export","records":<number of record lines>}
// Keys and values are arbitrary bytes, hence base64url (RFC 4648 §5, no
// padding). Within a table, records come in ascending key order, as
// scan_prefix gives them. The trailer lets an import tell a complete file
// from one cut short.
//
// The dump holds password hashes, refresh-token digests and signing keys:
// whoever writes it to a file should make that file private.
// Thread-safety: both functions may run alongside any other use of the store;
// the stream belongs to the caller for the duration of the call.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

inline constexpr const char* kExportFormat = "passerelle-export";
inline constexpr int kExportVersion = 1;

// Writes every record of `tables` from one read snapshot of `store` to `out`,
// record by record (the dump is never held in memory).
// Fails with kInvalidArgument for a table name that is not printable ASCII,
// with the store's error when a read fails, and with kUnavailable when `out`
// fails. On failure `out` holds a partial dump without its trailer, which
// import_store refuses.
Status export_store(KvStore& store, const std::vector<std::string>& tables, std::ostream& out);

struct TableCount {
  std::string table;
  uint64_t records = 0;
};

struct ImportSummary {
  std::vector<TableCount> tables;  // every table the file lists, in its order
  uint64_t records = 0;
};

// Reads a dump made by export_store from `in` and writes it to `store`, whose
// tables are `tables`, in one write transaction: on any failure the store is
// left as it was. The whole file is read and checked before anything is
// written, so the decoded records are held in memory during the import.
// Fails with
//   kInvalidArgument  when the file is not a version-1 passerelle export, or
//                     lists a table the target does not have ("line N: ...");
//   kCorruption       when a line is malformed, a key or value is not
//                     base64url, keys are out of order or repeated, or the
//                     file is truncated (no trailer, or a record count that
//                     does not match) ("line N: ...");
//   kAlreadyExists    when the target already holds a record in any table
//                     (the message names the table): an import never merges;
//   the store's error when the write transaction fails.
Result<ImportSummary> import_store(KvStore& store, const std::vector<std::string>& tables, std::istream& in);

}  // namespace passerelle::storage
