#include "core/json_writer.h"

#include <charconv>
#include <utility>

#include "core/encoding.h"

namespace passerelle {
namespace {

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The escape RFC 8259 §7 requires for a byte that needs_escape(). Control
// characters without a short form become \u00XX, in lower-case hex as
// nlohmann::json writes them.
void append_escaped_byte(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

}  // namespace

JsonObjectWriter::JsonObjectWriter() {
  out_.reserve(256);
  out_ += '{';
}

void JsonObjectWriter::append_string(std::string_view text) {
  if (!is_valid_utf8(text)) valid_utf8_ = false;
  out_ += '"';
  // Runs of bytes that need no escape are copied whole (a token is one run).
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!needs_escape(c)) continue;
    out_.append(text.data() + run, i - run);
    append_escaped_byte(out_, c);
    run = i + 1;
  }
  out_.append(text.data() + run, text.size() - run);
  out_ += '"';
}

void JsonObjectWriter::start_member(std::string_view key) {
  if (out_.size() > 1) out_ += ',';
  append_string(key);
  out_ += ':';
}

JsonObjectWriter& JsonObjectWriter::add(std::string_view key, std::string_view value) {
  start_member(key);
  append_string(value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(std::string_view key, int64_t value) {
  start_member(key);
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out_.append(digits, end);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(std::string_view key, bool value) {
  start_member(key);
  out_ += value ? "true" : "false";
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(std::string_view key, const std::vector<std::string>& values) {
  start_member(key);
  out_ += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out_ += ',';
    append_string(values[i]);
  }
  out_ += ']';
  return *this;
}

Result<std::string> JsonObjectWriter::take() {
  const bool valid = std::exchange(valid_utf8_, true);
  std::string text = std::exchange(out_, "{");
  if (!valid) return fail(Error::invalid_argument("json: a string is not valid UTF-8"));
  text += '}';
  return text;
}

}  // namespace passerelle
