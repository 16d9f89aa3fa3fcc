/*
 * kvalloc.c — the space manager of the key/value store: which blocks are
 * free, extent allocation, deferred frees, and the free-space tree.
 *
 * In memory, two bitmaps over the store's blocks:
 *
 *   used    1 = not available to the allocator: reserved (blocks 0..3),
 *           reachable from the running transaction's roots, or pinned
 *   pinned  1 = freed by the running transaction while the last committed
 *           tree still uses it
 *
 * Metadata blocks are allocated one at a time, lowest free block first;
 * data extents are allocated as one contiguous run, the highest run that
 * fits, so tree blocks gather at the start of the disk and data at its end.
 * A value that finds no contiguous run gets KV_ENOSPC (values are at most
 * four blocks, so this only happens on an almost full store).
 *
 * Deferred frees. Freeing a block the last committed transaction can reach
 * (its generation is older than the running transaction) only pins it:
 * after a crash the old superblock's tree must still find it intact. The
 * commit releases every pin once the new superblock is durable
 * (release_pinned, called after the superblock's FLUSH). A block born in
 * the running transaction is nobody else's and is freed at once.
 *
 * The free-space tree (owner KV_TREE_FREE) stores the free space of each
 * committed state as maximal extents: item key (start, KV_KEY_FREE,
 * length), no data. Neighbouring free blocks always form one item: the
 * items are generated from the bitmaps' maximal runs, so coalescing is by
 * construction, and fsck checks that no two items touch. Mount loads the
 * tree into the bitmaps. Commit makes the tree describe the new state
 * (free_tree_sync): "free" means not used, or pinned (a pinned block is
 * free in the new state). Updating the tree copies its own blocks, which
 * allocates and frees blocks and so changes the runs it must describe; the
 * sync therefore repeats "compare the items with the runs, fix the
 * differences" until a pass finds none. Each pass touches fewer new blocks
 * (a block copied once is changed in place for the rest of the
 * transaction), so it converges in two or three passes; it gives up with
 * KV_EIO after MAX_PASSES, which no state has needed.
 */
#include "kv.h"

#define MAX_EXTENTS 2048              /* free extents a store may have */
#define MAX_PASSES 32

static uint8 used_map[KV_MAX_BLOCKS / 8];
static uint8 pinned_map[KV_MAX_BLOCKS / 8];

struct extent {
    uint64 start, len;
};
static struct extent have[MAX_EXTENTS], want[MAX_EXTENTS];

static int test(const uint8 *m, uint64 b) { return (m[b / 8] >> (b % 8)) & 1; }
static void set(uint8 *m, uint64 b) { m[b / 8] |= (uint8)(1 << (b % 8)); }
static void clear(uint8 *m, uint64 b) { m[b / 8] &= (uint8)~(1 << (b % 8)); }

/* Everything used (the tree load then frees), nothing pinned. */
void alloc_reset(uint64 nblocks)
{
    memset(used_map, 0xff, sizeof used_map);
    memset(pinned_map, 0, sizeof pinned_map);
    kvfs.nused = nblocks;
    kvfs.npinned = 0;
}

/* A new store: only the reserved blocks are used. */
void alloc_format(void)
{
    alloc_reset(kvfs.nblocks);
    for (uint64 b = KV_FIRST_BLOCK; b < kvfs.nblocks; b++)
        clear(used_map, b);
    kvfs.nused = KV_FIRST_BLOCK;
}

static void take(uint64 start, uint64 n, uint64 kind)
{
    for (uint64 b = start; b < start + n; b++)
        set(used_map, b);
    kvfs.nused += n;
    trace_kv_alloc(start, n, kind);
}

int64 alloc_meta(void)
{
    for (uint64 b = KV_FIRST_BLOCK; b < kvfs.nblocks; b++) {
        if (used_map[b / 8] == 0xff) {
            b |= 7;
            continue;
        }
        if (!test(used_map, b)) {
            take(b, 1, 0);
            return (int64)b;
        }
    }
    kprintf("kv: no free block for metadata\n");
    return KV_ENOSPC;
}

/* The highest run of n free blocks. */
int64 alloc_data(uint32 n)
{
    uint64 run = 0;
    for (uint64 b = kvfs.nblocks; b-- > KV_FIRST_BLOCK;) {
        run = test(used_map, b) ? 0 : run + 1;
        if (run == n) {
            take(b, n, 1);
            return (int64)b;
        }
    }
    return KV_ENOSPC;
}

#ifndef KV_FAULT
#define KV_FAULT 0
#endif

int free_blocks(uint64 start, uint32 n, uint64 gen)
{
    int deferred = gen != kvfs.txn && KV_FAULT != 2;   /* KV_FAULT: kvsuper.c */
    for (uint64 b = start; b < start + n; b++) {
        if (b < KV_FIRST_BLOCK || b >= kvfs.nblocks || !test(used_map, b) || test(pinned_map, b)) {
            kprintf("kv: block %ld: freed but not in use (double free)\n", b);
            return KV_EIO;
        }
    }
    for (uint64 b = start; b < start + n; b++) {
        if (deferred)
            set(pinned_map, b);
        else
            clear(used_map, b);
    }
    if (deferred)
        kvfs.npinned += n;
    else
        kvfs.nused -= n;
    trace_kv_free(start, n, (uint64)deferred);
    return 0;
}

/* The new superblock is durable: blocks freed by its transaction may be reused. */
void release_pinned(void)
{
    for (uint64 i = 0; i < (kvfs.nblocks + 7) / 8; i++) {
        used_map[i] &= (uint8)~pinned_map[i];
        pinned_map[i] = 0;
    }
    kvfs.nused -= kvfs.npinned;
    kvfs.npinned = 0;
}

static int load_item(void *ctx, const struct kv_key *k, const uint8 *data, uint32 size)
{
    (void)ctx;
    (void)data;
    if (k->type != KV_KEY_FREE || size != 0 || k->offset == 0 || k->objectid < KV_FIRST_BLOCK ||
        k->offset > kvfs.nblocks - k->objectid) {
        kprintf("kv: free-space tree: bad item (%ld, %d, %ld)\n", k->objectid, k->type, k->offset);
        return KV_EIO;
    }
    for (uint64 b = k->objectid; b < k->objectid + k->offset; b++) {
        if (!test(used_map, b)) {
            kprintf("kv: free-space tree: block %ld listed twice\n", b);
            return KV_EIO;
        }
        clear(used_map, b);
    }
    kvfs.nused -= k->offset;
    return 0;
}

int free_tree_load(void)
{
    alloc_reset(kvfs.nblocks);
    return bt_walk(KV_TREE_FREE, load_item, 0);
}

/* ---- the commit's update of the free-space tree ---- */

static int is_free(uint64 b) { return !test(used_map, b) || test(pinned_map, b); }

/* The maximal free runs of the new state, into want[]; their count or KV_ENOSPC. */
static int free_runs(void)
{
    int n = 0;
    for (uint64 b = KV_FIRST_BLOCK; b < kvfs.nblocks;) {
        if (!is_free(b)) {
            b++;
            continue;
        }
        uint64 s = b;
        while (b < kvfs.nblocks && is_free(b))
            b++;
        if (n == MAX_EXTENTS)
            return KV_ENOSPC;
        want[n++] = (struct extent){s, b - s};
    }
    return n;
}

static int collect_item(void *ctx, const struct kv_key *k, const uint8 *data, uint32 size)
{
    (void)data;
    (void)size;
    int *n = ctx;
    if (*n == MAX_EXTENTS)
        return KV_ENOSPC;
    have[(*n)++] = (struct extent){k->objectid, k->offset};
    return 0;
}

static int put_extent(const struct extent *e, int del)
{
    struct bt_op op = {.del = del, .key = {.objectid = e->start, .offset = e->len, .type = KV_KEY_FREE}};
    return bt_modify(KV_TREE_FREE, &op);
}

/* One pass: deletes the items that are not runs, inserts the runs that are not items. */
static int sync_pass(int *changes)
{
    int nh = 0, nw = free_runs(), r = bt_walk(KV_TREE_FREE, collect_item, &nh);
    if (nw < 0 || r)
        return nw < 0 ? nw : r;
    int i = 0, j = 0;
    *changes = 0;
    while ((i < nh || j < nw) && r == 0) {
        if (i < nh && j < nw && have[i].start == want[j].start && have[i].len == want[j].len) {
            i++, j++;
        } else if (i < nh && (j == nw || have[i].start <= want[j].start)) {
            r = put_extent(&have[i++], 1);
            (*changes)++;
        } else {
            r = put_extent(&want[j++], 0);
            (*changes)++;
        }
    }
    return r;
}

int free_tree_sync(void)
{
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        int changes, r = sync_pass(&changes);
        if (r || changes == 0)
            return r;
    }
    kprintf("kv: free-space tree did not converge in %d passes\n", MAX_PASSES);
    return KV_EIO;
}
