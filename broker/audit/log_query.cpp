#include "audit/log_query.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace passerelle {
namespace {

constexpr const char* kFields[] = {"user_id", "user_name", "client_id", "connection", "ip", "type", "log_id"};

const std::string& field_of(const AuditEvent& e, const std::string& name) {
  if (name == "user_id") return e.user_id;
  if (name == "user_name") return e.user_name;
  if (name == "client_id") return e.client_id;
  if (name == "connection") return e.connection;
  if (name == "ip") return e.ip;
  if (name == "type") return e.type;
  return e.log_id;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<int64_t> digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int64_t n = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

// A cursor over the query; every method fails with the reason.
class Parser {
 public:
  explicit Parser(std::string_view q) : q_(q) {}

  Result<LogFilter> parse() {
    LogFilter filter;
    skip_spaces();
    if (at_end()) return filter;
    for (;;) {
      if (auto st = clause(filter); !st) return fail(st.error());
      skip_spaces();
      if (at_end()) return filter;
      if (!keyword("AND")) return error("expected AND between clauses");
    }
  }

 private:
  Status clause(LogFilter& filter) {
    size_t start = pos_;
    while (!at_end() && (std::islower(static_cast<unsigned char>(q_[pos_])) || q_[pos_] == '_')) ++pos_;
    std::string field(q_.substr(start, pos_ - start));
    if (field.empty() || at_end() || q_[pos_] != ':') return error("expected field:value");
    ++pos_;
    if (field == "date") return date_clause(filter);
    if (std::find(std::begin(kFields), std::end(kFields), field) == std::end(kFields)) {
      return error("unknown field \"" + field + "\"");
    }
    if (filter.equals.count(field)) return error("field \"" + field + "\" appears twice");
    std::vector<std::string> values;
    if (!at_end() && q_[pos_] == '(') {
      ++pos_;
      for (;;) {
        skip_spaces();
        auto v = value();
        if (!v) return fail(v.error());
        values.push_back(*v);
        skip_spaces();
        if (!at_end() && q_[pos_] == ')') break;
        if (!keyword("OR")) return error("expected OR or ) in a list of values");
      }
      ++pos_;
    } else {
      auto v = value();
      if (!v) return fail(v.error());
      values.push_back(*v);
    }
    filter.equals[field] = std::move(values);
    return {};
  }

  Status date_clause(LogFilter& filter) {
    int64_t from = 0;
    int64_t to = 0;
    if (!at_end() && q_[pos_] == '[') {
      ++pos_;
      skip_spaces();
      auto low = bound(" ", false, std::numeric_limits<int64_t>::min());
      if (!low) return fail(low.error());
      skip_spaces();
      if (!keyword("TO")) return error("expected TO in a date range");
      auto high = bound("] ", true, std::numeric_limits<int64_t>::max());
      if (!high) return fail(high.error());
      skip_spaces();
      if (at_end() || q_[pos_] != ']') return error("expected ] after a date range");
      ++pos_;
      from = *low;
      to = *high;
    } else {
      auto v = value();
      if (!v) return fail(v.error());
      auto first = parse_log_date(*v, false);
      auto last = parse_log_date(*v, true);
      if (!first || !last) return error("date: expected YYYY-MM-DD or [FROM TO TO]");
      from = *first;
      to = *last;
    }
    filter.date_from = std::max(filter.date_from, from);
    filter.date_to = std::min(filter.date_to, to);
    return {};
  }

  Result<int64_t> bound(std::string_view stops, bool end_of_day, int64_t open) {
    size_t start = pos_;
    while (!at_end() && stops.find(q_[pos_]) == std::string_view::npos) ++pos_;
    std::string_view text = q_.substr(start, pos_ - start);
    if (text == "*") return open;
    auto t = parse_log_date(text, end_of_day);
    if (!t)
      return fail(Error::invalid_argument("date: \"" + std::string(text) +
                                          "\" is not YYYY-MM-DD, an RFC 3339 UTC time or *"));
    return *t;
  }

  Result<std::string> value() {
    if (at_end()) return fail(Error::invalid_argument("a value is missing at the end"));
    if (q_[pos_] == '"') {
      std::string out;
      for (++pos_; !at_end(); ++pos_) {
        char c = q_[pos_];
        if (c == '"') {
          ++pos_;
          if (out.empty()) return fail(Error::invalid_argument("an empty quoted value"));
          return out;
        }
        if (c == '\\' && pos_ + 1 < q_.size()) c = q_[++pos_];
        out += c;
      }
      return fail(Error::invalid_argument("a quoted value is not closed"));
    }
    size_t start = pos_;
    while (!at_end() && q_[pos_] != ' ' && q_[pos_] != ')') {
      if (std::string_view("\"()[]{}*?~^\\:").find(q_[pos_]) != std::string_view::npos) {
        return fail(Error::invalid_argument(std::string("'") + q_[pos_] +
                                            "' is not supported in a bare value; quote the value"));
      }
      ++pos_;
    }
    if (pos_ == start) return fail(Error::invalid_argument("a value is missing"));
    return std::string(q_.substr(start, pos_ - start));
  }

  // The keyword followed by a space or the end, after the spaces before it.
  bool keyword(std::string_view word) {
    skip_spaces();
    if (q_.substr(pos_, word.size()) != word) return false;
    size_t after = pos_ + word.size();
    if (after < q_.size() && q_[after] != ' ') return false;  // "ANDROID" is no keyword
    pos_ = after;
    skip_spaces();
    return true;
  }

  void skip_spaces() {
    while (!at_end() && q_[pos_] == ' ') ++pos_;
  }
  bool at_end() const { return pos_ >= q_.size(); }
  tl::unexpected<Error> error(const std::string& what) const {
    return fail(Error::invalid_argument(what + " (at character " + std::to_string(pos_ + 1) + ")"));
  }

  std::string_view q_;
  size_t pos_ = 0;
};

}  // namespace

bool LogFilter::matches(const AuditEvent& e) const {
  if (e.date < date_from || e.date > date_to) return false;
  for (const auto& [field, values] : equals) {
    if (std::find(values.begin(), values.end(), field_of(e, field)) == values.end()) return false;
  }
  return true;
}

Result<LogFilter> parse_log_query(std::string_view q) {
  return Parser(q).parse();
}

std::optional<int64_t> parse_log_date(std::string_view text, bool end_of_day) {
  auto y = digits(text, 0, 4);
  auto mo = digits(text, 5, 2);
  auto d = digits(text, 8, 2);
  if (!y || !mo || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31) return std::nullopt;
  const int64_t day = days_from_civil(*y, *mo, *d) * 86400;
  if (text.size() == 10) return end_of_day ? day + 86399 : day;
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z.
  auto h = digits(text, 11, 2);
  auto mi = digits(text, 14, 2);
  auto s = digits(text, 17, 2);
  if (!h || !mi || !s || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
  if (*h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) return std::nullopt;
  }
  if (i + 1 != text.size() || text[i] != 'Z') return std::nullopt;
  return day + *h * 3600 + *mi * 60 + *s;
}

}  // namespace passerelle
