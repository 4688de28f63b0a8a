#include "config/json_reader.h"

#include <algorithm>
#include <set>

namespace passerelle {
namespace {

bool is_plain_key(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// The usual ranges get their own wording ("expected a positive integer");
// others name the bound.
std::string integer_type_problem(int64_t min) {
  if (min == 1) return "expected a positive integer";
  if (min == 0) return "expected a non-negative integer";
  return "expected an integer";
}

std::string integer_below_problem(int64_t min) {
  if (min == 0 || min == 1) return integer_type_problem(min);
  return "must be at least " + std::to_string(min);
}

}  // namespace

std::string json_path_key(std::string_view parent, std::string_view key) {
  if (!is_plain_key(key)) {
    // Escaped as a JSON string: quotes, control characters and newlines stay
    // on one line; invalid UTF-8 is replaced rather than thrown on.
    std::string quoted =
        nlohmann::json(std::string(key)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return std::string(parent) + "[" + quoted + "]";
  }
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string json_path_index(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

void throw_at(std::string_view path, std::string_view problem) {
  std::string where = path.empty() ? std::string("top level") : std::string(path);
  throw JsonReadError(where + ": " + std::string(problem));
}

namespace {

// The position of the parser inside the document, one frame per open object
// or array, so a repeated key can be reported by its path.
class DuplicateKeyGuard {
 public:
  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
        frames_.push_back({false, child_path(), {}, {}, 0});
        break;
      case Event::array_start:
        frames_.push_back({true, child_path(), {}, {}, 0});
        break;
      case Event::key: {
        Frame& top = frames_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second) throw_at(json_path_key(top.path, top.key), "duplicate key");
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        element_done();
        break;
      case Event::value:
        element_done();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    std::string path;
    std::set<std::string> keys;
    std::string key;  // the key whose value is being read
    size_t index;     // the array element being read
  };

  std::string child_path() const {
    if (frames_.empty()) return "";
    const Frame& top = frames_.back();
    return top.is_array ? json_path_index(top.path, top.index) : json_path_key(top.path, top.key);
  }
  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  std::vector<Frame> frames_;
};

}  // namespace

nlohmann::json parse_json_strict(const std::string& text) {
  DuplicateKeyGuard guard;
  return nlohmann::json::parse(text,
                               [&guard](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                                 return guard.on_event(event, parsed);
                               });
}

JsonReader::JsonReader(const nlohmann::json& value, std::string path,
                       std::initializer_list<std::string_view> allowed)
    : value_(value), path_(std::move(path)) {
  if (!value_.is_object()) throw_at(path_, "expected an object");
  // nlohmann's object is an ordered map, so the first unknown key reported is
  // the first in byte order: deterministic whatever the file's layout.
  for (auto it = value_.begin(); it != value_.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      throw_at(path_of(it.key()), "unknown key");
    }
  }
}

const nlohmann::json* JsonReader::find(std::string_view key) const {
  auto it = value_.find(std::string(key));
  return it == value_.end() ? nullptr : &*it;
}

std::optional<std::string> JsonReader::string(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw_at(path_of(key), "expected a string");
  return v->get<std::string>();
}

std::optional<std::string> JsonReader::non_empty_string(std::string_view key) const {
  std::optional<std::string> s = string(key);
  if (s && s->empty()) throw_at(path_of(key), "must not be empty");
  return s;
}

std::string JsonReader::required_string(std::string_view key) const {
  std::optional<std::string> s = non_empty_string(key);
  if (!s) throw_at(path_of(key), "required");
  return *s;
}

std::optional<bool> JsonReader::boolean(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) throw_at(path_of(key), "expected a boolean");
  return v->get<bool>();
}

std::optional<int64_t> JsonReader::integer(std::string_view key, int64_t min, int64_t max) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  // Integers beyond int64 arrive as unsigned or float: both are out of range.
  if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX)) {
    throw_at(path_of(key), "must be at most " + std::to_string(max));
  }
  if (!v->is_number_integer()) throw_at(path_of(key), integer_type_problem(min));
  int64_t n = v->get<int64_t>();
  if (n < min) throw_at(path_of(key), integer_below_problem(min));
  if (n > max) throw_at(path_of(key), "must be at most " + std::to_string(max));
  return n;
}

std::optional<std::vector<std::string>> JsonReader::string_array(std::string_view key) const {
  const nlohmann::json* v = array(key);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const nlohmann::json& e = (*v)[i];
    if (!e.is_string()) throw_at(json_path_index(path_of(key), i), "expected a string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::optional<size_t> JsonReader::choice(std::string_view key,
                                         std::initializer_list<std::string_view> choices) const {
  std::optional<std::string> s = string(key);
  if (!s) return std::nullopt;
  auto it = std::find(choices.begin(), choices.end(), *s);
  if (it != choices.end()) return size_t(it - choices.begin());
  std::string list;
  for (std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  throw_at(path_of(key), "must be one of " + list);
}

const nlohmann::json* JsonReader::array(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (v && !v->is_array()) throw_at(path_of(key), "expected an array");
  return v;
}

const nlohmann::json* JsonReader::object(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (v && !v->is_object()) throw_at(path_of(key), "expected an object");
  return v;
}

}  // namespace passerelle
