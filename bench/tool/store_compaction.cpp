#include "store_compaction.h"

#include <fcntl.h>
#include <lmdb.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

namespace passerelle::bench {
namespace {

constexpr const char* kDataFile = "data.mdb";
constexpr const char* kWorkDir = "compacting";  // beside the data file: same file system, so rename is atomic

Error lmdb_failure(const std::string& what, int rc) {
  return Error::unavailable("compact: " + what + ": " + mdb_strerror(rc));
}

// fsync of a file or a directory (a rename is durable once its directory is).
Status sync_path(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(Error::unavailable("compact: cannot open " + path.string() + ": " + std::strerror(errno)));
  int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return fail(Error::unavailable("compact: cannot sync " + path.string() + ": " + std::strerror(err)));
  return {};
}

// The live pages of the store in `dir`, written to `work`/data.mdb.
Status copy_live_pages(const std::filesystem::path& dir, const std::filesystem::path& work) {
  MDB_env* raw = nullptr;
  if (int rc = mdb_env_create(&raw); rc != 0) return fail(lmdb_failure("create environment", rc));
  std::unique_ptr<MDB_env, decltype(&mdb_env_close)> env(raw, mdb_env_close);
  // Read-only: the map size comes from the store itself.
  if (int rc = mdb_env_open(env.get(), dir.c_str(), MDB_RDONLY | MDB_NORDAHEAD, 0600); rc != 0) {
    return fail(lmdb_failure("open " + dir.string(), rc));
  }
  if (int rc = mdb_env_copy2(env.get(), work.c_str(), MDB_CP_COMPACT); rc != 0) {
    return fail(lmdb_failure("copy " + dir.string(), rc));
  }
  return {};
}

}  // namespace

Status compact_lmdb_store(const std::filesystem::path& dir) {
  const auto work = dir / kWorkDir;
  std::error_code ec;
  std::filesystem::remove_all(work, ec);  // a copy an earlier failure left
  if (!std::filesystem::create_directory(work, ec) || ec) {
    return fail(Error::unavailable("compact: cannot create " + work.string() + ": " + ec.message()));
  }
  Status done = copy_live_pages(dir, work);
  if (done) done = sync_path(work / kDataFile);
  if (done) {
    std::filesystem::rename(work / kDataFile, dir / kDataFile, ec);
    if (ec) done = fail(Error::unavailable("compact: cannot replace " + (dir / kDataFile).string() + ": " + ec.message()));
  }
  if (done) done = sync_path(dir);
  std::filesystem::remove_all(work, ec);
  return done;
}

}  // namespace passerelle::bench
