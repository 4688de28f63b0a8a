// libFuzzer target: the config loader (broker/config/config.h) from a JSON
// text, through load_config_file as `passerelle serve --config` reads it.
// Invariants: it never throws and never fails with kInternal (every bad
// input is an invalid_argument naming its key), the message is one line and
// never quotes a client secret or a password; a loaded client's settings
// survive the JSON form the management API stores them in.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "clients/client.h"
#include "config/config.h"
#include "fuzz_support.h"

namespace passerelle {
namespace {

// Where each input is written: load_config_file reads a path.
const std::string& config_path() {
  static const std::string path = [] {
    char name[] = "/tmp/passerelle-config-fuzz-XXXXXX";
    int fd = mkstemp(name);
    fuzz::require(fd >= 0, "a temporary file can be made");
    close(fd);
    std::string made = name;
    std::atexit([] { std::remove(config_path().c_str()); });
    return made;
  }();
  return path;
}

void write_config(std::string_view text) {
  std::FILE* f = std::fopen(config_path().c_str(), "wb");
  fuzz::require(f != nullptr, "the temporary file can be written");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

size_t occurrences(std::string_view text, std::string_view part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// The string values of secret-bearing members anywhere in `doc` that a
// message could not hold by chance: long, and written once in the text
// (a value that is also a key or another member's value may be quoted as
// that).
void collect_secrets(const nlohmann::json& doc, std::string_view text, std::vector<std::string>& out) {
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) {
      bool secret = key == "client_secret" || key == "password";
      if (secret && value.is_string()) {
        const std::string& s = value.get_ref<const std::string&>();
        if (s.size() >= 12 && occurrences(text, s) == 1) out.push_back(s);
      }
      collect_secrets(value, text, out);
    }
  } else if (doc.is_array()) {
    for (const auto& value : doc) collect_secrets(value, text, out);
  }
}

// `secret` with every letter and digit moved to the next one (z->a, 9->0):
// the same length and character classes, so a loader that quotes the
// secret quotes this instead.
std::string rotated(std::string_view secret) {
  std::string out(secret);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z')
      c = c == 'z' ? 'a' : static_cast<char>(c + 1);
    else if (c >= 'A' && c <= 'Z')
      c = c == 'Z' ? 'A' : static_cast<char>(c + 1);
    else if (c >= '0' && c <= '9')
      c = c == '9' ? '0' : static_cast<char>(c + 1);
  }
  return out;
}

std::string error_message_for(const std::string& text) {
  write_config(text);
  Result<Config> config = load_config_file(config_path());
  return config ? std::string() : config.error().message;
}

// Whether `message` quotes `secret` rather than holding the same words by
// chance (a fuzzer can make a secret of a message's fixed text): the input
// again with the secret changed must show the change in its message.
bool quotes_secret(const std::string& message, std::string_view text, const std::string& secret) {
  if (message.find(secret) == std::string::npos) return false;
  std::string other = rotated(secret);
  if (other == secret) return true;
  std::string changed(text);
  changed.replace(changed.find(secret), secret.size(), other);
  return error_message_for(changed).find(other) != std::string::npos;
}

}  // namespace
}  // namespace passerelle

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace passerelle;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  write_config(text);
  Result<Config> config = load_config_file(config_path());
  if (!config) {
    const Error& e = config.error();
    fuzz::require(e.code != ErrorCode::kInternal, "a bad config is an invalid_argument, not an internal error");
    fuzz::require(e.message.find('\n') == std::string::npos, "a config error is one line");
    std::vector<std::string> secrets;
    nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_discarded()) collect_secrets(doc, text, secrets);
    for (const std::string& secret : secrets) {
      fuzz::require(!quotes_secret(e.message, text, secret), "a config error never quotes a secret");
    }
    return 0;
  }
  for (const ClientConfig& client : config->clients) {
    nlohmann::json stored = client;
    nlohmann::json again = stored.get<ClientConfig>();
    fuzz::require(stored == again, "client settings survive their JSON form");
  }
  return 0;
}
