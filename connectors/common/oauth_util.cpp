#include "common/oauth_util.h"

#include <algorithm>
#include <cstdint>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace passerelle::connector_util {

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '.' || c == '~';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string form_encode(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += url_encode(k) + "=" + url_encode(v);
  }
  return out;
}

std::string with_query(const std::string& url, const Params& params) {
  if (params.empty()) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + form_encode(params);
}

std::string base64_encode(std::string_view bytes, bool url_safe) {
  static constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* alphabet = url_safe ? kUrl : kStandard;
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
    out += alphabet[n >> 18];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
    if (rest == 2) n |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += alphabet[n >> 18];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) out += alphabet[(n >> 6) & 63];
    if (!url_safe) out += rest == 2 ? "=" : "==";
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // A length of 1 mod 4 cannot come from whole bytes.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-'             ? 62
            : c == '_'             ? 63
                                   : -1;
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | uint32_t(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  // Bits left over must be zero, so that each byte string has one encoding.
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string url_safe;
  url_safe.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
    else if (c == '-' || c == '_') return std::nullopt;
    url_safe += c;
  }
  while (!url_safe.empty() && url_safe.back() == '=') url_safe.pop_back();
  return base64url_decode(url_safe);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::optional<nlohmann::json> parse_json_object(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

std::string string_field(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

const nlohmann::json* json_at_path(const nlohmann::json& obj, std::string_view dotted_path) {
  const nlohmann::json* at = &obj;
  size_t start = 0;
  while (true) {
    size_t dot = dotted_path.find('.', start);
    std::string step(dotted_path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!at->is_object()) return nullptr;
    auto it = at->find(step);
    if (it == at->end()) return nullptr;
    at = &*it;
    if (dot == std::string_view::npos) return at;
    start = dot + 1;
  }
}

std::string safe_token(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() == 64) break;
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-';
    if (ok) out += c;
  }
  return out;
}

OptionsReader::OptionsReader(const nlohmann::json& options, std::vector<std::string> known) : options_(options) {
  if (!options_.is_object()) {
    status_ = fail(Error::invalid_argument("options: must be an object"));
    return;
  }
  for (const auto& [key, value] : options_.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      set_error(key, "unknown option");
      return;
    }
  }
}

void OptionsReader::set_error(const std::string& key, const std::string& problem) {
  if (status_) status_ = fail(Error::invalid_argument("options." + key + ": " + problem));
}

const nlohmann::json* OptionsReader::find(const char* key) const {
  if (!status_) return nullptr;
  auto it = options_.find(key);
  return it == options_.end() ? nullptr : &*it;
}

std::string OptionsReader::required(const char* key) {
  std::string value = optional(key, "");
  if (value.empty()) set_error(key, "required");
  return value;
}

std::string OptionsReader::optional(const char* key, std::string fallback) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_string()) {
    set_error(key, "must be a string");
    return fallback;
  }
  return value->get<std::string>();
}

std::string OptionsReader::url(const char* key, std::string fallback) {
  std::string value = optional(key, std::move(fallback));
  if (value.empty()) {
    set_error(key, "required");
  } else if (value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) {
    set_error(key, "must be an http(s) URL");
  }
  return value;
}

std::string OptionsReader::optional_url(const char* key) {
  if (find(key) == nullptr) return "";
  return url(key, "");
}

bool OptionsReader::flag(const char* key, bool fallback) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) {
    set_error(key, "must be true or false");
    return fallback;
  }
  return value->get<bool>();
}

std::string OptionsReader::one_of(const char* key, const std::vector<std::string>& allowed) {
  std::string value = optional(key, allowed.front());
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  set_error(key, "must be one of " + list);
  return allowed.front();
}

Params OptionsReader::string_map(const char* key) {
  Params out;
  const nlohmann::json* value = find(key);
  if (value == nullptr) return out;
  if (!value->is_object()) {
    set_error(key, "must be an object");
    return out;
  }
  for (const auto& [name, member] : value->items()) {
    if (!member.is_string()) {
      set_error(std::string(key) + "." + name, "must be a string");
      return {};
    }
    out.emplace_back(name, member.get<std::string>());
  }
  return out;
}

std::vector<std::string> OptionsReader::string_list(const char* key, std::vector<std::string> fallback) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_array() || value->empty()) {
    set_error(key, "must be a non-empty array of strings");
    return fallback;
  }
  std::vector<std::string> out;
  for (const nlohmann::json& item : *value) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      set_error(key, "must be a non-empty array of strings");
      return fallback;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

int64_t OptionsReader::integer(const char* key, int64_t fallback, int64_t min, int64_t max) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  // Parsed positive numbers are unsigned in nlohmann::json; compare as such
  // so that a huge value does not wrap into range.
  bool in_range = false;
  if (value->is_number_unsigned()) {
    uint64_t v = value->get<uint64_t>();
    in_range = v <= uint64_t(max) && (min <= 0 || v >= uint64_t(min));
  } else if (value->is_number_integer()) {
    int64_t v = value->get<int64_t>();
    in_range = v >= min && v <= max;
  }
  if (!in_range) {
    set_error(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return fallback;
  }
  return value->get<int64_t>();
}

}  // namespace passerelle::connector_util
