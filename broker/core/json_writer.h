// Writes one flat JSON object (RFC 8259) straight into a string, for the
// answers and token payloads built on every request: a tree of
// nlohmann::json, then its dump, took about a tenth of the broker's CPU in
// a token exchange. Members come out in the order they are added, compact,
// with strings escaped as nlohmann::json's dump escapes them (the tests
// compare the two). A string that is not valid UTF-8 makes take() fail, as
// dump() refuses it, so no invalid JSON leaves the broker.
// Not thread-safe: one writer per object being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "passerelle/result.h"

namespace passerelle {

class JsonObjectWriter {
 public:
  JsonObjectWriter();

  // REQUIRES: each key is added once (the writer does not check).
  JsonObjectWriter& add(std::string_view key, std::string_view value);
  // Without it a string literal would convert to bool rather than to a view.
  JsonObjectWriter& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonObjectWriter& add(std::string_view key, int64_t value);
  JsonObjectWriter& add(std::string_view key, bool value);
  JsonObjectWriter& add(std::string_view key, const std::vector<std::string>& values);

  // The object's text; kInvalidArgument when a key or value was not valid
  // UTF-8. The writer is empty afterwards.
  Result<std::string> take();

 private:
  void start_member(std::string_view key);
  void append_string(std::string_view text);

  std::string out_;
  bool valid_utf8_ = true;
};

}  // namespace passerelle
