// The HttpClient lent to connectors against misbehaving upstreams on
// 127.0.0.1: an answer larger than the limit, and one that dribbles in
// byte by byte, each end as kUnavailable instead of holding the thread.
// The limits are small so the tests are quick; nothing asserts a duration.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <httplib.h>

#include "connectors/http_client.h"

namespace passerelle {
namespace {

struct MisbehavingUpstream {
  httplib::Server server;
  std::atomic<bool> stopping{false};
  int port = 0;
  std::thread thread;

  MisbehavingUpstream() {
    server.Get("/small", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{\"ok\":true}", "application/json");
    });
    server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body, req.get_header_value("Content-Type"));
    });
    server.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(10 * 1024 * 1024, 'x'), "application/json");
    });
    server.Get("/dribble", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/json", [this](size_t, httplib::DataSink& sink) {
        // One byte every 20 ms, for ever: each read succeeds in time.
        while (!stopping) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          if (!sink.write("x", 1)) return false;
        }
        return false;
      });
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~MisbehavingUpstream() {
    stopping = true;
    server.stop();
    thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

HttpClientOptions small_limits() {
  HttpClientOptions o;
  o.connect_timeout_ms = 1000;
  o.read_timeout_ms = 1000;
  o.total_timeout_ms = 300;
  o.max_response_bytes = 64 * 1024;
  return o;
}

TEST_CASE("upstream HTTP client: a normal answer, GET and POST") {
  MisbehavingUpstream upstream;
  UpstreamHttpClient client(small_limits());
  auto r = client.send({"GET", upstream.url("/small"), {}, "", ""});
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
  CHECK(r->body == "{\"ok\":true}");
  auto posted = client.send({"POST", upstream.url("/echo"), {}, "a=1&b=2", "application/x-www-form-urlencoded"});
  REQUIRE(posted.has_value());
  CHECK(posted->body == "a=1&b=2");
  CHECK(posted->header("Content-Type") == "application/x-www-form-urlencoded");
}

TEST_CASE("upstream HTTP client: an answer over the size limit is refused") {
  MisbehavingUpstream upstream;
  UpstreamHttpClient client(small_limits());
  auto r = client.send({"GET", upstream.url("/huge"), {}, "", ""});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK(r.error().message.find("larger than 65536 bytes") != std::string::npos);
}

TEST_CASE("upstream HTTP client: an answer dribbling in past the total limit is cut off") {
  MisbehavingUpstream upstream;
  UpstreamHttpClient client(small_limits());
  auto r = client.send({"GET", upstream.url("/dribble?secret=s3cr3t"), {}, "", ""});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK(r.error().message.find("no complete answer within 300 ms") != std::string::npos);
  CHECK(r.error().message.find("s3cr3t") == std::string::npos);  // queries may carry secrets
}

}  // namespace
}  // namespace passerelle
