#include "jose/jws_alg.h"

namespace passerelle {

std::optional<JwsAlg> parse_jws_alg(std::string_view name) {
  if (name == "RS256") return JwsAlg::kRS256;
  if (name == "ES256") return JwsAlg::kES256;
  if (name == "EdDSA") return JwsAlg::kEdDSA;
  return std::nullopt;
}

const char* jws_alg_name(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kRS256:
      return "RS256";
    case JwsAlg::kES256:
      return "ES256";
    case JwsAlg::kEdDSA:
      return "EdDSA";
  }
  return "unknown";
}

}  // namespace passerelle
