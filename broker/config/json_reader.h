// JsonReader: strict, typed reading of one JSON object for the config
// loader. It knows where it is in the document (a path such as
// `clients[1].refresh_token`), refuses keys it was not told about, and reports
// every problem as a JsonReadError naming the offending key's path.
// Value type over a borrowed json; no shared state.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

// Thrown while reading; its what() is "<path>: <problem>" on one line. The
// public entry points of the config module catch it and return an Error, so it
// never crosses the module boundary.
class JsonReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "a.b" or "a[\"odd key\"]" when the key is not a plain identifier, so the
// path stays readable and on one line whatever the key holds.
std::string json_path_key(std::string_view parent, std::string_view key);
std::string json_path_index(std::string_view parent, size_t index);

// Throws JsonReadError("<path>: <problem>"); the empty path is the document.
[[noreturn]] void throw_at(std::string_view path, std::string_view problem);

// Parses JSON text like nlohmann::json::parse, and also refuses a key given
// twice in one object (RFC 8259 §4 leaves that to the parser; nlohmann keeps
// the last silently, which would hide the first). Throws
// nlohmann::json::parse_error on a syntax error, JsonReadError naming the
// repeated key's path otherwise.
nlohmann::json parse_json_strict(const std::string& text);

class JsonReader {
 public:
  // REQUIRES: `value` outlives the reader.
  // Throws if `value` is not an object or holds a key outside `allowed`
  // (checked first, so a misspelt key is reported as such rather than as the
  // missing key it was meant to be).
  JsonReader(const nlohmann::json& value, std::string path, std::initializer_list<std::string_view> allowed);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return json_path_key(path_, key); }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  // The raw value at `key`, or nullptr when absent.
  const nlohmann::json* find(std::string_view key) const;

  // Each getter returns nullopt when the key is absent and throws when the
  // value has the wrong type or is out of range.
  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::string> non_empty_string(std::string_view key) const;
  // Throws "required" when absent, "must not be empty" when "".
  std::string required_string(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  // An integer in [min, max]; 1.0 and "1" are refused.
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max) const;
  // Each element must be a string; errors name the element (`key[2]`).
  std::optional<std::vector<std::string>> string_array(std::string_view key) const;
  // One of `choices`; returns its index.
  std::optional<size_t> choice(std::string_view key, std::initializer_list<std::string_view> choices) const;
  // An array of anything; the caller reads the elements.
  const nlohmann::json* array(std::string_view key) const;
  // An object of any content (free-form options).
  const nlohmann::json* object(std::string_view key) const;

 private:
  const nlohmann::json& value_;
  std::string path_;
};

}  // namespace passerelle
