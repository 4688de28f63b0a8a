#include "metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace passerelle::metrics {
namespace {

// Prometheus data model: metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// the same without ':'; names starting "__" are reserved.
bool valid_name(const std::string& name, bool allow_colon) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void append_sample(std::string& out, const std::string& name, const std::string& labels, double value) {
  out += name;
  out += labels;
  out += ' ';
  out += format_value(value);
  out += '\n';
}

}  // namespace

std::string escape_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_help(const std::string& help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Counts are the common case; 2^53 keeps them exact.
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "NaN";  // cannot happen: 32 bytes hold any double
  return std::string(buffer, end);
}

void Family::render_header(std::string& out) const {
  out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
  out += "# TYPE " + name_ + " " + type() + "\n";
}

std::string Family::label_text(const LabelValues& values, const std::string& extra_name,
                               const std::string& extra_value) const {
  if (label_names_.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < label_names_.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names_[i] + "=\"" + escape_label_value(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    if (!label_names_.empty()) out += ',';
    out += extra_name + "=\"" + escape_label_value(extra_value) + "\"";
  }
  out += '}';
  return out;
}

double* ScalarFamily::series(const LabelValues& values) {
  if (!fits(values)) return nullptr;
  auto it = series_.find(values);
  if (it == series_.end()) {
    if (series_.size() >= kMaxSeriesPerFamily) return nullptr;
    it = series_.emplace(values, 0.0).first;
  }
  return &it->second;
}

double ScalarFamily::value(const LabelValues& values) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

void ScalarFamily::render(std::string& out) const {
  render_header(out);
  std::lock_guard lock(mutex_);
  if (series_.empty() && fits({})) append_sample(out, name(), "", 0);
  for (const auto& [values, value] : series_) append_sample(out, name(), label_text(values), value);
}

void Counter::inc(const LabelValues& values, double by) {
  if (!(by >= 0)) return;
  std::lock_guard lock(mutex_);
  if (double* v = series(values)) *v += by;
}

void Gauge::set(const LabelValues& values, double value) {
  std::lock_guard lock(mutex_);
  if (double* v = series(values)) *v = value;
}

void Gauge::add(const LabelValues& values, double by) {
  std::lock_guard lock(mutex_);
  if (double* v = series(values)) *v += by;
}

void CallbackGauge::render(std::string& out) const {
  render_header(out);
  // Not under the family's lock: the source may be slow (a storage read),
  // and `read_` is thread-safe by contract.
  if (auto value = read_()) append_sample(out, name(), "", *value);
}

Histogram::Histogram(std::string name, std::string help, std::vector<std::string> label_names,
                     std::vector<double> bounds)
    : Family(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {
  bool sorted = std::is_sorted(bounds_.begin(), bounds_.end()) &&
                std::adjacent_find(bounds_.begin(), bounds_.end()) == bounds_.end();
  bool finite = std::all_of(bounds_.begin(), bounds_.end(), [](double b) { return std::isfinite(b); });
  if (!sorted || !finite) throw std::invalid_argument("histogram " + this->name() + ": bounds must increase");
}

void Histogram::observe(const LabelValues& values, double value) {
  if (!fits(values) || std::isnan(value)) return;
  std::lock_guard lock(mutex_);
  auto it = series_.find(values);
  if (it == series_.end()) {
    if (series_.size() >= kMaxSeriesPerFamily) return;
    it = series_.emplace(values, Series{std::vector<uint64_t>(bounds_.size() + 1, 0), 0, 0}).first;
  }
  // `le` is inclusive: a value equal to a bound falls in that bound's bucket.
  size_t bucket = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  it->second.buckets[bucket]++;
  it->second.sum += value;
  it->second.count++;
}

uint64_t Histogram::count(const LabelValues& values) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

void Histogram::render(std::string& out) const {
  render_header(out);
  std::lock_guard lock(mutex_);
  auto render_series = [&](const LabelValues& values, const Series& s) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += s.buckets[i];
      std::string le = i < bounds_.size() ? format_value(bounds_[i]) : "+Inf";
      append_sample(out, name() + "_bucket", label_text(values, "le", le), static_cast<double>(cumulative));
    }
    append_sample(out, name() + "_sum", label_text(values), s.sum);
    append_sample(out, name() + "_count", label_text(values), static_cast<double>(s.count));
  };
  if (series_.empty() && fits({})) render_series({}, Series{std::vector<uint64_t>(bounds_.size() + 1, 0), 0, 0});
  for (const auto& [values, s] : series_) render_series(values, s);
}

template <class F>
F& Registry::add(std::unique_ptr<F> family, const std::vector<std::string>& label_names) {
  if (!valid_name(family->name(), true)) throw std::invalid_argument("metric name \"" + family->name() + "\"");
  for (const auto& label : label_names) {
    if (!valid_name(label, false) || label == "le") {
      throw std::invalid_argument(family->name() + ": label name \"" + label + "\"");
    }
  }
  std::lock_guard lock(mutex_);
  for (const auto& existing : families_) {
    if (existing->name() == family->name()) throw std::invalid_argument("metric " + family->name() + " registered twice");
  }
  F& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

Counter& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  auto labels = label_names;
  return add(std::make_unique<Counter>(name, help, std::move(label_names)), labels);
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  auto labels = label_names;
  return add(std::make_unique<Gauge>(name, help, std::move(label_names)), labels);
}

CallbackGauge& Registry::callback_gauge(const std::string& name, const std::string& help,
                                        std::function<std::optional<double>()> read) {
  return add(std::make_unique<CallbackGauge>(name, help, std::move(read)), {});
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               std::vector<std::string> label_names, std::vector<double> bounds) {
  auto labels = label_names;
  return add(std::make_unique<Histogram>(name, help, std::move(label_names), std::move(bounds)), labels);
}

std::string Registry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& family : families_) family->render(out);
  return out;
}

}  // namespace passerelle::metrics
