#include "storage/record.h"

#include <limits>

namespace passerelle::storage {

std::string encode_record(uint32_t version, const nlohmann::json& body) {
  std::string out;
  nlohmann::json::to_msgpack(nlohmann::json::array({version, body}), out);
  return out;
}

Result<DecodedRecord> decode_record(std::string_view bytes) {
  nlohmann::json record;
  try {
    // strict: bytes after the record are an error, not ignored.
    record = nlohmann::json::from_msgpack(bytes.begin(), bytes.end(), /*strict=*/true);
  } catch (const std::exception& e) {
    // The parser's message names a byte offset, never the record's content.
    return fail(Error::corruption(std::string("record: ") + e.what()));
  }
  if (!record.is_array() || record.size() != 2 || !record[0].is_number_unsigned() ||
      record[0].get<uint64_t>() > std::numeric_limits<uint32_t>::max()) {
    return fail(Error::corruption("record: not a [version, body] pair"));
  }
  return DecodedRecord{record[0].get<uint32_t>(), std::move(record[1])};
}

}  // namespace passerelle::storage
