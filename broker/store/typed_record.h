// Typed records on the storage interface: a record type T with nlohmann
// to_json/from_json is stored as a versioned compact record (MessagePack);
// the types declared with PASSERELLE_DEFINE_RECORD skip the JSON tree
// (record_codec.h). Decoding never throws: a record that does not fit T is
// kCorruption.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/kv_store.h"
#include "storage/record.h"
#include "store/record_codec.h"

namespace passerelle {

// The stored bytes of a record of `table` decoded as T.
template <class T>
Result<T> decode_record_as(std::string_view table, std::string_view bytes) {
  if constexpr (record_codec::Record<T>) {
    if (auto direct = record_codec::decode<T>(bytes)) return std::move(*direct);
  }
  auto decoded = storage::decode_record(bytes);
  if (!decoded) return fail(decoded.error());
  try {
    return decoded->body.template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return fail(Error::corruption(std::string(table) + ": record does not decode: " + e.what()));
  }
}

template <class T>
Result<std::optional<T>> get_record(storage::ReadTxn& txn, std::string_view table, std::string_view key) {
  auto raw = txn.get(table, key);
  if (!raw) return fail(raw.error());
  if (!*raw) return std::optional<T>();
  auto record = decode_record_as<T>(table, **raw);
  if (!record) return fail(record.error());
  return std::optional<T>(std::move(*record));
}

// What `get(txn)` answers (a Result<std::optional<T>>), in its own read
// transaction.
template <class Get>
auto read_in_view(storage::KvStore& store, Get get) -> decltype(get(std::declval<storage::ReadTxn&>())) {
  decltype(get(std::declval<storage::ReadTxn&>())) found;
  auto st = store.view([&](storage::ReadTxn& txn) -> Status {
    found = get(txn);
    return found ? Status{} : fail(found.error());
  });
  if (!st) return fail(st.error());
  return found;
}

// The record under `key` in its own read transaction.
template <class T>
Result<std::optional<T>> read_record(storage::KvStore& store, std::string_view table, std::string_view key) {
  return read_in_view(store, [&](storage::ReadTxn& txn) { return get_record<T>(txn, table, key); });
}

// The stored form of `record` at schema `version`.
template <class T>
std::string encode_record_as(const T& record, uint32_t version = 1) {
  if constexpr (record_codec::Record<T>) {
    return record_codec::encode(version, record);
  } else {
    return storage::encode_record(version, nlohmann::json(record));
  }
}

// Version 1 for every record type so far; bump per type when its shape changes
// and teach its from_json to read the older one.
template <class T>
Status put_record(storage::WriteTxn& txn, std::string_view table, std::string_view key, const T& record,
                  uint32_t version = 1) {
  return txn.put(table, key, encode_record_as(record, version));
}

// Visits the records of `table` whose keys start with `prefix`, in key
// order, decoded as T, until `visit(key, T&&)` returns false. A record that
// does not decode stops the scan with kCorruption.
template <class T, class Visit>
Status scan_records(storage::ReadTxn& txn, std::string_view table, std::string_view prefix, Visit visit) {
  Status bad;
  auto st = txn.scan_prefix(table, prefix, [&](std::string_view key, std::string_view raw) {
    auto record = decode_record_as<T>(table, raw);
    if (!record) {
      bad = fail(record.error());
      return false;
    }
    return visit(key, std::move(*record));
  });
  if (!st) return st;
  return bad;
}

// The keys of `table` that start with `prefix`, in order.
inline Result<std::vector<std::string>> list_keys(storage::ReadTxn& txn, std::string_view table,
                                                  std::string_view prefix = "") {
  std::vector<std::string> keys;
  auto st = txn.scan_prefix(table, prefix, [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  });
  if (!st) return fail(st.error());
  return keys;
}

}  // namespace passerelle
