// A write transaction that counts the puts and deletes passing through it to
// the store's own, for tests of what a change writes (every put copies a page).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "storage/kv_store.h"

namespace passerelle::testing {

class WriteCounter final : public storage::WriteTxn {
 public:
  explicit WriteCounter(storage::WriteTxn& inner) : inner_(inner) {}

  Result<std::optional<std::string>> get(std::string_view t, std::string_view k) override { return inner_.get(t, k); }
  Status scan_prefix(std::string_view t, std::string_view p,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    return inner_.scan_prefix(t, p, visit);
  }
  Result<uint64_t> count(std::string_view t) override { return inner_.count(t); }
  Status put(std::string_view t, std::string_view k, std::string_view v) override {
    ++writes;
    return inner_.put(t, k, v);
  }
  Status del(std::string_view t, std::string_view k) override {
    ++writes;
    return inner_.del(t, k);
  }

  int writes = 0;

 private:
  storage::WriteTxn& inner_;
};

}  // namespace passerelle::testing
