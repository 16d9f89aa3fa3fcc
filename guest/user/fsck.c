/*
 * fsck.c — checks every invariant of the key/value store on the disk, from
 * user space, reading raw blocks (blkread) and trusting nothing the kernel
 * keeps in memory. It checks the newest valid superblock's state, which is
 * what a mount would see.
 *
 *   fsck
 *
 * Checks, in order:
 *   superblocks  the newest valid slot; another valid slot of the same
 *                generation (mkfs writes all three) names the same roots;
 *                torn or blank slots are noted, not errors (a crash may
 *                leave them)
 *   every tree block  in range; read; magic, CRC-32C, logical address,
 *                fsid, owner tree, level, type; generation equal to the
 *                pointer's and not newer than its parent or the superblock
 *   shape        pointer counts (non-root node_max/2..node_max, root
 *                2..node_max); leaves: items packed from the block end in
 *                item order, at most leaf_limit bytes, non-root leaves at
 *                least one item and leaf_limit/4 bytes; all leaves at level 0
 *   keys         strictly increasing in every block, inside the range the
 *                parent gives, and each pointer's key equal to its child's
 *                first key
 *   items        kv tree: (key, VALUE, 0) with a well-formed inline value or
 *                data extent (in range, right length, CRC-32C of the data);
 *                free tree: (start, FREE, length) in range, no data,
 *                neither overlapping nor touching the previous item
 *                (coalesced)
 *   space        every block of the store is exactly one of: reserved,
 *                reachable once (tree block or data), free; counts of used
 *                blocks and keys equal the superblock's
 *
 *   file system  with a file system on the disk, every tree of it and the
 *                references between them: fsckfs.h
 *
 * Output: "fsck: error: ..." per problem (the first 20), then
 *   fsck: PASS gen G: K keys, kv tree H levels B blocks, free tree ...
 *   fsck: FAIL <first problem> (N problems)
 * Exit status 0 on PASS, 1 on FAIL.
 */
#include "kvdisk.h"
#include "../lib/fmt.h"

#define MAX_BLOCKS (256 * 1024)
#define MAX_LEVEL 16

static struct kv_super sb;
static uint8 blk[MAX_LEVEL + 1][KV_BSIZE];
static uint8 data[KV_BSIZE];
static uint8 refmap[MAX_BLOCKS / 8], freemap[MAX_BLOCKS / 8];
static uint64 nblocks;
static int problems;
static char first[160];
static uint64 tree_blocks[KV_TREE_FS + 1], data_blocks, nkeys, free_blocks, free_extents, free_end;

static void problem(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (problems++ == 0)
        memcpy(first, line, sizeof line);
    if (problems <= 20)
        printf("fsck: error: %s\n", line);
}

static int test(const uint8 *m, uint64 b) { return (m[b / 8] >> (b % 8)) & 1; }
static void set(uint8 *m, uint64 b) { m[b / 8] |= (uint8)(1 << (b % 8)); }

/* Marks block b reachable; 0 if it is out of range or already reachable. */
static int claim(uint64 b, const char *what)
{
    if (b >= nblocks) {
        problem("%s %ld beyond the store (%ld blocks)", what, b, nblocks);
        return 0;
    }
    if (test(refmap, b)) {
        problem("%s %ld is reachable twice", what, b);
        return 0;
    }
    set(refmap, b);
    return 1;
}

static int check_header(const uint8 *b, uint64 bno, uint64 gen, uint32 owner, int level)
{
    const struct kv_header *h = (const struct kv_header *)b;
    const char *why = kvd_check(b, bno);
    if (why) {
        problem("block %ld: bad %s", bno, why);
        return 0;
    }
    int type = level == 0 ? KV_BT_LEAF : KV_BT_NODE;
    if (h->fsid != sb.h.fsid || h->owner != owner || h->level != level || h->type != type) {
        problem("block %ld: fsid/owner/level/type %lx/%d/%d/%d, expected %lx/%d/%d/%d", bno, h->fsid,
                h->owner, h->level, h->type, sb.h.fsid, owner, level, type);
        return 0;
    }
    if (h->gen != gen || gen > sb.h.gen) {
        problem("block %ld: generation %ld, pointer says %ld, superblock %ld", bno, h->gen, gen, sb.h.gen);
        return 0;
    }
    return 1;
}

static const struct kv_key *key_at(const uint8 *b, uint32 i)
{
    const struct kv_header *h = (const struct kv_header *)b;
    const uint8 *e = b + KV_HDR_SIZE + i * (h->level ? sizeof(struct kv_ptr) : sizeof(struct kv_item));
    return (const struct kv_key *)e;
}

/* Keys increasing, within [lo, hi), first key == lo for a non-root block. */
static void check_keys(const uint8 *b, uint64 bno, uint32 n, const struct kv_key *lo, const struct kv_key *hi)
{
    for (uint32 i = 0; i < n; i++) {
        const struct kv_key *k = key_at(b, i);
        if (i > 0 && kv_key_cmp(key_at(b, i - 1), k) >= 0)
            problem("block %ld: key %d not above key %d (key order)", bno, i, i - 1);
        if ((lo && kv_key_cmp(k, lo) < 0) || (hi && kv_key_cmp(k, hi) >= 0))
            problem("block %ld: key %d (%ld, %d, %ld) outside its parent's range", bno, i, k->objectid,
                    k->type, k->offset);
    }
    if (lo && n > 0 && kv_key_cmp(key_at(b, 0), lo) != 0)
        problem("block %ld: first key differs from the parent's pointer key", bno);
}

/* Item layout and fill of a leaf; returns its item bytes. */
static uint32 check_leaf_shape(const uint8 *b, uint64 bno, uint32 n, int is_root)
{
    const struct kv_item *it = (const struct kv_item *)(b + KV_HDR_SIZE);
    uint32 end = KV_BSIZE, bytes = 0;
    if (KV_HDR_SIZE + n * sizeof *it > KV_BSIZE) {
        problem("block %ld: %d items cannot fit", bno, n);
        return 0;
    }
    for (uint32 i = 0; i < n; i++) {
        if (it[i].size > end || it[i].offset != end - it[i].size ||
            it[i].offset < KV_HDR_SIZE + n * sizeof *it) {
            problem("block %ld: item %d data (offset %d, size %d) not packed from the end", bno, i,
                    it[i].offset, it[i].size);
            return 0;
        }
        end = it[i].offset;
        bytes += KV_ITEM_BYTES(it[i].size);
    }
    if (bytes > sb.leaf_limit || (!is_root && (n == 0 || bytes < sb.leaf_limit / 4)))
        problem("block %ld: leaf fill %d bytes in %d items outside %d..%d", bno, bytes, n,
                is_root ? 0 : sb.leaf_limit / 4, sb.leaf_limit);
    return bytes;
}

static void check_node_fill(uint64 bno, uint32 n, int is_root)
{
    uint32 lo = is_root ? 2 : sb.node_max / 2;
    if (n < lo || n > sb.node_max)
        problem("block %ld: node holds %d pointers, outside %d..%d", bno, n, lo, sb.node_max);
}

/* A data extent: in range, not reserved, reachable once, right length, checksum. */
static void check_extent(uint64 key, const struct kv_value *v, uint64 leaf_gen)
{
    const struct kv_extent *e = (const struct kv_extent *)(v + 1);
    if (e->nblocks != (v->len + KV_BSIZE - 1) / KV_BSIZE || e->start < KV_FIRST_BLOCK ||
        e->gen > leaf_gen) {
        problem("key %ld: extent %ld+%d (gen %ld) malformed for %d bytes", key, e->start, e->nblocks,
                e->gen, v->len);
        return;
    }
    uint32 crc = 0;
    for (uint32 i = 0; i < e->nblocks; i++) {
        if (!claim(e->start + i, "data block"))
            return;
        data_blocks++;
        if (blkread((long)(e->start + i), data) < 0) {
            problem("key %ld: data block %ld unreadable", key, e->start + i);
            return;
        }
        uint32 part = v->len - i * KV_BSIZE < KV_BSIZE ? v->len - i * KV_BSIZE : KV_BSIZE;
        crc = crc32c(crc, data, part);
    }
    if (crc != e->csum)
        problem("key %ld: extent %ld+%d: bad checksum (%x, stored %x)", key, e->start, e->nblocks, crc,
                e->csum);
}

static void check_value(const struct kv_key *k, const uint8 *d, uint32 size, uint64 leaf_gen)
{
    const struct kv_value *v = (const struct kv_value *)d;
    nkeys++;
    if (k->type != KV_KEY_VALUE || k->offset != 0 || size < sizeof *v) {
        problem("kv tree: item (%ld, %d, %ld) of size %d is not a value", k->objectid, k->type, k->offset, size);
        return;
    }
    if (v->kind == KV_VAL_INLINE && v->len <= KV_INLINE_MAX && size == sizeof *v + v->len)
        return;
    if (v->kind == KV_VAL_EXTENT && v->len > KV_INLINE_MAX && v->len <= KV_VALUE_MAX &&
        size == sizeof *v + sizeof(struct kv_extent)) {
        check_extent(k->objectid, v, leaf_gen);
        return;
    }
    problem("key %ld: malformed value (kind %d, len %d, size %d)", k->objectid, v->kind, v->len, size);
}

static void check_free(const struct kv_key *k, uint32 size)
{
    uint64 s = k->objectid, n = k->offset;
    if (k->type != KV_KEY_FREE || size != 0 || n == 0 || s < KV_FIRST_BLOCK || s > nblocks || n > nblocks - s) {
        problem("free tree: bad item (%ld, %d, %ld) size %d", s, k->type, n, size);
        return;
    }
    if (free_extents > 0 && s <= free_end)
        problem("free tree: extent %ld+%ld %s the previous one", s, n, s == free_end ? "touches (not coalesced)" : "overlaps");
    for (uint64 b = s; b < s + n; b++)
        set(freemap, b);
    free_extents++;
    free_blocks += n;
    free_end = s + n;
}

#include "fsckfs.h"

static void check_items(const uint8 *b, uint32 owner, uint32 n)
{
    const struct kv_item *it = (const struct kv_item *)(b + KV_HDR_SIZE);
    uint64 gen = ((const struct kv_header *)b)->gen;
    for (uint32 i = 0; i < n; i++) {
        const struct kv_key *k = &it[i].key;
        const uint8 *d = b + it[i].offset;
        if (owner == KV_TREE_KV)
            check_value(k, d, it[i].size, gen);
        else if (owner == KV_TREE_FREE)
            check_free(k, it[i].size);
        else if (owner == KV_TREE_ROOT)
            root_item(k, d, it[i].size);
        else if (owner == KV_TREE_EXTENT)
            extent_item(k, d, it[i].size);
        else if (owner == KV_TREE_CSUM)
            csum_item(k, d, it[i].size);
        else
            fs_leaf_item(k, d, it[i].size);
    }
}

static void walk(uint32 owner, uint64 bno, uint64 gen, int level, int is_root, const struct kv_key *lo,
                 const struct kv_key *hi)
{
    if (level < 0 || level > MAX_LEVEL) {
        problem("block %ld: level %d out of range", bno, level);
        return;
    }
    uint8 *b = blk[level];
    if (owner == KV_TREE_FS && fs_shared_visit(bno))
        return;                       /* shared with a snapshot: checked once */
    if (!claim(bno, "tree block") || bno < KV_FIRST_BLOCK)
        return;
    tree_blocks[owner]++;
    if (blkread((long)bno, b) < 0) {
        problem("block %ld: unreadable", bno);
        return;
    }
    if (!check_header(b, bno, gen, owner, level))
        return;
    uint32 n = ((struct kv_header *)b)->nitems;
    if (level == 0) {
        check_leaf_shape(b, bno, n, is_root);
        check_keys(b, bno, n, is_root ? 0 : lo, hi);
        check_items(b, owner, n);
        return;
    }
    check_node_fill(bno, n, is_root);
    if (n > KV_NODE_CAP)
        return;
    check_keys(b, bno, n, is_root ? 0 : lo, hi);
    const struct kv_ptr *p = (const struct kv_ptr *)(b + KV_HDR_SIZE);
    for (uint32 i = 0; i < n; i++) {
        if (p[i].gen > gen)
            problem("block %ld: child %ld has generation %ld, newer than its parent's %ld", bno, p[i].blockno, p[i].gen, gen);
        walk(owner, p[i].blockno, p[i].gen, level - 1, 0, &p[i].key, i + 1 < n ? &p[i + 1].key : hi);
    }
}

/* Newest valid superblock; notes the invalid slots, checks the older ones. */
static int pick_super(void)
{
    static struct kv_super s;
    int slot = kvd_newest(&sb);
    for (int i = 0; i < KV_SUPER_SLOTS; i++) {
        const char *why = kvd_super(i, &s);
        if (why)
            printf("fsck: note: superblock slot %d (block %d) not valid (%s), ignored\n", i, i + 1, why);
        else if (i != slot && s.h.gen == sb.h.gen && memcmp(s.root, sb.root, sizeof s.root) != 0)
            problem("superblock slots %d and %d: generation %ld with different roots", i, slot, s.h.gen);
    }
    if (slot < 0)
        problem("no valid superblock");
    return slot;
}

static int check_geometry(void)
{
    struct blkinfo bi;
    if (blkinfo(&bi) < 0) {
        problem("no disk");
        return 0;
    }
    nblocks = sb.nblocks;
    if (nblocks < KV_MIN_BLOCKS || nblocks > bi.nblocks || nblocks > MAX_BLOCKS ||
        sb.node_max < KV_NODE_MIN_MAX || sb.node_max > KV_NODE_CAP ||
        sb.leaf_limit < KV_LEAF_MIN_LIMIT || sb.leaf_limit > KV_LEAF_CAP) {
        problem("superblock geometry out of range (%ld blocks, node_max %d, leaf_limit %d)", nblocks,
                sb.node_max, sb.leaf_limit);
        return 0;
    }
    return 1;
}

/* Every block is exactly one of reserved/reachable and free. */
static uint64 check_space(void)
{
    uint64 used = 0;
    for (uint64 b = 0; b < nblocks; b++) {
        int r = test(refmap, b), f = test(freemap, b);
        used += r;
        if (r && f)
            problem("block %ld is both reachable and free (double allocation)", b);
        else if (!r && !f)
            problem("block %ld is neither reachable nor free (leaked)", b);
    }
    if (used != sb.used_blocks)
        problem("%ld blocks in use, superblock says %ld", used, sb.used_blocks);
    if (nkeys != sb.nkeys)
        problem("%ld keys, superblock says %ld", nkeys, sb.nkeys);
    return used;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct blkinfo bi;
    if (blkinfo(&bi) < 0)
        problem("no disk");
    else if (pick_super() >= 0 && check_geometry()) {
        for (uint64 b = 0; b < KV_FIRST_BLOCK; b++)
            claim(b, "reserved block");
        walk(KV_TREE_KV, sb.root[KV_TREE_KV].blockno, sb.root[KV_TREE_KV].gen, (int)sb.root[KV_TREE_KV].level, 1, 0, 0);
        walk(KV_TREE_FREE, sb.root[KV_TREE_FREE].blockno, sb.root[KV_TREE_FREE].gen, (int)sb.root[KV_TREE_FREE].level, 1, 0, 0);
        int fs = fs_check();
        uint64 used = check_space();
        if (problems == 0 && fs)
            printf("fsck: file system: %d subvolumes, %ld inodes, %ld FS tree blocks, %d data extents "
                   "(%ld blocks), %d shared tree blocks\n", nsubs, fs_inodes, tree_blocks[KV_TREE_FS], next_,
                   fs_data_blocks, nshared);
        if (problems == 0) {
            printf("fsck: PASS gen %ld: %ld keys, kv tree %d levels %ld blocks, free tree %d levels %ld blocks, "
                   "%ld data blocks, %ld used, %ld free in %ld extents\n", sb.h.gen, nkeys,
                   sb.root[KV_TREE_KV].level + 1, tree_blocks[KV_TREE_KV], sb.root[KV_TREE_FREE].level + 1,
                   tree_blocks[KV_TREE_FREE], data_blocks, used, free_blocks, free_extents);
            return 0;
        }
    }
    printf("fsck: FAIL %s (%d problems)\n", first, problems);
    return 1;
}
