// passerelle-bench-tool: what the benchmark harness (bench/compare.mjs)
// needs besides the broker. `preload` fills a stopped broker's store with
// many users, sessions and refresh-token families, then rewrites it without
// the free pages its bulk writes left (store_compaction.h) and drops it
// from the page cache (page_cache.h); `commit-rate` measures
// durable commits per second, the storage ceiling of one commit per request.
// Errors are one line on stderr and a non-zero exit.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/command_line.h"
#include "app/store_factory.h"
#include "commit_rate.h"
#include "config/config.h"
#include "page_cache.h"
#include "preload.h"
#include "store_compaction.h"

namespace {

using namespace passerelle;

constexpr const char* kUsage =
    "usage: passerelle-bench-tool preload --config FILE --users N --sessions N --families N --client ID\n"
    "                             [--batch 10000] [--keep-free-pages]   (the broker must not be running)\n"
    "       passerelle-bench-tool commit-rate --dir DIR [--seconds 3] [--bytes N] [--threads 1]\n";

int die(std::string_view message) { return passerelle::die("passerelle-bench-tool", message); }

// A whole non-negative number, or nullopt.
std::optional<size_t> count_flag(const std::vector<std::string>& args, std::string_view flag, size_t fallback) {
  auto text = flag_value(args, flag);
  if (!text) return fallback;
  if (text->empty() || text->find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return static_cast<size_t>(std::strtoull(text->c_str(), nullptr, 10));
}

// The size of an LMDB environment's files in MiB (what the disk holds).
double store_mib(const std::filesystem::path& dir) {
  std::error_code ec;
  uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  }
  return static_cast<double>(bytes) / (1 << 20);
}

int run_preload(const std::vector<std::string>& args) {
  auto path = flag_value(args, "--config");
  if (!path) return die("preload: --config FILE is required");
  bench::PreloadSpec spec;
  auto users = count_flag(args, "--users", 0);
  auto sessions = count_flag(args, "--sessions", 0);
  auto families = count_flag(args, "--families", 0);
  auto batch = count_flag(args, "--batch", spec.batch);
  if (!users || !sessions || !families || !batch) return die("preload: counts must be whole numbers");
  spec.users = *users;
  spec.sessions = *sessions;
  spec.families = *families;
  spec.batch = *batch;
  spec.client_id = flag_value(args, "--client").value_or("");
  auto config = load_config_file(*path);
  if (!config) return die(config.error().message);
  // The store as the broker opens it (LMDB: its map grows by doubling as
  // the batches fill it, up to the backend's limit of 1 TiB).
  auto store = open_configured_store(*config);
  if (!store) return die(store.error().message);
  auto done = bench::preload(**store, *config, spec);
  store->reset();  // closed before its size is read and its pages dropped
  if (!done) return die(done.error().message);
  const auto lmdb_dir = std::filesystem::path(config->data_dir) / "lmdb";
  const bool lmdb = config->storage_backend == "lmdb";
  const bool compact = lmdb && std::ranges::count(args, "--keep-free-pages") == 0;
  const double written_mib = lmdb ? store_mib(lmdb_dir) : 0;
  if (compact) {
    if (auto compacted = bench::compact_lmdb_store(lmdb_dir); !compacted) return die(compacted.error().message);
  }
  if (lmdb) {
    if (auto evicted = bench::evict_from_page_cache(lmdb_dir); !evicted) return die(evicted.error().message);
  }
  std::printf("preload: %zu users, %zu sessions, %zu refresh-token families (client %s) in %zu write transaction%s\n",
              done->users, done->sessions, done->families, spec.client_id.c_str(), done->transactions,
              done->transactions == 1 ? "" : "s");
  std::printf("preload: %.1f s (password hash %.2f s, writes %.1f s)", done->hash_seconds + done->write_seconds,
              done->hash_seconds, done->write_seconds);
  if (compact) {
    std::printf(", store %.1f MiB, %.1f MiB without its free pages, dropped from the page cache", written_mib,
                store_mib(lmdb_dir));
  } else if (lmdb) {
    std::printf(", store %.1f MiB (free pages kept), dropped from the page cache", written_mib);
  }
  std::printf("\n");
  return 0;
}

int run_commit_rate(const std::vector<std::string>& args) {
  bench::CommitRateSpec spec;
  spec.dir = flag_value(args, "--dir").value_or("");
  auto bytes = count_flag(args, "--bytes", 0);
  auto threads = count_flag(args, "--threads", 1);
  if (!bytes || !threads) return die("commit-rate: --bytes and --threads must be whole numbers");
  spec.bytes = *bytes;
  spec.threads = *threads;
  if (auto seconds = flag_value(args, "--seconds")) spec.seconds = std::strtod(seconds->c_str(), nullptr);
  auto rate = bench::measure_commit_rate(spec);
  if (!rate) return die(rate.error().message);
  std::printf("commit-rate: %zu durable commits of %zu bytes in %.2f s from %zu thread(s): %.0f commits/s, "
              "%.3f ms per commit\n",
              rate->commits, rate->bytes, rate->seconds, spec.threads, rate->per_second(),
              rate->ms_per_commit(spec.threads));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto status = answer_help(args, kUsage)) return *status;
  if (args[0] == "preload") return run_preload(args);
  if (args[0] == "commit-rate") return run_commit_rate(args);
  std::cerr << kUsage;
  return 2;
}
