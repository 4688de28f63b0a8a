// The few MessagePack forms the broker's records are made of (strings,
// integers, booleans, arrays, maps), written and read without building a
// JSON tree. The writer picks the same encodings nlohmann::json::to_msgpack
// does (the smallest form of each value, str8 for strings of 32 to 255
// bytes), so a record written either way has the same bytes. The reader
// takes any valid encoding of those forms and says no to everything else
// (nil, floats, binary, extensions, truncation), leaving the caller to fall
// back to the general parser. Not thread-safe; one instance per record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace passerelle::msgpack {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(&out) {}

  void string(std::string_view value);
  void integer(int64_t value);
  void unsigned_integer(uint64_t value);
  void boolean(bool value) { out_->push_back(static_cast<char>(value ? 0xC3 : 0xC2)); }
  void array_header(size_t count);
  void map_header(size_t count);

 private:
  void tagged(uint8_t tag, uint64_t value, size_t bytes);
  void size_header(uint8_t fix, size_t fix_max, uint8_t tag8, uint8_t tag16, uint8_t tag32, size_t size);

  std::string* out_;
};

// Each read returns false, leaving the position undefined, when the next
// value is not of the kind asked for or is cut short.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool string(std::string& out);
  bool string_view(std::string_view& out);  // valid while the bytes are
  bool integer(int64_t& out);               // any integer form that fits int64_t
  bool unsigned_integer(uint64_t& out);     // the unsigned forms only (positive fixint, uint 8-64)
  bool boolean(bool& out);
  bool array_header(size_t& count);
  bool map_header(size_t& count);
  bool at_end() const { return pos_ == bytes_.size(); }

 private:
  bool byte(uint8_t& out);
  bool big_endian(size_t bytes, uint64_t& out);
  bool length(uint8_t tag, uint8_t fix_base, uint8_t fix_mask, uint8_t tag8, uint8_t tag16, uint8_t tag32,
              size_t& out);

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace passerelle::msgpack
