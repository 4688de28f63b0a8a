// A small registry of Prometheus metrics (counters, gauges, histograms, each
// a family of series told apart by label values) and its rendering in the
// text exposition format 0.0.4. It knows nothing of HTTP: the /metrics
// endpoint asks it for render(). Thread-safe: families may be updated from
// any thread while another renders; registration is meant for start-up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace passerelle::metrics {

// Label values, in the order of the family's label names.
using LabelValues = std::vector<std::string>;

// A family's series are capped: label values come from requests, and a bug
// that let a raw path or an id through must not grow memory without bound.
// A sample for a new series past the cap is dropped.
inline constexpr size_t kMaxSeriesPerFamily = 2000;

class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;
  virtual ~Family() = default;

  const std::string& name() const { return name_; }
  // Appends "# HELP", "# TYPE" and every series, in label-value order.
  virtual void render(std::string& out) const = 0;

 protected:
  virtual const char* type() const = 0;
  void render_header(std::string& out) const;
  // `{a="x",b="y"}` for `values` (plus `extra` as a last label), "" when
  // there are no labels at all.
  std::string label_text(const LabelValues& values, const std::string& extra_name = "",
                         const std::string& extra_value = "") const;
  // False when `values` does not fit the label names (the sample is dropped).
  bool fits(const LabelValues& values) const { return values.size() == label_names_.size(); }

  mutable std::mutex mutex_;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
};

// What counters and gauges share: one number per series.
class ScalarFamily : public Family {
 public:
  using Family::Family;
  // The current value, 0 for a series never written (tests, callbacks).
  double value(const LabelValues& values = {}) const;
  // An unlabelled family shows its one sample, 0, before the first event:
  // rate() needs that zero to see the first increase.
  void render(std::string& out) const override;

 protected:
  // The series for `values`, created at 0 if there is room; nullptr when the
  // values do not fit the labels or the family is at its cap.
  // REQUIRES: mutex_ held.
  double* series(const LabelValues& values);

 private:
  std::map<LabelValues, double> series_;
};

// A value that only goes up. inc() with a negative amount is ignored.
class Counter final : public ScalarFamily {
 public:
  using ScalarFamily::ScalarFamily;
  void inc(const LabelValues& values = {}, double by = 1);

 private:
  const char* type() const override { return "counter"; }
};

// A value that goes up and down.
class Gauge final : public ScalarFamily {
 public:
  using ScalarFamily::ScalarFamily;
  void set(const LabelValues& values, double value);
  void add(const LabelValues& values, double by);

 private:
  const char* type() const override { return "gauge"; }
};

// An unlabelled gauge whose value is read when the registry renders, so a
// count kept elsewhere (storage) needs no bookkeeping here. `read` returning
// nullopt (the source failed) leaves the sample out of that scrape. `read` runs
// on the scraping thread and must be thread-safe.
class CallbackGauge final : public Family {
 public:
  CallbackGauge(std::string name, std::string help, std::function<std::optional<double>()> read)
      : Family(std::move(name), std::move(help), {}), read_(std::move(read)) {}
  void render(std::string& out) const override;

 private:
  const char* type() const override { return "gauge"; }
  std::function<std::optional<double>()> read_;
};

// Observations counted into buckets with upper bounds `bounds` (sorted,
// finite; +Inf is implied), plus their sum and count.
class Histogram final : public Family {
 public:
  Histogram(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds);
  void observe(const LabelValues& values, double value);
  // Observations so far in the series, 0 when it has none.
  uint64_t count(const LabelValues& values = {}) const;
  void render(std::string& out) const override;

 private:
  struct Series {
    std::vector<uint64_t> buckets;  // per bucket, not cumulative; one more for +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  const char* type() const override { return "histogram"; }
  std::vector<double> bounds_;
  std::map<LabelValues, Series> series_;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each adds a family and returns it; the reference lives as long as the
  // registry. Names and label names must be valid Prometheus names and a
  // name may be registered once: these are constants of the program, so a
  // breach throws std::invalid_argument (at start-up, never on a request).
  Counter& counter(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  Gauge& gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  CallbackGauge& callback_gauge(const std::string& name, const std::string& help,
                                std::function<std::optional<double>()> read);
  Histogram& histogram(const std::string& name, const std::string& help, std::vector<std::string> label_names,
                       std::vector<double> bounds);

  // Every family, in the order registered, in the text format 0.0.4.
  std::string render() const;

 private:
  template <class F>
  F& add(std::unique_ptr<F> family, const std::vector<std::string>& label_names);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
};

// The Content-Type of render()'s output.
inline constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// Text format helpers, exposed for tests.
// A label value with `\`, `"` and newline escaped.
std::string escape_label_value(const std::string& value);
// A HELP text with `\` and newline escaped.
std::string escape_help(const std::string& help);
// A sample value: integers without a fraction, others in the shortest form
// that reads back exactly; "+Inf", "-Inf", "NaN".
std::string format_value(double value);

}  // namespace passerelle::metrics
