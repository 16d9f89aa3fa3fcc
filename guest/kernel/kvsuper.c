/*
 * kvsuper.c — superblocks, format, mount and the commit protocol of the
 * key/value store.
 *
 * Three superblocks live at blocks 1, 2 and 3 (slots 0..2). Each names a
 * committed state: its generation (the transaction id), the root block,
 * generation and level of each tree, the geometry and the block count. A
 * commit writes only the slot gen % 3, so the other two keep the two
 * previous states: a superblock write that is torn or lost by a power cut
 * fails its checksum (or is simply the old one), and mount falls back to
 * the newest valid slot, whose state is intact (see below). Its content
 * fits in the first sector, so a torn write is either the whole new
 * superblock or fails the checksum.
 *
 * Commit of transaction T (kvs_commit):
 *
 *   1. free_tree_sync: the free-space tree now describes T's free space
 *   2. bsync: every dirty block of T (tree blocks, data extents) to the
 *      disk, then FLUSH                                   <- barrier 1
 *   3. the superblock of T to slot T % 3 through the cache, bsync: the
 *      write, then FLUSH                                  <- barrier 2
 *   4. release the pins: blocks T freed may be reused by T + 1
 *
 * Why a crash anywhere gives the old or the new state, never a mixture:
 * until barrier 2 completes, the newest valid superblock on the disk is
 * T - 1's (T's may be absent or torn, both rejected), and T - 1's tree is
 * intact because T wrote only blocks that were free in T - 1 (copy on
 * write, and pinned blocks were not reused). After barrier 1 every block
 * T's superblock points to is durable, so once T's superblock is on the
 * disk its state is complete. T + 1 reuses T's freed blocks only after
 * barrier 2, when T - 1's state is no longer needed.
 *
 * Mount reads the three slots, keeps the valid one with the highest
 * generation, loads the free-space tree into the allocator and checks that
 * the count of used blocks agrees with the superblock. Format (mkfs) first
 * zeroes the three slots and flushes (so that no superblock of an earlier
 * store on the disk can outlive a format interrupted by a crash: such a
 * disk has no store at all), creates two empty trees (and, for the file
 * system's mkfs, its trees: fstree.c), lets the first commit fill the
 * free-space tree, and writes generation 1 to all three slots. Every commit
 * first writes the loaded subvolumes' FS tree roots into the root tree
 * (fs_flush_roots). Format version 2 added the file-system roots to the
 * superblock; a version 1 superblock mounts as a store without them.
 */
#include "kv.h"

struct kvfs kvfs;

static void super_fill(struct kv_super *s, int slot)
{
    memset(s, 0, KV_BSIZE);
    s->h.magic = KV_MAGIC;
    s->h.blockno = KV_SUPER_BLOCK(slot);
    s->h.gen = kvfs.txn;
    s->h.fsid = kvfs.fsid;
    s->h.type = KV_BT_SUPER;
    s->h.level = (uint16)slot;
    s->version = KV_VERSION;
    s->nblocks = kvfs.nblocks;
    memcpy(s->root, kvfs.root, sizeof s->root);
    memcpy(s->fsroot, &kvfs.root[KV_TREE_ROOT], sizeof s->fsroot);
    s->node_max = kvfs.node_max;
    s->leaf_limit = kvfs.leaf_limit;
    s->used_blocks = kvfs.nused - kvfs.npinned;
    s->nkeys = kvfs.nkeys;
}

static void super_write(int slot)
{
    struct buf *b = bget(KV_SUPER_BLOCK(slot));
    super_fill((struct kv_super *)b->data, slot);
    b->valid = 1;
    mb_seal(b);
    bwrite(b);
    brelse(b);
    trace_kv_super_write((uint64)slot, KV_SUPER_BLOCK(slot), kvfs.txn);
}

static void begin_txn(void)
{
    kvfs.txn = kvfs.gen + 1;
    trace_kv_txn_begin(kvfs.txn);
}

/*
 * Deliberate bugs, compiled in only with -DKV_FAULT=n (kernel/Makefile), so
 * that the crash-state explorer can prove it finds inconsistent states:
 *   1  the superblock is written before the tree blocks are flushed (one
 *      FLUSH after both): a crash may persist the superblock without them
 *   2  deferred frees are immediate (kvalloc.c): the running transaction
 *      overwrites blocks the last committed state still uses
 */
#ifndef KV_FAULT
#define KV_FAULT 0
#endif

/* Steps 1-4 of the protocol; all = write every slot (format). */
static int commit(int all)
{
    int r = fs_flush_roots();
    if (r == 0)
        r = free_tree_sync();
    if (r)
        return r;
    int written = KV_FAULT == 1 ? 0 : bsync();
    if (written < 0)
        return KV_EIO;
    int slot = (int)(kvfs.txn % KV_SUPER_SLOTS);
    for (int s = 0; s < KV_SUPER_SLOTS; s++)
        if (all || s == slot)
            super_write(s);
    if (bsync() < 0)
        return KV_EIO;
    release_pinned();
    kvfs.gen = kvfs.txn;
    kvfs.super_slot = slot;
    kvfs.commits++;
    kvfs.last_writes = (uint64)written;
    trace_kv_commit(kvfs.gen, (uint64)written, (uint64)slot, kvfs.nused);
    begin_txn();
    return 0;
}

int kvs_commit(void)
{
    return commit(0);
}

/* Zeroes the three slots (written and flushed): no superblock of an earlier store survives a format. */
static int erase_supers(void)
{
    for (int slot = 0; slot < KV_SUPER_SLOTS; slot++) {
        struct buf *b = bget(KV_SUPER_BLOCK(slot));
        memset(b->data, 0, KV_BSIZE);
        b->valid = 1;
        bwrite(b);
        brelse(b);
    }
    return bsync() < 0 ? KV_EIO : 0;
}

int kvs_format(uint32 node_max, uint32 leaf_limit, int with_fs)
{
    uint64 disk = vblk_sectors() / SECTORS_PER_BLOCK;
    if (node_max < KV_NODE_MIN_MAX || node_max > KV_NODE_CAP || leaf_limit < KV_LEAF_MIN_LIMIT ||
        leaf_limit > KV_LEAF_CAP || disk < KV_MIN_BLOCKS || vblk_readonly())
        return -1;
    memset(&kvfs, 0, sizeof kvfs);
    fs_reset();
    kvfs.nblocks = disk < KV_MAX_BLOCKS ? disk : KV_MAX_BLOCKS;
    kvfs.fsid = ((uint64)crc32c(0, &kvfs.nblocks, 8) << 32) ^ timer_now() ^ 0x6b76ULL;
    kvfs.node_max = node_max;
    kvfs.leaf_limit = leaf_limit;
    kvfs.gen = 0;
    begin_txn();
    alloc_format();
    int r = erase_supers();
    if (r == 0)
        r = bt_create(KV_TREE_KV);
    if (r == 0)
        r = bt_create(KV_TREE_FREE);
    if (r == 0 && with_fs)
        r = fs_create_trees();
    if (r == 0)
        r = commit(1);
    kvfs.mounted = r == 0;
    return r;
}

/* The valid superblock with the highest generation, copied to *s; its slot or KV_EIO. */
static int newest_super(struct kv_super *s)
{
    int best = -1;
    for (int slot = 0; slot < KV_SUPER_SLOTS; slot++) {
        struct buf *b;
        if (mb_read_super(slot, &b) != 0)
            continue;
        struct kv_super *c = (struct kv_super *)b->data;
        if (best < 0 || c->h.gen > s->h.gen) {
            memcpy(s, c, sizeof *s);
            best = slot;
        }
        brelse(b);
    }
    if (best < 0)
        kprintf("kv: no valid superblock\n");
    return best < 0 ? KV_EIO : best;
}

static int super_sane(const struct kv_super *s)
{
    uint64 disk = vblk_sectors() / SECTORS_PER_BLOCK;
    int ok = s->nblocks >= KV_MIN_BLOCKS && s->nblocks <= disk && s->nblocks <= KV_MAX_BLOCKS &&
             s->node_max >= KV_NODE_MIN_MAX && s->node_max <= KV_NODE_CAP &&
             s->leaf_limit >= KV_LEAF_MIN_LIMIT && s->leaf_limit <= KV_LEAF_CAP;
    if (!ok)
        kprintf("kv: superblock %ld: geometry out of range\n", s->h.blockno);
    return ok ? 0 : KV_EIO;
}

int kvs_mount(void)
{
    static struct kv_super s;
    kvfs.mounted = 0;
    int slot = newest_super(&s);
    if (slot < 0 || super_sane(&s) != 0)
        return KV_EIO;
    memset(&kvfs, 0, sizeof kvfs);
    kvfs.fsid = s.h.fsid;
    kvfs.nblocks = s.nblocks;
    kvfs.gen = s.h.gen;
    memcpy(kvfs.root, s.root, sizeof s.root);
    if (s.version >= 2)
        memcpy(&kvfs.root[KV_TREE_ROOT], s.fsroot, sizeof s.fsroot);
    fs_reset();
    kvfs.node_max = s.node_max;
    kvfs.leaf_limit = s.leaf_limit;
    kvfs.nkeys = s.nkeys;
    kvfs.super_slot = slot;
    begin_txn();
    int r = free_tree_load();
    if (r == 0 && kvfs.nused != s.used_blocks) {
        kprintf("kv: free-space tree leaves %ld blocks used, superblock says %ld\n", kvfs.nused,
                s.used_blocks);
        r = KV_EIO;
    }
    kvfs.mounted = r == 0;
    return r;
}
