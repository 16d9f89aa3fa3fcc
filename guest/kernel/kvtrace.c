/*
 * kvtrace.c — tracepoints of the key/value store (ABI: guest/TRACEPOINTS.md),
 * empty functions built like those of trace.c: a probe on the symbol reads
 * the event from a0..a5.
 */
#include "kv.h"

#define TRACEPOINT __attribute__((noinline, noipa, used))

TRACEPOINT void trace_kv_txn_begin(uint64 txn)
{
    asm volatile("" : : "r"(txn));
}

TRACEPOINT void trace_kv_commit(uint64 gen, uint64 blocks_written, uint64 slot, uint64 used_blocks)
{
    asm volatile("" : : "r"(gen), "r"(blocks_written), "r"(slot), "r"(used_blocks));
}

TRACEPOINT void trace_kv_super_write(uint64 slot, uint64 blockno, uint64 gen)
{
    asm volatile("" : : "r"(slot), "r"(blockno), "r"(gen));
}

TRACEPOINT void trace_kv_alloc(uint64 start, uint64 n, uint64 kind)
{
    asm volatile("" : : "r"(start), "r"(n), "r"(kind));
}

TRACEPOINT void trace_kv_free(uint64 start, uint64 n, uint64 deferred)
{
    asm volatile("" : : "r"(start), "r"(n), "r"(deferred));
}

TRACEPOINT void trace_kv_cow(uint64 old_blockno, uint64 new_blockno, uint64 owner, uint64 level)
{
    asm volatile("" : : "r"(old_blockno), "r"(new_blockno), "r"(owner), "r"(level));
}

/* ---- the file system (fstree.c, fsdata.c) ---- */

TRACEPOINT void trace_fs_commit(uint64 gen, uint64 blocks_written, uint64 cow_copies, uint64 free_blocks,
                                uint64 heights)
{
    asm volatile("" : : "r"(gen), "r"(blocks_written), "r"(cow_copies), "r"(free_blocks), "r"(heights));
}

TRACEPOINT void trace_fs_extent_write(uint64 ino, uint64 file_block, uint64 disk_start, uint64 nblocks)
{
    asm volatile("" : : "r"(ino), "r"(file_block), "r"(disk_start), "r"(nblocks));
}

TRACEPOINT void trace_fs_unshare(uint64 old_blockno, uint64 new_blockno, uint64 level, uint64 refs)
{
    asm volatile("" : : "r"(old_blockno), "r"(new_blockno), "r"(level), "r"(refs));
}
