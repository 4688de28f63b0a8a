#include "connectors/http_client.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

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

// Stops `client`'s request when `limit` passes before the deadline is
// destroyed: read timeouts restart with every byte received, so they alone
// do not bound an exchange. httplib's stop() may be called from another
// thread while a request runs (it shuts the socket down).
class Deadline {
 public:
  Deadline(httplib::Client& client, std::chrono::milliseconds limit)
      : watchdog_([this, &client, limit] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!finished_cv_.wait_for(lock, limit, [this] { return finished_; })) {
            expired_ = true;
            client.stop();
          }
        }) {}
  ~Deadline() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
    }
    finished_cv_.notify_one();
    watchdog_.join();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() {
    std::lock_guard<std::mutex> lock(mutex_);
    return expired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable finished_cv_;
  bool finished_ = false;
  bool expired_ = false;
  std::thread watchdog_;  // last: it starts once the state above exists
};

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
  httplib::Request req;
  req.method = request.method;
  req.path = url->target;
  for (const HttpHeader& h : request.headers) req.headers.emplace(h.name, h.value);
  if (request.method == "POST") {
    req.body = request.body;
    req.set_header("Content-Type", request.content_type);
  }
  std::string body;
  bool too_large = false;
  req.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
    too_large = body.size() + size > options_.max_response_bytes;
    if (!too_large) body.append(data, size);
    return !too_large;
  };
  bool expired = false;
  auto send_within_deadline = [&] {
    Deadline deadline(client, std::chrono::milliseconds(options_.total_timeout_ms));
    httplib::Result r = client.send(req);
    expired = !r && deadline.expired();
    return r;
  };
  httplib::Result result = send_within_deadline();
  if (too_large) {
    return fail(Error::unavailable(where + ": the answer is larger than " +
                                   std::to_string(options_.max_response_bytes) + " bytes"));
  }
  if (expired) {
    return fail(Error::unavailable(where + ": no complete answer within " +
                                   std::to_string(options_.total_timeout_ms) + " ms"));
  }
  if (!result) return fail(Error::unavailable(where + ": " + httplib::to_string(result.error())));
  HttpResponse response;
  response.status = result->status;
  response.body = std::move(body);
  for (const auto& [name, value] : result->headers) response.headers.push_back({name, value});
  return response;
}

}  // namespace passerelle
