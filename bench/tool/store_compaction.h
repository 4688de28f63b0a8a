// Rewrites a stopped LMDB store without its free pages. The preload's bulk
// batches rewrite pages all over the B-trees, and LMDB keeps every page they
// replaced on its free list (about 470 MiB, scattered through the file,
// after a million of each record): the broker's commits would then take
// their pages from that list, each one a write of its own at a random place,
// and its durable commits slow down as they spread. What the rows on a
// preloaded store are meant to show is how cost grows with the data, not
// with the bulk writer's leftovers.
#pragma once

#include <filesystem>

#include <passerelle/result.h>

namespace passerelle::bench {

// Copies the store in `dir` (an LMDB environment no process has open) with
// only its live pages (mdb_env_copy2, MDB_CP_COMPACT) into a new file beside
// it, syncs that file, and renames it over the store's data file: a failure
// before the rename leaves the store as it was, and after it (syncing the
// directory) the store is already the complete compacted copy.
Status compact_lmdb_store(const std::filesystem::path& dir);

}  // namespace passerelle::bench
