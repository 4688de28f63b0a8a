// libFuzzer target: what the broker reads from query strings and form
// bodies itself, after cpp-httplib has split and percent-decoded them (the
// library's own parser is not ours to fuzz, so it only shapes the input):
// the authorization request (broker/oidc/authorization_request.h) for a
// public and a confidential client, with_query (broker/http/responses.h),
// the redirect-URI splitter (broker/config/url_rules.h) and the base64 /
// base32 decoders that Basic credentials and TOTP secrets go through
// (broker/core/encoding.h).
// Invariants: an accepted request names a registered redirect URI, a known
// response mode, PKCE for public clients, prompt=none alone; it and every
// error survive the JSON the broker stores or sends; parameters appended by
// with_query read back unchanged; decode(encode(x)) == x.
#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "clients/client.h"
#include "config/url_rules.h"
#include "core/encoding.h"
#include "fuzz_support.h"
#include "http/responses.h"
#include "oidc/authorization_request.h"

namespace passerelle {
namespace {

Client make_client(const char* id, AppType type, TokenEndpointAuthMethod method) {
  Client c;
  c.settings.client_id = id;
  c.settings.app_type = type;
  c.settings.token_endpoint_auth_method = method;
  c.settings.grant_types = {"authorization_code", "refresh_token"};
  c.settings.redirect_uris = {"https://app.example.test/callback", "http://127.0.0.1:3000/cb?x=1"};
  c.settings.allowed_web_origins = {"https://app.example.test"};
  return c;
}

bool serialises(const nlohmann::json& value) {
  try {
    (void)value.dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

void check_request(const Client& client, const AuthorizationRequest& r) {
  const auto& uris = client.settings.redirect_uris;
  fuzz::require(std::find(uris.begin(), uris.end(), r.redirect_uri) != uris.end(), "redirect_uri is registered");
  fuzz::require(r.response_mode == "query" || r.response_mode == "form_post" || r.response_mode == "web_message",
                "response_mode is known");
  fuzz::require(!client.settings.is_public() || !r.code_challenge.empty(), "a public client sends PKCE");
  fuzz::require(!r.has_prompt("none") || r.prompt.size() == 1, "prompt=none stands alone");
  fuzz::require(r.response_mode != "web_message" || r.has_prompt("none"), "web_message is silent only");
  fuzz::require(r.max_age >= -1, "max_age is -1 or given");
  // Stored with the login transaction and handed back to web_message pages.
  nlohmann::json stored = r;
  fuzz::require(serialises(stored), "an accepted request serialises as JSON");
  fuzz::require(nlohmann::json(stored.get<AuthorizationRequest>()) == stored, "a request survives its JSON form");
}

void check_authorization(const Params& params) {
  static const Client kPublic = make_client("spa", AppType::kSpa, TokenEndpointAuthMethod::kNone);
  static const Client kConfidential =
      make_client("web", AppType::kRegularWeb, TokenEndpointAuthMethod::kClientSecretBasic);
  if (auto id = requested_client_id(params)) {
    fuzz::require(!id->empty() && params.count("client_id") == 1, "client_id is single and not empty");
  }
  for (const Client* client : {&kPublic, &kConfidential}) {
    auto request = parse_authorization_request(params, *client);
    if (request) {
      check_request(*client, *request);
    } else {
      // Sent back as an OAuth JSON error or in an error page.
      nlohmann::json error = {{"error", request.error().error}, {"error_description", request.error().description}};
      fuzz::require(serialises(error), "an authorization error serialises as JSON");
    }
  }
}

void check_with_query(const Params& params) {
  QueryParams list(params.begin(), params.end());
  std::string url = with_query("https://app.example.test/callback", list);
  size_t question = url.find('?');
  Params back;
  if (question != std::string::npos) httplib::detail::parse_query_text(url.substr(question + 1), back);
  // cpp-httplib keeps one of identical "name=value" pairs, and two pairs
  // spelled differently in the input ("a=%62", "a=b") are identical once
  // re-encoded: compare with the distinct pairs.
  Params distinct;
  for (const auto& pair : params) {
    auto [first, last] = distinct.equal_range(pair.first);
    if (std::none_of(first, last, [&](const auto& p) { return p.second == pair.second; })) distinct.insert(pair);
  }
  fuzz::require(back == distinct, "with_query parameters read back unchanged");
}

void check_encodings(std::string_view input) {
  fuzz::require(base64url_decode(base64url_encode(input)) == std::string(input), "base64url round trip");
  fuzz::require(base64_decode(base64_encode(input)) == std::string(input), "base64 round trip");
  fuzz::require(base32_decode(base32_encode(input)) == std::string(input), "base32 round trip");
  for (auto decoded : {base64url_decode(input), base64_decode(input), base32_decode(input)}) {
    if (decoded) fuzz::require(base64url_decode(base64url_encode(*decoded)) == decoded, "decoded bytes round trip");
  }
}

void check_url(std::string_view input) {
  auto parts = split_url(input);
  if (!parts) return;
  fuzz::require(!parts->host.empty(), "a split URL has a host");
  fuzz::require(parts->port.size() <= 5, "a split URL's port is short");
  fuzz::require(input.find_first_of(" \t\r\n\\") == std::string_view::npos, "a split URL has no blank or '\\'");
}

}  // namespace
}  // namespace passerelle

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace passerelle;
  std::string input(reinterpret_cast<const char*>(data), size);
  Params params;
  httplib::detail::parse_query_text(input, params);
  check_authorization(params);
  check_with_query(params);
  check_encodings(input);
  check_url(input);
  (void)is_redirect_uri(input, true);
  (void)is_web_origin(input);
  (void)is_issuer_url(input);
  return 0;
}
