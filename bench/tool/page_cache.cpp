#include "page_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace passerelle::bench {
namespace {

Status evict_file(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(Error::unavailable("page cache: cannot open " + file.string() + ": " + std::strerror(errno)));
  // Dirty pages are not dropped, only written back: flush them first.
  int rc = ::fdatasync(fd);
  if (rc == 0) rc = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  const int err = rc == 0 ? 0 : (rc > 0 ? rc : errno);
  ::close(fd);
  if (err != 0)
    return fail(Error::unavailable("page cache: cannot evict " + file.string() + ": " + std::strerror(err)));
  return {};
}

}  // namespace

Status evict_from_page_cache(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (auto st = evict_file(entry.path()); !st) return st;
  }
  if (ec) return fail(Error::unavailable("page cache: cannot list " + dir.string() + ": " + ec.message()));
  return {};
}

}  // namespace passerelle::bench
