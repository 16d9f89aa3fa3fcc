/*
 * kv.h — the copy-on-write key/value store inside the kernel: the pieces
 * and how they call each other (format: ../lib/kvfmt.h and ../FORMAT.md).
 *
 *   syskv.c    system calls; values (inline or data extents); one sleeplock
 *   kvsuper.c  format, mount (newest valid superblock), commit protocol
 *   btree.c    generic B-tree with path copying: lookup, next, put, delete
 *   kvalloc.c  block allocator (bitmaps), deferred frees, free-space tree
 *   mblock.c   metadata blocks: header, checksum, verification on read
 *   kvtrace.c  tracepoints (TRACEPOINTS.md)
 *
 * Every function returns 0 or a negative KV_E* code (lib/syscall_nr.h).
 * All state lives in `kvfs` and is guarded by the store's sleeplock, which
 * the system calls take; nothing in the store runs concurrently.
 */
#ifndef TINYOS_KV_H
#define TINYOS_KV_H
#include "kernel.h"
#include "buf.h"
#include "../lib/kvfmt.h"
#include "../lib/crc32c.h"

#define KV_MAX_BLOCKS (256 * 1024)    /* the store uses at most 1 GiB of the disk */
#define KV_MAX_LEVEL 16               /* deeper trees are rejected as corrupt */
#define FS_NSLOT 8                    /* FS trees (subvolumes) loaded at once */
#define KV_NSLOTS (KV_TREE_FS + FS_NSLOT)  /* kvfs.root[]: 1..5 fixed trees, 6.. loaded FS trees */

/*
 * A tree is named by its slot in kvfs.root[]. Slots 1..5 are the trees of
 * the same owner number; slots KV_TREE_FS.. hold the FS trees of loaded
 * subvolumes (fstree.c), whose blocks all carry owner KV_TREE_FS.
 */
static inline uint32 tree_owner(uint32 slot) { return slot >= KV_TREE_FS ? KV_TREE_FS : slot; }

struct kvfs {
    int mounted;
    uint64 fsid, nblocks;
    uint64 gen;                       /* last committed transaction */
    uint64 txn;                       /* the running transaction: gen + 1 */
    struct kv_root root[KV_NSLOTS];
    uint32 node_max, leaf_limit;
    uint64 nkeys;
    uint64 nused, npinned;            /* bits set in the allocator's maps */
    int super_slot;
    uint64 commits, last_writes, cow_copies;
};
extern struct kvfs kvfs;

/* mblock.c */
struct kv_header *mb_hdr(struct buf *b);
void mb_seal(struct buf *b);
void mb_write(struct buf *b);
int mb_read(uint64 blockno, uint64 gen, uint32 owner, int level, struct buf **out);
int mb_read_super(int slot, struct buf **out);
struct buf *mb_new(uint64 blockno, uint32 owner, int level);

/* kvalloc.c */
void alloc_reset(uint64 nblocks);
void alloc_format(void);
int64 alloc_meta(void);
int64 alloc_data(uint32 n);
int free_blocks(uint64 start, uint32 n, uint64 gen);
void release_pinned(void);
int free_tree_load(void);
int free_tree_sync(void);

/* btree.c: a tree is named by its owner; its root is kvfs.root[owner] */
struct bt_op {
    int del;                          /* 1 = delete key, 0 = insert or replace */
    struct kv_key key;
    const void *data;                 /* put: the item data */
    uint32 size;
    int (*on_old)(const uint8 *data, uint32 size); /* sees a replaced or deleted item */
    int found;                        /* out: the key existed */
};
int bt_create(uint32 owner);
int bt_lookup(uint32 owner, const struct kv_key *k, uint8 *out, uint32 max, uint32 *size);
int bt_floor(uint32 owner, const struct kv_key *k, struct kv_key *found, uint8 *out, uint32 max,
             uint32 *size);
int bt_next(uint32 owner, const struct kv_key *after, struct kv_key *found);
int bt_modify(uint32 owner, struct bt_op *op);
typedef int (*bt_visit_fn)(void *ctx, const struct kv_key *k, const uint8 *data, uint32 size);
int bt_walk(uint32 owner, bt_visit_fn fn, void *ctx);

/* fsdata.c: copy on write of a block an FS tree shares with a snapshot */
int fs_cow_shared(uint64 old_blockno, struct buf *copy, int level, int *shared);
/* fstree.c: subvolume roots in and out of the root tree; the commit thread */
int fs_flush_roots(void);
int fs_create_trees(void);
void fs_reset(void);

/* syskv.c: the store's one sleeplock, taken by every kv and file system call */
void lock_store(void);
void unlock_store(void);

/* kvsuper.c */
int kvs_format(uint32 node_max, uint32 leaf_limit, int with_fs);
int kvs_mount(void);
int kvs_commit(void);

/* kvtrace.c */
void trace_kv_txn_begin(uint64 txn);
void trace_kv_commit(uint64 gen, uint64 blocks_written, uint64 slot, uint64 used_blocks);
void trace_kv_super_write(uint64 slot, uint64 blockno, uint64 gen);
void trace_kv_alloc(uint64 start, uint64 n, uint64 kind);
void trace_kv_free(uint64 start, uint64 n, uint64 deferred);
void trace_kv_cow(uint64 old_blockno, uint64 new_blockno, uint64 owner, uint64 level);

#endif
