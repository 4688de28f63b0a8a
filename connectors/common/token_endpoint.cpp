#include "common/token_endpoint.h"

#include <cctype>

namespace passerelle::connector_util {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

HttpRequest token_request(const std::string& endpoint, const ClientCredentials& client, Params grant) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint;
  request.headers.push_back({"Accept", "application/json"});
  if (client.auth == ClientAuth::kBasic) {
    // §2.3.1: each part is form-urlencoded before it is joined and encoded.
    std::string pair = url_encode(client.client_id) + ":" + url_encode(client.client_secret);
    request.headers.push_back({"Authorization", "Basic " + base64_encode(pair, /*url_safe=*/false)});
  } else {
    // §2.3.1's alternative: both in the body. (With Basic, the body has
    // no client_id: one authentication method per request.)
    grant.emplace_back("client_id", client.client_id);
    grant.emplace_back("client_secret", client.client_secret);
  }
  request.body = form_encode(grant);
  return request;
}

}  // namespace

Result<TokenResponse> request_token(HttpClient& http, const std::string& endpoint, const ClientCredentials& client,
                                    Params grant, std::string_view who) {
  std::string prefix = std::string(who) + ": ";
  auto response = http.send(token_request(endpoint, client, std::move(grant)));
  if (!response) return fail(Error::unavailable(prefix + "the token request failed: " + response.error().message));
  std::string status = "the token endpoint answered HTTP " + std::to_string(response->status);
  if (response->status >= 500) return fail(Error::unavailable(prefix + status));
  auto body = parse_json_object(response->body);
  if (body && body->contains("error")) {
    std::string code = safe_token(string_field(*body, "error"));
    return fail(Error::permission_denied(prefix + "the token endpoint refused the request: " +
                                         (code.empty() ? "unknown error" : code)));
  }
  if (response->status != 200) return fail(Error::unavailable(prefix + status));
  if (!body) return fail(Error::unavailable(prefix + status + " without a JSON object"));
  TokenResponse token;
  token.access_token = string_field(*body, "access_token");
  if (token.access_token.empty()) {
    return fail(Error::unavailable(prefix + "the token endpoint returned no access_token"));
  }
  // §5.1: token_type is required; we only know how to present Bearer tokens.
  if (std::string type = string_field(*body, "token_type"); !type.empty() && !iequals(type, "bearer")) {
    return fail(Error::unavailable(prefix + "the token endpoint returned a token of type " + safe_token(type)));
  }
  token.refresh_token = string_field(*body, "refresh_token");
  token.scope = string_field(*body, "scope");
  token.id_token = string_field(*body, "id_token");
  if (auto it = body->find("expires_in"); it != body->end() && it->is_number_integer() && it->get<int64_t>() > 0) {
    token.expires_in = it->get<int64_t>();
  }
  return token;
}

}  // namespace passerelle::connector_util
