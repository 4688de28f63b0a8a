#include "storage/speculative_txn.h"

namespace passerelle::storage {
namespace {

const Error kRunInWriter = Error::conflict("storage: scans and counts run in the writer");

}  // namespace

Result<std::optional<std::string>> SpeculativeTxn::get(std::string_view table, std::string_view key) {
  Key k{std::string(table), std::string(key)};
  if (auto written = writes_.find(k); written != writes_.end()) return written->second;
  if (auto read = reads_.find(k); read != reads_.end()) return read->second;
  if (snapshot_ == nullptr) return fail(Error::internal("storage: speculative read after its snapshot ended"));
  auto value = snapshot_->get(table, key);
  if (value) reads_.emplace(std::move(k), *value);
  return value;
}

// Refused at once, so the function stops instead of scanning for nothing:
// it will run again in the writer, where its scans are answered.
Status SpeculativeTxn::scan_prefix(std::string_view, std::string_view,
                                   const std::function<bool(std::string_view, std::string_view)>&) {
  needs_writer_ = true;
  return fail(kRunInWriter);
}

Result<uint64_t> SpeculativeTxn::count(std::string_view) {
  needs_writer_ = true;
  return fail(kRunInWriter);
}

Status SpeculativeTxn::put(std::string_view table, std::string_view key, std::string_view value) {
  Key k{std::string(table), std::string(key)};
  writes_.insert_or_assign(k, std::string(value));
  write_log_.emplace_back(std::move(k), std::string(value));
  return {};
}

Status SpeculativeTxn::del(std::string_view table, std::string_view key) {
  Key k{std::string(table), std::string(key)};
  writes_.insert_or_assign(k, std::nullopt);
  write_log_.emplace_back(std::move(k), std::nullopt);
  return {};
}

Result<bool> SpeculativeTxn::unchanged(ReadTxn& txn) const {
  for (const auto& [k, seen] : reads_) {
    auto now = txn.get(k.first, k.second);
    if (!now) return fail(now.error());
    if (*now != seen) return false;
  }
  return true;
}

// In the function's order, so the store lays out pages as the function
// itself would have. A put or delete the store refuses (an unknown table, a
// bad key, a full map) fails here as it would have in the function; the
// writer's transaction is then abandoned like any failed one.
Status SpeculativeTxn::apply(WriteTxn& txn) const {
  for (const auto& [k, value] : write_log_) {
    Status st = value ? txn.put(k.first, k.second, *value) : txn.del(k.first, k.second);
    if (!st) return st;
  }
  return {};
}

}  // namespace passerelle::storage
