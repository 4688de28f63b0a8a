#include "core/secrets.h"

#include <pthread.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "core/encoding.h"

namespace passerelle {

namespace {

// From this thread's public DRBG, as RAND_bytes draws, without RAND_bytes'
// check for a legacy RAND_METHOD, which takes a process-wide write lock on
// every call.
void draw_from_drbg(unsigned char* bytes, size_t n) {
  EVP_RAND_CTX* drbg = RAND_get0_public(nullptr);
  int drawn = drbg != nullptr ? EVP_RAND_generate(drbg, bytes, n, 0, 0, nullptr, 0) : RAND_bytes(bytes, int(n));
  if (drawn != 1) std::abort();
}

// Small draws are served from a pool of this thread's, refilled a few
// hundred bytes at a time: OpenSSL 3.0's DRBG asks the kernel for the
// process id on every draw (its fork check), a system call each, and a
// request makes several small draws. A forked child must not hand out what
// its parent will: the fork handler starts a new generation in the child,
// and a pool of an older generation is thrown away unused.
constexpr size_t kPoolBytes = 512;
constexpr size_t kLargestPooledDraw = 64;
std::atomic<unsigned> fork_generation{0};

struct RandomPool {
  unsigned char bytes[kPoolBytes];
  size_t used = kPoolBytes;  // bytes[used..] are not handed out yet
  unsigned generation = 0;
  ~RandomPool() { OPENSSL_cleanse(bytes + used, kPoolBytes - used); }
};
thread_local RandomPool pool;

}  // namespace

std::string random_bytes(size_t n) {
  static const bool fork_handler_installed =
      pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1, std::memory_order_relaxed); }) == 0;
  std::string out(n, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (n > kLargestPooledDraw || !fork_handler_installed) {
    draw_from_drbg(bytes, n);
    return out;
  }
  unsigned generation = fork_generation.load(std::memory_order_relaxed);
  if (pool.generation != generation || kPoolBytes - pool.used < n) {
    draw_from_drbg(pool.bytes, kPoolBytes);
    pool.used = 0;
    pool.generation = generation;
  }
  std::memcpy(bytes, pool.bytes + pool.used, n);
  OPENSSL_cleanse(pool.bytes + pool.used, n);  // handed out: not kept
  pool.used += n;
  return out;
}

std::string random_token() { return base64url_encode(random_bytes(32)); }

namespace {

// OpenSSL 3 looks an algorithm up in its provider tables, under locks, each
// time a legacy EVP_sha256() or HMAC() call starts: fetched once here, the
// hashes on every token request skip that.
const EVP_MD* fetched_sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();
  return md;
}

// An HMAC-SHA256 context with its digest chosen and no key yet, copied for
// each MAC (choosing the digest is itself a lookup).
const EVP_MAC_CTX* hmac_sha256_template() {
  static EVP_MAC_CTX* const ctx = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* made = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);  // the context keeps its own reference
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
    if (made == nullptr || EVP_MAC_CTX_set_params(made, params) != 1) std::abort();
    return made;
  }();
  return ctx;
}

}  // namespace

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, fetched_sha256(), nullptr) != 1) std::abort();
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  size_t len = 0;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(
      EVP_MAC_CTX_dup(hmac_sha256_template()), EVP_MAC_CTX_free);
  if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), md, &len, sizeof md) != 1) {
    std::abort();
  }
  return std::string(reinterpret_cast<char*>(md), len);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace passerelle
