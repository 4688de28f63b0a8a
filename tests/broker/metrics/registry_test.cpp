#include "metrics/registry.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <thread>

#include <doctest/doctest.h>

namespace passerelle::metrics {
namespace {

TEST_CASE("metrics: label values escape backslash, quote and newline") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"plain", "plain"},
      {R"(a\b)", R"(a\\b)"},
      {R"(say "hi")", R"(say \"hi\")"},
      {"two\nlines", R"(two\nlines)"},
      {"\\\"\n", R"(\\\"\n)"},
      {"", ""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.in);
    CHECK(escape_label_value(row.in) == row.out);
  }
  // HELP escapes backslash and newline only (text format 0.0.4).
  CHECK(escape_help("a \"b\" \\ c\nd") == "a \"b\" \\\\ c\\nd");
}

TEST_CASE("metrics: sample values") {
  struct Row {
    double in;
    const char* out;
  };
  const Row rows[] = {
      {0, "0"}, {1, "1"}, {42, "42"}, {-3, "-3"}, {0.005, "0.005"}, {2.5, "2.5"}, {1e300, "1e+300"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.out);
    CHECK(format_value(row.in) == row.out);
  }
}

TEST_CASE("metrics: a counter family renders HELP, TYPE and series in label order") {
  Registry registry;
  Counter& logins = registry.counter("test_logins_total", "Logins by\nconnection.", {"connection", "outcome"});
  logins.inc({"z-conn", "success"});
  logins.inc({"a-conn", "failure"}, 2);
  logins.inc({"a-conn", "failure"});
  logins.inc({"a \"q\" \\", "success"});
  logins.inc({"too", "many", "labels"});  // dropped: does not fit
  logins.inc({"a-conn", "failure"}, -5);  // dropped: counters only go up
  CHECK(logins.value({"a-conn", "failure"}) == 3);
  CHECK(logins.value({"never", "seen"}) == 0);
  // Series are ordered by their label values, whatever order they came in,
  // and each line names its labels in the family's order.
  CHECK(registry.render() ==
        "# HELP test_logins_total Logins by\\nconnection.\n"
        "# TYPE test_logins_total counter\n"
        "test_logins_total{connection=\"a \\\"q\\\" \\\\\",outcome=\"success\"} 1\n"
        "test_logins_total{connection=\"a-conn\",outcome=\"failure\"} 3\n"
        "test_logins_total{connection=\"z-conn\",outcome=\"success\"} 1\n");
}

TEST_CASE("metrics: an unlabelled counter or gauge shows 0 before any event") {
  Registry registry;
  registry.counter("test_reuse_total", "Reuses.");
  Gauge& g = registry.gauge("test_level", "A level.");
  CHECK(registry.render() ==
        "# HELP test_reuse_total Reuses.\n# TYPE test_reuse_total counter\ntest_reuse_total 0\n"
        "# HELP test_level A level.\n# TYPE test_level gauge\ntest_level 0\n");
  g.set({}, 7);
  g.add({}, -2.5);
  CHECK(g.value() == 4.5);
  CHECK(registry.render().find("\ntest_level 4.5\n") != std::string::npos);
}

TEST_CASE("metrics: histogram buckets are cumulative and end with +Inf") {
  Registry registry;
  Histogram& h = registry.histogram("test_seconds", "Durations.", {"route"}, {0.125, 0.5, 1});
  // Binary fractions keep the sums exact. 0.125 falls in le="0.125": le is inclusive.
  for (double v : {0.0625, 0.125, 0.25, 0.75, 3.0}) h.observe({"/a"}, v);
  h.observe({"/b"}, 0.25);
  CHECK(h.count({"/a"}) == 5);
  CHECK(registry.render() ==
        "# HELP test_seconds Durations.\n"
        "# TYPE test_seconds histogram\n"
        "test_seconds_bucket{route=\"/a\",le=\"0.125\"} 2\n"
        "test_seconds_bucket{route=\"/a\",le=\"0.5\"} 3\n"
        "test_seconds_bucket{route=\"/a\",le=\"1\"} 4\n"
        "test_seconds_bucket{route=\"/a\",le=\"+Inf\"} 5\n"
        "test_seconds_sum{route=\"/a\"} 4.1875\n"
        "test_seconds_count{route=\"/a\"} 5\n"
        "test_seconds_bucket{route=\"/b\",le=\"0.125\"} 0\n"
        "test_seconds_bucket{route=\"/b\",le=\"0.5\"} 1\n"
        "test_seconds_bucket{route=\"/b\",le=\"1\"} 1\n"
        "test_seconds_bucket{route=\"/b\",le=\"+Inf\"} 1\n"
        "test_seconds_sum{route=\"/b\"} 0.25\n"
        "test_seconds_count{route=\"/b\"} 1\n");
}

TEST_CASE("metrics: an unlabelled histogram shows empty buckets before any observation") {
  Registry registry;
  registry.histogram("test_commit_seconds", "Commits.", {}, {0.5});
  CHECK(registry.render() ==
        "# HELP test_commit_seconds Commits.\n# TYPE test_commit_seconds histogram\n"
        "test_commit_seconds_bucket{le=\"0.5\"} 0\ntest_commit_seconds_bucket{le=\"+Inf\"} 0\n"
        "test_commit_seconds_sum 0\ntest_commit_seconds_count 0\n");
}

TEST_CASE("metrics: a callback gauge is read at each render and left out when it fails") {
  Registry registry;
  std::optional<double> source = 3;
  registry.callback_gauge("test_sessions", "Sessions.", [&source] { return source; });
  CHECK(registry.render() == "# HELP test_sessions Sessions.\n# TYPE test_sessions gauge\ntest_sessions 3\n");
  source = 1000000;
  CHECK(registry.render().find("\ntest_sessions 1000000\n") != std::string::npos);
  source.reset();
  CHECK(registry.render() == "# HELP test_sessions Sessions.\n# TYPE test_sessions gauge\n");
}

TEST_CASE("metrics: families render in the order registered") {
  Registry registry;
  registry.counter("test_b_total", "B.");
  registry.counter("test_a_total", "A.");
  std::string text = registry.render();
  CHECK(text.find("test_b_total") < text.find("test_a_total"));
}

TEST_CASE("metrics: bad names, reserved labels, duplicates and unsorted bounds are refused") {
  Registry registry;
  registry.counter("test_total", "T.");
  CHECK_THROWS_AS(registry.counter("test_total", "again"), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("1starts_with_digit", "x"), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("has-dash", "x"), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("test_labels_total", "x", {"bad:label"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("test_reserved_total", "x", {"__name"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("test_le_seconds", "x", {"le"}, {1}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("test_unsorted_seconds", "x", {}, {1, 0.5}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("test_repeated_seconds", "x", {}, {1, 1}), std::invalid_argument);
  CHECK_NOTHROW(registry.counter("ns:test_total", "colons are allowed in metric names"));
}

TEST_CASE("metrics: a family stops growing at its series cap") {
  Registry registry;
  Counter& c = registry.counter("test_capped_total", "Capped.", {"id"});
  for (size_t i = 0; i < kMaxSeriesPerFamily + 10; ++i) c.inc({std::to_string(i)});
  c.inc({"0"});  // an existing series still counts
  CHECK(c.value({"0"}) == 2);
  CHECK(c.value({std::to_string(kMaxSeriesPerFamily)}) == 0);
  std::string text = registry.render();
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  CHECK(lines == kMaxSeriesPerFamily + 2);  // HELP, TYPE, then the series
}

TEST_CASE("metrics: concurrent updates and renders lose no increment") {
  Registry registry;
  Counter& c = registry.counter("test_concurrent_total", "C.", {"worker"});
  Histogram& h = registry.histogram("test_concurrent_seconds", "H.", {}, {0.5});
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        c.inc({std::to_string(t % 2)});
        h.observe({}, 0.1);
        if (i % 500 == 0) (void)registry.render();
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(c.value({"0"}) == 2 * kPerThread);
  CHECK(c.value({"1"}) == 2 * kPerThread);
  CHECK(h.count() == 4 * kPerThread);
}

}  // namespace
}  // namespace passerelle::metrics
