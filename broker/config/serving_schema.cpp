// The "tls" and "trusted_proxies" sections of the config.
#include "config/sections.h"

namespace passerelle::config_sections {
namespace {

void read_tls(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("tls");
  if (!v) return;
  JsonReader r(*v, root.path_of("tls"), {"certificate_file", "private_key_file"});
  c.tls_certificate_file = r.required_string("certificate_file");
  c.tls_private_key_file = r.required_string("private_key_file");
  // Cookies are marked Secure and URLs are built from the issuer: serving TLS
  // under an http issuer would send browsers to a port that no longer speaks it.
  if (c.issuer.rfind("https://", 0) != 0) {
    throw_at(root.path_of("issuer"), "must be an https URL when the broker serves TLS (tls is set)");
  }
}

void read_trusted_proxies(const JsonReader& root, Config& c) {
  auto ranges = root.string_array("trusted_proxies");
  if (!ranges) return;
  std::string path = root.path_of("trusted_proxies");
  for (size_t i = 0; i < ranges->size(); ++i) {
    auto range = IpRange::parse((*ranges)[i]);
    if (!range) {
      throw_at(json_path_index(path, i), "must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8");
    }
    c.trusted_proxies.push_back(std::move(*range));
  }
}

}  // namespace

void read_serving(const JsonReader& root, Config& c) {
  read_tls(root, c);
  read_trusted_proxies(root, c);
}

}  // namespace passerelle::config_sections
