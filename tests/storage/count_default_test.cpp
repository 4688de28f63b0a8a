// ReadTxn::count's scanning default, which a backend without a kept count
// inherits (each backend's own count is in the conformance suite).

#include <doctest/doctest.h>

#include "storage/kv_store.h"

namespace passerelle::storage {
namespace {

// A ReadTxn with only get and scan: count() is the interface's default.
class ScanOnlyTxn final : public ReadTxn {
 public:
  explicit ScanOnlyTxn(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  Result<std::optional<std::string>> get(std::string_view, std::string_view) override { return std::nullopt; }
  Status scan_prefix(std::string_view table, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    if (table != "t") return fail(Error::invalid_argument("unknown table"));
    for (const auto& k : keys_) {
      if (k.starts_with(prefix) && !visit(k, "")) break;
    }
    return {};
  }

 private:
  std::vector<std::string> keys_;
};

TEST_CASE("storage count: the default counts with a scan") {
  ScanOnlyTxn txn({"a", "b", "c"});
  CHECK(*txn.count("t") == 3);
  CHECK_FALSE(txn.count("other").has_value());
}

}  // namespace
}  // namespace passerelle::storage
