// The passerelle command: `serve` runs the broker (SIGTERM or SIGINT stops
// it cleanly: in-flight requests are answered, commits finish, the store is
// closed); `keys rotate` starts a new signing key (the old one stays
// published); `check-config` validates a config file and the TLS files it
// names; `export`, `import` and `migrate` work on the configured store alone
// (moving between storage backends, app/store_commands.h). Errors are one
// line on stderr and a non-zero exit.
#include <csignal>
#include <cstring>
#include <iostream>
#include <pthread.h>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/broker.h"
#include "app/command_line.h"
#include "app/http_server.h"
#include "app/store_commands.h"
#include "app/tls_context.h"
#include "config/config.h"
#include "core/event_log.h"
#include "storage/expiry_index.h"
#include "storage/sweeper.h"

namespace {

using namespace passerelle;

constexpr const char* kUsage =
    "usage: passerelle serve --config FILE\n"
    "       passerelle keys rotate --config FILE\n"
    "       passerelle check-config --config FILE\n"
    "       passerelle export --config FILE --out PATH   (PATH - : standard output)\n"
    "       passerelle import --config FILE --in PATH    (into an empty store; PATH - : standard input)\n"
    "       passerelle migrate --config FILE\n";

int die(std::string_view message) { return passerelle::die("passerelle", message); }

// Blocks SIGINT/SIGTERM in this thread and so in every thread it starts
// from here on, and waits for them on one, so a stop request reaches the
// server from ordinary code, not a signal handler. Threads started earlier
// (the store's committer) block every signal themselves.
void stop_on_signal(HttpServer& server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, &server] {
    int sig = 0;
    sigwait(&set, &sig);
    std::cerr << "passerelle: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
              << ": no new requests; finishing the ones in progress" << std::endl;
    server.stop();
  }).detach();
}

// The TLS files, when the config names them, load and match.
Result<void> check_serving(const Config& config) {
  if (config.tls_certificate_file.empty()) return {};
  return check_tls_files(config.tls_certificate_file, config.tls_private_key_file);
}

int serve(const Config& config) {
  static SystemClock clock;
  set_log_level(config.log_level);
  if (auto tls = check_serving(config); !tls) return die(tls.error().message);
  auto broker = Broker::open(config, clock);
  if (!broker) return die(broker.error().message);
  HttpServer server(**broker);
  stop_on_signal(server);
  auto port = server.bind(config.listen_host, config.listen_port);
  if (!port) return die(port.error().message);
  storage::Sweeper sweeper((*broker)->store(), std::chrono::seconds(60), [] { return clock.now(); });
  const char* scheme = config.tls_certificate_file.empty() ? "http" : "https";
  std::cerr << "passerelle: listening on " << scheme << "://" << config.listen_host << ":" << *port << std::endl;
  bool ok = server.run();
  std::cerr << "passerelle: stopped" << std::endl;
  return ok ? 0 : 1;
}

int rotate_keys(const Config& config) {
  SystemClock clock;
  auto broker = Broker::open(config, clock);
  if (!broker) return die(broker.error().message);
  auto kid = (*broker)->keys().rotate();
  if (!kid) return die(kid.error().message);
  std::cout << "new signing key " << *kid << " (restart running brokers to sign with it)\n";
  return 0;
}

int run_export(const Config& config, const std::string& out) {
  if (out.empty()) return die("export: --out PATH is required");
  if (auto st = export_configured_store(config, out, std::cout); !st) return die(st.error().message);
  // The TOTP secrets in the dump stay sealed with a key kept beside the store.
  std::cerr << "passerelle: export written; MFA secrets stay sealed with secret_box.key in data_dir, "
               "which is not in the export: keep it with the broker's data_dir\n";
  return 0;
}

int run_import(const Config& config, const std::string& in) {
  if (in.empty()) return die("import: --in PATH is required");
  auto summary = import_configured_store(config, in, std::cin);
  if (!summary) return die(summary.error().message);
  for (const auto& t : summary->tables) std::cout << t.table << ": " << t.records << "\n";
  std::cout << "imported " << summary->records << " records into " << summary->tables.size() << " tables\n";
  return 0;
}

int run_migrate(const Config& config) {
  auto ready = migrate_configured_store(config);
  if (!ready) return die(ready.error().message);
  std::cout << *ready << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto status = answer_help(args, kUsage)) return *status;
  std::string path = flag_value(args, "--config").value_or("");
  if (path.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  auto config = load_config_file(path);
  if (!config) return die(config.error().message);
  if (args[0] == "serve") return serve(*config);
  if (args[0] == "check-config") {
    if (auto tls = check_serving(*config); !tls) return die(tls.error().message);
    std::cout << "config ok\n";
    return 0;
  }
  if (args[0] == "export") return run_export(*config, flag_value(args, "--out").value_or(""));
  if (args[0] == "import") return run_import(*config, flag_value(args, "--in").value_or(""));
  if (args[0] == "migrate") return run_migrate(*config);
  if (args[0] == "keys" && args.size() > 1 && args[1] == "rotate") return rotate_keys(*config);
  std::cerr << kUsage;
  return 2;
}
