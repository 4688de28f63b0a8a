#include "connectors/http_client.h"

#include <regex>

#include <httplib.h>

namespace passerelle {
namespace {

struct SplitUrl {
  std::string origin;  // scheme://host[:port]
  std::string target;  // path and query
  std::string path;    // path only: what messages may show
};

std::optional<SplitUrl> split_url(const std::string& url) {
  static const std::regex pattern(R"(^(https?://[^/?#]+)(/[^?#]*)?(\?[^#]*)?$)");
  std::smatch m;
  if (!std::regex_match(url, m, pattern)) return std::nullopt;
  SplitUrl out;
  out.origin = m[1].str();
  out.path = m[2].matched ? m[2].str() : "/";
  out.target = out.path + (m[3].matched ? m[3].str() : "");
  return out;
}

}  // namespace

Result<HttpResponse> UpstreamHttpClient::send(const HttpRequest& request) {
  auto url = split_url(request.url);
  if (!url) return fail(Error::invalid_argument("not an absolute http(s) URL"));
  if (request.method != "GET" && request.method != "POST") {
    return fail(Error::invalid_argument("unsupported HTTP method " + request.method));
  }
  std::string where = request.method + " " + url->origin + url->path;
  httplib::Client client(url->origin);
  if (!client.is_valid()) return fail(Error::invalid_argument(where + ": unusable URL"));
  client.set_connection_timeout(std::chrono::milliseconds(options_.connect_timeout_ms));
  client.set_read_timeout(std::chrono::milliseconds(options_.read_timeout_ms));
  client.set_write_timeout(std::chrono::milliseconds(options_.read_timeout_ms));
  client.set_follow_location(false);
  client.enable_server_certificate_verification(true);
  httplib::Headers headers;
  for (const HttpHeader& h : request.headers) headers.emplace(h.name, h.value);
  httplib::Result result = request.method == "GET"
                               ? client.Get(url->target, headers)
                               : client.Post(url->target, headers, request.body, request.content_type);
  if (!result) return fail(Error::unavailable(where + ": " + httplib::to_string(result.error())));
  HttpResponse response;
  response.status = result->status;
  response.body = result->body;
  for (const auto& [name, value] : result->headers) response.headers.push_back({name, value});
  return response;
}

}  // namespace passerelle
