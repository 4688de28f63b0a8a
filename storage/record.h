// Versioned record encoding: how the broker's typed records become the bytes a
// KvStore keeps. A record is the MessagePack form of [version, body]: compact,
// and the version lets a reader upgrade records written by an older release.
// Stateless functions; thread-safe.
#pragma once

#include <passerelle/result.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace passerelle::storage {

struct DecodedRecord {
  uint32_t version = 0;
  nlohmann::json body;
};

// The stored form of `body` at schema `version`.
std::string encode_record(uint32_t version, const nlohmann::json& body);

// The version and body of bytes made by encode_record. Fails with kCorruption
// when the bytes are not such a record (truncated, trailing bytes, wrong shape).
Result<DecodedRecord> decode_record(std::string_view bytes);

}  // namespace passerelle::storage
