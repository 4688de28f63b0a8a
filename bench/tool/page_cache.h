// Drops a stopped store's files from the kernel's page cache, so that the
// broker started on a preloaded store meets it as after a machine restart
// rather than as the bulk writer left it. The preload writes its batches in
// long contiguous runs, which Linux (ext4 since 6.16) caches as large
// folios; a broker writing single 4 KiB pages into such folios pays for the
// whole folio on each write and maps whole folios on each read fault, costs
// that a store the broker grew itself, or read back after a restart, does
// not carry.
#pragma once

#include <filesystem>

#include <passerelle/result.h>

namespace passerelle::bench {

// Flushes each regular file in `dir` to disk and asks the kernel to drop its
// cached pages (posix_fadvise POSIX_FADV_DONTNEED). Pages another process
// has mapped may stay; the call is advice, not a guarantee.
Status evict_from_page_cache(const std::filesystem::path& dir);

}  // namespace passerelle::bench
