#include "storage/expiry_index.h"

namespace passerelle::storage {
namespace {

// by_time:   time(8 bytes) + table + '\0' + key -> ""   (ordered by expiry)
// by_record: table + '\0' + key -> time(8 bytes)         (finds the entry to replace)
// Table names cannot contain '\0' (LMDB takes them as C strings), so the first
// '\0' after the time ends the table name, and keys may hold any byte.
constexpr std::string_view kByTime = "_expiry_by_time";
constexpr std::string_view kByRecord = "_expiry_by_record";
constexpr size_t kTimeSize = 8;
constexpr size_t kMaxIndexKeySize = 511;

// Big-endian with the sign bit flipped, so that byte order is numeric order
// for negative times too.
std::string encode_time(int64_t t) {
  uint64_t u = static_cast<uint64_t>(t) ^ (uint64_t(1) << 63);
  std::string out(kTimeSize, '\0');
  for (size_t i = 0; i < kTimeSize; ++i) out[i] = static_cast<char>(u >> (8 * (kTimeSize - 1 - i)));
  return out;
}

int64_t decode_time(std::string_view bytes) {
  uint64_t u = 0;
  for (size_t i = 0; i < kTimeSize; ++i) u = (u << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<int64_t>(u ^ (uint64_t(1) << 63));
}

Result<std::string> record_ref(std::string_view table, std::string_view key) {
  if (table.empty() || key.empty() || table.find('\0') != std::string_view::npos ||
      kTimeSize + table.size() + 1 + key.size() > kMaxIndexKeySize) {
    return fail(Error::invalid_argument("expiry: table or key is empty, has a NUL table, or is too long"));
  }
  std::string ref(table);
  ref.push_back('\0');
  ref.append(key);
  return ref;
}

// Removes the index entry `index_key` (due) and, when it is the record's
// current expiry, the record. Returns whether a record was deleted.
Result<bool> remove_due(WriteTxn& txn, const std::string& index_key) {
  if (auto ok = txn.del(kByTime, index_key); !ok) return fail(ok.error());
  if (index_key.size() < kTimeSize) return false;  // malformed: dropped
  std::string_view ref = std::string_view(index_key).substr(kTimeSize);
  size_t sep = ref.find('\0');
  if (sep == std::string_view::npos || sep == 0) return false;
  // set_expiry removes replaced entries; this check keeps a stale one, should
  // any exist, from deleting a renewed record.
  auto current = txn.get(kByRecord, ref);
  if (!current) return fail(current.error());
  if (!*current || **current != std::string_view(index_key).substr(0, kTimeSize)) return false;
  if (auto ok = txn.del(kByRecord, ref); !ok) return fail(ok.error());
  Status deleted = txn.del(ref.substr(0, sep), ref.substr(sep + 1));
  if (!deleted && deleted.error().is(ErrorCode::kInvalidArgument)) return false;  // table gone
  if (!deleted) return fail(deleted.error());
  return true;
}

}  // namespace

std::vector<std::string> expiry_tables() {
  return {std::string(kByTime), std::string(kByRecord)};
}

// An unchanged expiry writes nothing: a renewal that keeps the time (an
// index entry tied to a fixed end) then dirties no page of either table.
Status set_expiry(WriteTxn& txn, std::string_view table, std::string_view key, int64_t expires_at) {
  auto ref = record_ref(table, key);
  if (!ref) return fail(ref.error());
  std::string time = encode_time(expires_at);
  auto current = txn.get(kByRecord, *ref);
  if (!current) return fail(current.error());
  if (*current) {
    if (**current == time) return {};
    if (auto ok = txn.del(kByTime, **current + *ref); !ok) return ok;
  }
  if (auto ok = txn.put(kByTime, time + *ref, ""); !ok) return ok;
  return txn.put(kByRecord, *ref, time);
}

Status extend_expiry(WriteTxn& txn, std::string_view table, std::string_view key, int64_t at_least) {
  auto current = get_expiry(txn, table, key);
  if (!current) return fail(current.error());
  if (*current && **current >= at_least) return {};
  return set_expiry(txn, table, key, at_least);
}

Status clear_expiry(WriteTxn& txn, std::string_view table, std::string_view key) {
  auto ref = record_ref(table, key);
  if (!ref) return fail(ref.error());
  auto time = txn.get(kByRecord, *ref);
  if (!time) return fail(time.error());
  if (!*time) return {};
  if (auto ok = txn.del(kByTime, **time + *ref); !ok) return ok;
  return txn.del(kByRecord, *ref);
}

Result<std::optional<int64_t>> get_expiry(ReadTxn& txn, std::string_view table, std::string_view key) {
  auto ref = record_ref(table, key);
  if (!ref) return fail(ref.error());
  auto time = txn.get(kByRecord, *ref);
  if (!time) return fail(time.error());
  if (!*time || (*time)->size() != kTimeSize) return std::optional<int64_t>();
  return decode_time(**time);
}

Result<size_t> sweep_expired(KvStore& store, int64_t now, size_t max_records) {
  size_t deleted = 0;
  Status swept = store.update([&](WriteTxn& txn) -> Status {
    deleted = 0;  // the store may run this function more than once
    // Keys are copied out first: the views die when the transaction changes.
    std::vector<std::string> due;
    Status scanned = txn.scan_prefix(kByTime, "", [&](std::string_view key, std::string_view) {
      if (due.size() >= max_records) return false;
      if (key.size() >= kTimeSize && decode_time(key) > now) return false;  // the rest is later still
      due.emplace_back(key);
      return true;
    });
    if (!scanned) return scanned;
    for (const std::string& index_key : due) {
      auto removed = remove_due(txn, index_key);
      if (!removed) return fail(removed.error());
      deleted += *removed ? 1 : 0;
    }
    return {};
  });
  if (!swept) return fail(swept.error());
  return deleted;
}

}  // namespace passerelle::storage
