#include "common/oauth_util.h"

#include <algorithm>

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
    if (!value.is_string()) {
      set_error(key, "must be a string");
      return;
    }
  }
}

void OptionsReader::set_error(const std::string& key, const std::string& problem) {
  if (status_) status_ = fail(Error::invalid_argument("options." + key + ": " + problem));
}

std::string OptionsReader::required(const char* key) {
  std::string value = optional(key, "");
  if (value.empty()) set_error(key, "required");
  return value;
}

std::string OptionsReader::optional(const char* key, std::string fallback) {
  if (!status_ || !options_.contains(key)) return fallback;
  return options_.at(key).get<std::string>();
}

std::string OptionsReader::url(const char* key, std::string fallback) {
  std::string value = optional(key, std::move(fallback));
  if (value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) set_error(key, "must be an http(s) URL");
  return value;
}

}  // namespace passerelle::connector_util
