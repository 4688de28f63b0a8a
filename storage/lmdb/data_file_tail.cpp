#include "storage/lmdb/data_file_tail.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace passerelle::storage {
namespace {

constexpr size_t kMinStretch = size_t(64) << 10;
constexpr size_t kMaxStretch = size_t(256) << 10;
constexpr size_t kZeroChunk = size_t(64) << 10;

Error io_error(const char* what) {
  return Error::unavailable(std::string("lmdb: data file tail: ") + what + ": " + std::strerror(errno));
}

}  // namespace

size_t data_file_tail_to_append(size_t file_size, size_t used, size_t map_size, size_t page_size) {
  size_t stretch = std::clamp(used / 8, kMinStretch, kMaxStretch);
  stretch -= stretch % page_size;
  const size_t ahead = file_size > used ? file_size - used : 0;
  if (ahead >= stretch / 2) return 0;
  const size_t end = std::min(used + stretch, map_size - map_size % page_size);
  return end > file_size ? end - file_size : 0;
}

Status extend_data_file_tail(int fd, size_t used, size_t map_size, size_t page_size) {
  // The length from lseek, not fstat: a file whose times were read has its
  // next write stamp a new, finer modification time (Linux's multigrain
  // timestamps), and fdatasync on ext4 without a journal then writes the
  // inode after all.
  const off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) return fail(io_error("lseek"));
  const auto file_size = static_cast<size_t>(end);
  size_t left = data_file_tail_to_append(file_size, used, map_size, page_size);
  static const char zeros[kZeroChunk] = {};
  for (size_t offset = file_size; left > 0;) {
    ssize_t written = ::pwrite(fd, zeros, std::min(left, kZeroChunk), static_cast<off_t>(offset));
    if (written < 0 && errno == EINTR) continue;
    if (written == 0) errno = EIO;  // no progress and no reason given
    if (written <= 0) return fail(io_error("write"));
    offset += static_cast<size_t>(written);
    left -= static_cast<size_t>(written);
  }
  return {};
}

}  // namespace passerelle::storage
