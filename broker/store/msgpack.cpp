#include "store/msgpack.h"

#include <limits>

namespace passerelle::msgpack {

// The tags of the MessagePack specification (github.com/msgpack/msgpack, spec.md).
namespace {
constexpr uint8_t kFalse = 0xC2, kTrue = 0xC3;
constexpr uint8_t kUint8 = 0xCC, kUint16 = 0xCD, kUint32 = 0xCE, kUint64 = 0xCF;
constexpr uint8_t kInt8 = 0xD0, kInt16 = 0xD1, kInt32 = 0xD2, kInt64 = 0xD3;
constexpr uint8_t kStr8 = 0xD9, kStr16 = 0xDA, kStr32 = 0xDB;
constexpr uint8_t kArray16 = 0xDC, kArray32 = 0xDD, kMap16 = 0xDE, kMap32 = 0xDF;
constexpr uint8_t kFixStr = 0xA0, kFixArray = 0x90, kFixMap = 0x80;
}  // namespace

void Writer::tagged(uint8_t tag, uint64_t value, size_t bytes) {
  out_->push_back(static_cast<char>(tag));
  for (size_t i = bytes; i-- > 0;) out_->push_back(static_cast<char>(value >> (8 * i)));
}

void Writer::string(std::string_view value) {
  size_header(kFixStr, 31, kStr8, kStr16, kStr32, value.size());
  out_->append(value);
}

void Writer::unsigned_integer(uint64_t value) {
  if (value < 128) {
    out_->push_back(static_cast<char>(value));
  } else if (value <= 0xFF) {
    tagged(kUint8, value, 1);
  } else if (value <= 0xFFFF) {
    tagged(kUint16, value, 2);
  } else if (value <= 0xFFFFFFFF) {
    tagged(kUint32, value, 4);
  } else {
    tagged(kUint64, value, 8);
  }
}

// Non-negative values take the unsigned forms, as to_msgpack writes them.
void Writer::integer(int64_t value) {
  if (value >= 0) return unsigned_integer(static_cast<uint64_t>(value));
  auto bits = static_cast<uint64_t>(value);
  if (value >= -32) {
    out_->push_back(static_cast<char>(bits));
  } else if (value >= std::numeric_limits<int8_t>::min()) {
    tagged(kInt8, bits, 1);
  } else if (value >= std::numeric_limits<int16_t>::min()) {
    tagged(kInt16, bits, 2);
  } else if (value >= std::numeric_limits<int32_t>::min()) {
    tagged(kInt32, bits, 4);
  } else {
    tagged(kInt64, bits, 8);
  }
}

// The fixed form (the size in the tag's low bits) up to `fix_max`, else
// the smallest of the 1-, 2- and 4-byte sizes (tag8 == 0: no 1-byte form,
// as for arrays and maps), as the reader's length() reads them.
void Writer::size_header(uint8_t fix, size_t fix_max, uint8_t tag8, uint8_t tag16, uint8_t tag32,
                         size_t size) {
  if (size <= fix_max) {
    out_->push_back(static_cast<char>(fix | size));
  } else if (tag8 != 0 && size <= 0xFF) {
    tagged(tag8, size, 1);
  } else if (size <= 0xFFFF) {
    tagged(tag16, size, 2);
  } else {
    tagged(tag32, size, 4);
  }
}

void Writer::array_header(size_t count) {
  size_header(kFixArray, 15, 0, kArray16, kArray32, count);
}

void Writer::map_header(size_t count) {
  size_header(kFixMap, 15, 0, kMap16, kMap32, count);
}

bool Reader::byte(uint8_t& out) {
  if (pos_ >= bytes_.size()) return false;
  out = static_cast<uint8_t>(bytes_[pos_++]);
  return true;
}

bool Reader::big_endian(size_t bytes, uint64_t& out) {
  if (bytes_.size() - pos_ < bytes) return false;
  out = 0;
  for (size_t i = 0; i < bytes; ++i) out = (out << 8) | static_cast<uint8_t>(bytes_[pos_++]);
  return true;
}

// A length in the fixed form (the tag's low bits) or after a 1-, 2- or
// 4-byte tag (tag8 == 0: no 1-byte form, as for arrays and maps).
bool Reader::length(uint8_t tag, uint8_t fix_base, uint8_t fix_mask, uint8_t tag8, uint8_t tag16,
                    uint8_t tag32, size_t& out) {
  uint64_t n = 0;
  if ((tag & ~fix_mask) == fix_base) {
    n = tag & fix_mask;
  } else if (tag8 != 0 && tag == tag8) {
    if (!big_endian(1, n)) return false;
  } else if (tag == tag16) {
    if (!big_endian(2, n)) return false;
  } else if (tag == tag32) {
    if (!big_endian(4, n)) return false;
  } else {
    return false;
  }
  out = static_cast<size_t>(n);
  return true;
}

bool Reader::string_view(std::string_view& out) {
  uint8_t tag = 0;
  size_t n = 0;
  if (!byte(tag) || !length(tag, kFixStr, 0x1F, kStr8, kStr16, kStr32, n)) return false;
  if (bytes_.size() - pos_ < n) return false;
  out = bytes_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::string(std::string& out) {
  std::string_view view;
  if (!string_view(view)) return false;
  out.assign(view);
  return true;
}

bool Reader::unsigned_integer(uint64_t& out) {
  uint8_t tag = 0;
  if (!byte(tag)) return false;
  if (tag < 0x80) {  // positive fixint
    out = tag;
    return true;
  }
  switch (tag) {
    case kUint8:
      return big_endian(1, out);
    case kUint16:
      return big_endian(2, out);
    case kUint32:
      return big_endian(4, out);
    case kUint64:
      return big_endian(8, out);
    default:
      return false;
  }
}

bool Reader::integer(int64_t& out) {
  if (pos_ >= bytes_.size()) return false;
  auto tag = static_cast<uint8_t>(bytes_[pos_]);
  if (tag < 0x80 || (tag >= kUint8 && tag <= kUint64)) {
    uint64_t value = 0;
    if (!unsigned_integer(value) || value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    out = static_cast<int64_t>(value);
    return true;
  }
  ++pos_;
  if (tag >= 0xE0) {  // negative fixint
    out = static_cast<int8_t>(tag);
    return true;
  }
  size_t bytes = tag == kInt8 ? 1 : tag == kInt16 ? 2 : tag == kInt32 ? 4 : tag == kInt64 ? 8 : 0;
  uint64_t raw = 0;
  if (bytes == 0 || !big_endian(bytes, raw)) return false;
  // Two's complement of `bytes` bytes: shifted to the top and back, which
  // copies its sign bit down (an arithmetic shift in C++20).
  const unsigned unused = 64 - 8 * static_cast<unsigned>(bytes);
  out = static_cast<int64_t>(raw << unused) >> unused;
  return true;
}

bool Reader::boolean(bool& out) {
  uint8_t tag = 0;
  if (!byte(tag) || (tag != kFalse && tag != kTrue)) return false;
  out = tag == kTrue;
  return true;
}

bool Reader::array_header(size_t& count) {
  uint8_t tag = 0;
  return byte(tag) && length(tag, kFixArray, 0x0F, 0, kArray16, kArray32, count);
}

bool Reader::map_header(size_t& count) {
  uint8_t tag = 0;
  return byte(tag) && length(tag, kFixMap, 0x0F, 0, kMap16, kMap32, count);
}

}  // namespace passerelle::msgpack
