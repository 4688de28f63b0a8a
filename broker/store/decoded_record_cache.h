// Decoded records kept beside the bytes they were decoded from. Decoding a
// record (MessagePack to JSON to struct) costs more than the rest of a lookup,
// and some records (clients) are read on every request while they almost
// never change. Every read still fetches the stored bytes, and a cached
// struct is used only when they are the same bytes, so a change made by
// another node sharing the store is seen at the next read, with no write
// hook to forget. Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/typed_record.h"

namespace passerelle {

template <class T>
class DecodedRecordCache {
 public:
  // At most `capacity` records are kept; past that the cache starts over,
  // which bounds memory however many distinct keys are read.
  explicit DecodedRecordCache(size_t capacity) : capacity_(capacity) {}

  // How many decoded records are kept now.
  size_t size() {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

  // The record under `key` in `txn`, as get_record() would answer.
  Result<std::optional<T>> get(storage::ReadTxn& txn, std::string_view table, std::string_view key) {
    auto raw = txn.get(table, key);
    if (!raw) return fail(raw.error());
    if (!*raw) return std::optional<T>();
    if (auto hit = lookup(key, **raw)) return std::optional<T>(*hit);
    auto record = decode_record_as<T>(table, **raw);
    if (!record) return fail(record.error());
    remember(key, std::move(**raw), *record);
    return std::optional<T>(std::move(*record));
  }

 private:
  struct Entry {
    std::string bytes;
    std::shared_ptr<const T> record;
  };

  std::shared_ptr<const T> lookup(std::string_view key, std::string_view bytes) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.bytes != bytes) return nullptr;
    return it->second.record;
  }

  void remember(std::string_view key, std::string bytes, const T& record) {
    auto shared = std::make_shared<const T>(record);
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.contains(key)) entries_.clear();
    entries_.insert_or_assign(std::string(key), Entry{std::move(bytes), std::move(shared)});
  }

  const size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace passerelle
