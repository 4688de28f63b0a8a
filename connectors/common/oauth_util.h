// Small helpers the built-in connectors share: URL building, form and JSON
// reading, base64, HMAC, and reading a connection's options. Linked into each
// module (plugins do not link the broker). Pure functions; thread-safe.
#pragma once

#include <cstdint>
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

// RFC 4648 §4 base64 with padding, or (url_safe) §5 base64url without.
std::string base64_encode(std::string_view bytes, bool url_safe);
// The bytes of RFC 4648 §5 base64url text without padding (as in JOSE,
// RFC 7515 §2), or nullopt for any other character or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);
// The bytes of RFC 4648 §4 base64 with or without padding, whitespace
// ignored (as XML and form posts carry it), or nullopt.
std::optional<std::string> base64_decode(std::string_view text);

// Lower-case hex of HMAC-SHA-256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// `text` parsed as a JSON object, or nullopt.
std::optional<nlohmann::json> parse_json_object(std::string_view text);
// obj[key] when it is a string, else "".
std::string string_field(const nlohmann::json& obj, const char* key);
// The member at a dotted path ("data.id": obj["data"]["id"]), or nullptr
// when a step is missing or not an object.
const nlohmann::json* json_at_path(const nlohmann::json& obj, std::string_view dotted_path);

// Keeps at most 64 characters of [A-Za-z0-9_.-] from an upstream's error
// code, so that a message never echoes arbitrary upstream input.
std::string safe_token(std::string_view text);

// Reads a connection's "options" object: known keys only, each read with
// the type its accessor expects. The first problem is kept, as
// kInvalidArgument "options.<key>: <problem>"; after it, accessors return
// their fallback. Messages never quote a value (it may be a secret).
class OptionsReader {
 public:
  OptionsReader(const nlohmann::json& options, std::vector<std::string> known);
  Status status() const { return status_; }
  std::string required(const char* key);
  std::string optional(const char* key, std::string fallback);
  // An absolute http(s) URL, defaulting to `fallback`; required when the
  // fallback is "".
  std::string url(const char* key, std::string fallback);
  // An absolute http(s) URL, or "" when the key is not set.
  std::string optional_url(const char* key);
  // A JSON boolean.
  bool flag(const char* key, bool fallback);
  // One of `allowed`; the first is the default.
  std::string one_of(const char* key, const std::vector<std::string>& allowed);
  // An object whose members are all strings, in key order.
  Params string_map(const char* key);
  // A non-empty array of non-empty strings.
  std::vector<std::string> string_list(const char* key, std::vector<std::string> fallback);
  // A JSON integer within [min, max].
  int64_t integer(const char* key, int64_t fallback, int64_t min, int64_t max);
  // Reports a problem found by the caller, e.g. in a member of string_map().
  void set_error(const std::string& key, const std::string& problem);

 private:
  // options[key] when the reader is still fine and the key is set.
  const nlohmann::json* find(const char* key) const;
  const nlohmann::json& options_;
  Status status_;
};

}  // namespace passerelle::connector_util
