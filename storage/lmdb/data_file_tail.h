// A tail of written zeros kept ahead of the pages LMDB uses in its data file.
//
// LMDB lengthens its data file whenever a transaction needs a page beyond
// the last one. A durable commit that lengthens the file also waits, inside
// its fdatasync, for the new length to reach the disk (ext4 writes the
// inode, or commits its journal): one more wait on the disk for a commit of
// a few pages. Over written zeros a commit writes its new pages in place and
// the length stays put; only the commit that lays the next stretch of zeros
// pays for a length, once for many commits. The zeros are written, not
// fallocate'd: an allocated but unwritten extent is converted on its first
// write, a metadata write the commit would wait for again.
//
// LMDB reads nothing past its last used page (its meta page says where that
// is), so the tail costs disk space and nothing else; a copy of the store
// (mdb_env_copy) leaves it out.
#pragma once

#include <cstddef>

#include <passerelle/result.h>

namespace passerelle::storage {

// How many zero bytes to append to a data file of `file_size` bytes whose
// first `used` bytes are LMDB's pages, so that the tail ahead of them is
// one stretch long again: a stretch is an eighth of `used`, between 64 KiB
// and 256 KiB, in whole pages. It is written with the commit that needs it,
// so it stays short: 256 KiB of zeros add about 0.2 ms to that commit's
// fdatasync where a lengthened file adds about as much to each commit (a
// small store takes smaller steps, its disk space being small too). 0 while
// half a stretch or more is ahead. Never past `map_size`: LMDB writes no
// page beyond its map.
size_t data_file_tail_to_append(size_t file_size, size_t used, size_t map_size, size_t page_size);

// Appends zeros to the open file `fd` per data_file_tail_to_append, at its
// current end; moves the descriptor's offset there (LMDB seeks before each
// write of its own that uses it). Call only while no one else writes the
// file (the writer's turn); the caller's next fdatasync makes them durable.
Status extend_data_file_tail(int fd, size_t used, size_t map_size, size_t page_size);

}  // namespace passerelle::storage
