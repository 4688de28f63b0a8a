#include "app/store_commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <streambuf>
#include <vector>

#include "app/store_factory.h"
#include "store/tables.h"

namespace passerelle {
namespace {

// An ostream buffer over a file descriptor. std::ofstream cannot create a
// file exclusively with a chosen mode in C++20, and creating it first, then
// reopening it by name, would let another process swap the file in between.
class FdOutBuf : public std::streambuf {
 public:
  explicit FdOutBuf(int fd) : fd_(fd), buffer_(size_t(1) << 16) { reset(); }
  FdOutBuf(const FdOutBuf&) = delete;
  FdOutBuf& operator=(const FdOutBuf&) = delete;

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr()) {
      ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
    }
    reset();
    return true;
  }
  void reset() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

  int fd_;
  std::vector<char> buffer_;
};

std::string errno_text() {
  return std::strerror(errno);
}

// Writes the dump to a new file at `path`, removed again on any failure.
Status export_to_new_file(storage::KvStore& store, const std::string& path) {
  // O_EXCL: an existing file, or a symlink planted at `path`, is never written through.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    if (errno == EEXIST)
      return fail(Error::already_exists("export: " + path + " exists; not overwriting it"));
    return fail(Error::unavailable("export: cannot create " + path + ": " + errno_text()));
  }
  // The umask can only narrow the mode; this makes it exactly owner read/write.
  Status st = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0
                  ? Status{}
                  : fail(Error::unavailable("export: cannot set the mode of " + path + ": " + errno_text()));
  if (st) {
    FdOutBuf buf(fd);
    std::ostream out(&buf);
    st = storage::export_store(store, tables::all_tables(), out);
  }
  // Synced, so that a dump reported as written survives a crash of the machine.
  if (st && ::fsync(fd) != 0)
    st = fail(Error::unavailable("export: cannot sync " + path + ": " + errno_text()));
  if (::close(fd) != 0 && st)
    st = fail(Error::unavailable("export: cannot close " + path + ": " + errno_text()));
  if (!st) ::unlink(path.c_str());
  return st;
}

}  // namespace

Status export_configured_store(const Config& config, const std::string& path, std::ostream& std_out) {
  // Checked before opening the store, which for LMDB may create it.
  std::error_code ec;
  if (path != "-" &&
      std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found) {
    return fail(Error::already_exists("export: " + path + " exists; not overwriting it"));
  }
  auto store = open_configured_store(config);
  if (!store) return fail(store.error());
  if (path == "-") return storage::export_store(**store, tables::all_tables(), std_out);
  return export_to_new_file(**store, path);
}

Result<storage::ImportSummary> import_configured_store(const Config& config, const std::string& path,
                                                       std::istream& std_in) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return fail(Error::not_found("import: cannot open " + path + ": " + errno_text()));
  }
  auto store = open_configured_store(config);
  if (!store) return fail(store.error());
  return storage::import_store(**store, tables::all_tables(), path == "-" ? std_in : file);
}

Result<std::string> migrate_configured_store(const Config& config) {
  auto store = open_configured_store(config);
  if (!store) return fail(store.error());
  if (config.storage_backend == "lmdb") {
    return "storage \"lmdb\" is ready in " + (std::filesystem::path(config.data_dir) / "lmdb").string();
  }
  return "storage \"" + config.storage_backend + "\" is ready (schema up to date)";
}

}  // namespace passerelle
