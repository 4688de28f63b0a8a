#include "oidc/authorization_request.h"

#include <algorithm>

#include "core/encoding.h"
#include "oidc/pkce.h"

namespace passerelle {
namespace {

using Fail = tl::unexpected<AuthorizationError>;

Fail page_error(std::string description) { return Fail({"invalid_request", std::move(description), false}); }
Fail redirect_error(std::string error, std::string description) {
  return Fail({std::move(error), std::move(description), true});
}

// The single value of `name`, "" when absent, or nullopt when repeated.
std::optional<std::string> single(const Params& params, const std::string& name) {
  auto [first, last] = params.equal_range(name);
  if (first == last) return std::string();
  if (std::next(first) != last) return std::nullopt;
  return first->second;
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

tl::expected<std::vector<std::string>, AuthorizationError> parse_prompt(const std::string& raw) {
  auto prompt = split_words(raw);
  for (const auto& p : prompt) {
    if (p != "none" && p != "login" && p != "consent" && p != "select_account") {
      return redirect_error("invalid_request", "unknown prompt value: " + p);
    }
  }
  // OIDC Core §3.1.2.1: "none" must not be combined with any other value.
  if (contains(prompt, "none") && prompt.size() > 1) {
    return redirect_error("invalid_request", "prompt=none cannot be combined with other values");
  }
  return prompt;
}

}  // namespace

bool AuthorizationRequest::has_prompt(std::string_view p) const { return contains(prompt, p); }
bool AuthorizationRequest::has_scope(std::string_view s) const { return contains(split_words(scope), s); }

std::string url_origin(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  size_t authority_end = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, authority_end);
}

tl::expected<std::string, AuthorizationError> requested_client_id(const Params& params) {
  auto id = single(params, "client_id");
  if (!id) return page_error("client_id is repeated");
  if (id->empty()) return page_error("client_id is missing");
  return *id;
}

tl::expected<AuthorizationRequest, AuthorizationError> parse_authorization_request(const Params& params,
                                                                                   const Client& client) {
  AuthorizationRequest req;
  req.client_id = client.id();
  auto redirect_uri = single(params, "redirect_uri");
  if (!redirect_uri) return page_error("redirect_uri is repeated");
  if (redirect_uri->empty()) return page_error("redirect_uri is missing");
  // RFC 9700 §4.1.3: exact string comparison, no pattern, no prefix.
  if (!contains(client.settings.redirect_uris, *redirect_uri)) {
    return page_error("redirect_uri is not registered for this client");
  }
  req.redirect_uri = *redirect_uri;

  for (const char* name : {"response_type", "response_mode", "scope", "state", "nonce", "code_challenge",
                           "code_challenge_method", "prompt", "max_age", "login_hint", "acr_values", "connection"}) {
    if (!single(params, name)) return redirect_error("invalid_request", std::string(name) + " is repeated");
    // These values come back in JSON (web_message responses, the ID token's
    // nonce), which only carries UTF-8: refuse them now rather than fail
    // later with an exception.
    if (!is_valid_utf8(*single(params, name))) {
      return redirect_error("invalid_request", std::string(name) + " is not valid UTF-8");
    }
  }
  auto mode = *single(params, "response_mode");
  if (!mode.empty()) {
    if (mode != "query" && mode != "form_post" && mode != "web_message") {
      return redirect_error("invalid_request", "unsupported response_mode: " + mode);
    }
    req.response_mode = mode;
  }
  // web_message posts the response to the redirect URI's origin, which the
  // client must have registered as a web origin; otherwise nothing is sent.
  if (req.response_mode == "web_message" &&
      !contains(client.settings.allowed_web_origins, url_origin(req.redirect_uri))) {
    return page_error("the redirect_uri's origin is not in the client's allowed_web_origins");
  }
  req.state = *single(params, "state");

  auto response_type = *single(params, "response_type");
  if (response_type.empty()) return redirect_error("invalid_request", "response_type is missing");
  if (response_type != "code") {
    return redirect_error("unsupported_response_type", "only response_type=code is supported");
  }
  if (!client.settings.allows_grant("authorization_code")) {
    return redirect_error("unauthorized_client", "this client may not use the authorization code grant");
  }

  req.code_challenge = *single(params, "code_challenge");
  auto method = *single(params, "code_challenge_method");
  if (req.code_challenge.empty()) {
    if (!method.empty()) return redirect_error("invalid_request", "code_challenge_method without code_challenge");
    if (client.settings.is_public()) {
      return redirect_error("invalid_request", "PKCE is required: send code_challenge with method S256");
    }
  } else {
    if (method != "S256") return redirect_error("invalid_request", "code_challenge_method must be S256");
    if (!is_valid_s256_challenge(req.code_challenge)) {
      return redirect_error("invalid_request", "code_challenge is not a valid S256 challenge");
    }
  }

  auto prompt = parse_prompt(*single(params, "prompt"));
  if (!prompt) return tl::unexpected(prompt.error());
  req.prompt = std::move(*prompt);
  // A framed response cannot show a login page (every page but this one
  // refuses framing), so web_message is for silent authentication only.
  if (req.response_mode == "web_message" && !req.has_prompt("none")) {
    return redirect_error("invalid_request", "response_mode=web_message requires prompt=none");
  }

  auto max_age = *single(params, "max_age");
  if (!max_age.empty()) {
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    if (max_age.size() > 10 || !std::all_of(max_age.begin(), max_age.end(), is_digit)) {
      return redirect_error("invalid_request", "max_age must be a non-negative integer");
    }
    req.max_age = std::stoll(max_age);
  }
  req.scope = *single(params, "scope");
  req.nonce = *single(params, "nonce");
  req.login_hint = *single(params, "login_hint");
  req.acr_values = *single(params, "acr_values");
  req.connection = *single(params, "connection");
  return req;
}

}  // namespace passerelle
