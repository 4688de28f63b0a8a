#include "core/secret_box.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include <openssl/evp.h>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

constexpr int kNonceSize = 12;  // NIST SP 800-38D §8.2: 96-bit IVs for GCM
constexpr int kTagSize = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Writes a new key beside `path`, then links it into place: link() fails if
// the name exists, so when several nodes start on one data_dir at once,
// exactly one key wins and nobody ever reads a half-written file.
// Returns nullopt when another process won (then read its key).
Result<std::optional<std::string>> write_new_key(const std::string& path) {
  std::string key = random_bytes(SecretBox::kKeySize);
  std::string temp = path + ".new-" + std::to_string(::getpid()) + "-" + hex_encode(random_bytes(4));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return fail(Error::unavailable("cannot create the key file " + path));
  bool ok = ::write(fd, key.data(), key.size()) == ssize_t(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  int linked = ok ? ::link(temp.c_str(), path.c_str()) : -1;
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (!ok) return fail(Error::unavailable("cannot write the key file " + path));
  if (linked != 0 && link_errno == EEXIST) return std::optional<std::string>{};
  if (linked != 0) return fail(Error::unavailable("cannot create the key file " + path));
  return std::optional<std::string>(std::move(key));
}

Result<std::string> read_key(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::unavailable("cannot read the key file " + path));
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != SecretBox::kKeySize) {
    return fail(Error::corruption("the key file " + path + " does not hold a 32-byte key"));
  }
  return key;
}

}  // namespace

Result<SecretBox> SecretBox::open_key_file(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) {
    auto created = write_new_key(path);
    if (!created) return fail(created.error());
    if (*created) return SecretBox(std::move(**created));
  }
  auto key = read_key(path);
  if (!key) return fail(key.error());
  return SecretBox(std::move(*key));
}

std::string SecretBox::key_for(std::string_view purpose) const {
  return hmac_sha256(master_key_, "passerelle/" + std::string(purpose));
}

std::string SecretBox::mac(std::string_view purpose, std::string_view data) const {
  return hmac_sha256(key_for(purpose), data);
}

std::string SecretBox::seal(std::string_view purpose, std::string_view plaintext) const {
  std::string key = key_for(purpose);
  std::string out = random_bytes(kNonceSize);
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  int total = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(std::string_view(out).substr(0, kNonceSize)));
  EVP_EncryptUpdate(ctx.get(), bytes(out) + kNonceSize, &len, bytes(plaintext), int(plaintext.size()));
  total = len;
  EVP_EncryptFinal_ex(ctx.get(), bytes(out) + kNonceSize + total, &len);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, bytes(out) + kNonceSize + plaintext.size());
  return out;
}

Result<std::string> SecretBox::open(std::string_view purpose, std::string_view sealed) const {
  if (sealed.size() < size_t(kNonceSize + kTagSize)) return fail(Error::permission_denied("sealed value too short"));
  std::string key = key_for(purpose);
  size_t text_size = sealed.size() - kNonceSize - kTagSize;
  std::string tag(sealed.substr(kNonceSize + text_size));
  std::string out(text_size, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(sealed.substr(0, kNonceSize))) == 1 &&
            EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(sealed.substr(kNonceSize, text_size)),
                              int(text_size)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, bytes(tag)) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &len) == 1;
  if (!ok) return fail(Error::permission_denied("sealed value does not open"));
  return out;
}

}  // namespace passerelle
