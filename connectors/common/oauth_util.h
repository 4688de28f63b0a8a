// Small helpers the built-in connectors share: URL building, form and JSON
// reading, HMAC. Linked into each module (plugins do not link the broker).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "passerelle/result.h"

namespace passerelle::connector_util {

using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 unreserved characters kept, every other byte %XX-encoded.
std::string url_encode(std::string_view text);
// "k1=v1&k2=v2", each part encoded.
std::string form_encode(const Params& params);
// `url` with `params` appended to its query.
std::string with_query(const std::string& url, const Params& params);

// Lower-case hex of HMAC-SHA-256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// `text` parsed as a JSON object, or nullopt.
std::optional<nlohmann::json> parse_json_object(std::string_view text);
// obj[key] when it is a string, else "".
std::string string_field(const nlohmann::json& obj, const char* key);

// Keeps at most 64 characters of [A-Za-z0-9_.-] from an upstream's error
// code, so that a message never echoes arbitrary upstream input.
std::string safe_token(std::string_view text);

// Reads a connection's "options" object: known keys only, strings only.
// Errors are kInvalidArgument "options.<key>: <problem>".
class OptionsReader {
 public:
  OptionsReader(const nlohmann::json& options, std::vector<std::string> known);
  Status status() const { return status_; }
  std::string required(const char* key);
  std::string optional(const char* key, std::string fallback);
  // An absolute http(s) URL, defaulting to `fallback`.
  std::string url(const char* key, std::string fallback);

 private:
  void set_error(const std::string& key, const std::string& problem);
  const nlohmann::json& options_;
  Status status_;
};

}  // namespace passerelle::connector_util
