// libFuzzer target: the stored-record decoder (storage/record.h), which
// reads every record a broker finds in its store.
// Invariants: decoding any bytes either fails with kCorruption or gives a
// record that encodes and decodes again to the same bytes (a fixed point:
// byte comparison also holds for NaN); and for a JSON document in the input,
// decode(encode(version, body)) == (version, body).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "storage/record.h"

namespace passerelle {
namespace {

void check_decoded(const storage::DecodedRecord& record) {
  std::string encoded = storage::encode_record(record.version, record.body);
  auto again = storage::decode_record(encoded);
  fuzz::require(again.has_value(), "a re-encoded record decodes");
  fuzz::require(again->version == record.version, "the version survives re-encoding");
  fuzz::require(storage::encode_record(again->version, again->body) == encoded, "re-encoding is a fixed point");
}

}  // namespace
}  // namespace passerelle

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace passerelle;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = storage::decode_record(bytes);
  if (decoded) {
    check_decoded(*decoded);
  } else {
    fuzz::require(decoded.error().code == ErrorCode::kCorruption, "undecodable bytes are kCorruption");
  }

  // The input as "<4-byte version><JSON body>".
  if (size < 4) return 0;
  uint32_t version = 0;
  std::memcpy(&version, data, sizeof version);
  nlohmann::json body = nlohmann::json::parse(data + 4, data + size, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  auto back = storage::decode_record(storage::encode_record(version, body));
  fuzz::require(back.has_value() && back->version == version && back->body == body, "decode(encode(x)) == x");
  return 0;
}
