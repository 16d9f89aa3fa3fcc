/*
 * fsdata.c — file data on the copy-on-write store: data extents, their
 * reference counts and checksums, copy-on-write writes, verified reads,
 * truncate and reflink; and the sharing of FS tree blocks by snapshots.
 *
 * A file is a sorted list of file extent items in its subvolume's FS tree:
 *
 *   (ino, FILE_EXTENT, 0)      -> data extent A, blocks 0..3   file blocks 0..3
 *   (ino, FILE_EXTENT, 16384)  -> data extent B, blocks 2..2   file block  4
 *   (no item for blocks 5..7)                                  a hole: reads zeros
 *   (ino, FILE_EXTENT, 32768)  -> data extent A, blocks 4..7   file blocks 8..11
 *
 * Copy on write. A write never changes a data block: it allocates a new
 * extent for the blocks it touches (at most FS_EXTENT_MAX per extent), fills
 * it (a partly written block is first read from the old mapping, so the
 * untouched bytes carry over), records the CRC-32C of each block in the
 * checksum tree and a reference count of 1 in the extent tree, then
 * "punches" the range out of the old mapping (items wholly inside go, an
 * item straddling an edge is cut, keeping its outer part) and inserts one
 * item for the new extent, all in the running transaction. So an overwrite
 * in the middle of a file leaves every other file and every other copy of
 * the old extent alone.
 *
 * Reference counts. An extent's refs count the file extent items naming it,
 * an item in a leaf that a snapshot shares counting once. Cutting an item
 * in two adds a reference; deleting one drops one; at zero the extent's
 * blocks are freed (deferred, like any block the last commit may use) and
 * its extent and checksum items go. A reflink copies a file's items and
 * adds one reference per item: no data moves.
 *
 * Shared tree blocks. A snapshot makes two root items name one FS tree
 * root; the extent tree then holds (block, EXT_SHARED, 0) -> refs >= 2 for
 * it (no item means one reference). When a change copies a tree block with
 * refs > 1 (fs_cow_shared, called by btree.c's cow), the copy takes a new
 * reference to everything the block points to (child blocks, or the data
 * extents of its file extent items) and the old block loses one reference
 * instead of being freed: the other tree still uses it.
 *
 * Reads resolve each block through the mapping, read it, and check its
 * CRC-32C against the checksum tree: a mismatch is EIO to the program and a
 * kernel message naming the inode, the file block and the disk block. The
 * bytes of a file's last block beyond its size are always zero on the disk
 * (writes and truncate keep them so), so growing a file shows zeros.
 */
#include "fs.h"
#include "proc.h"

#define BS KV_BSIZE

void trace_fs_unshare(uint64 old_blockno, uint64 new_blockno, uint64 level, uint64 refs);
void trace_fs_extent_write(uint64 ino, uint64 file_block, uint64 disk_start, uint64 nblocks);
#define BATCH 16

static uint8 kbuf[BS] __attribute__((aligned(8)));
static uint32 crcs[FS_EXTENT_MAX];

/* ---- the extent tree ---- */

static int modify(uint32 tree, struct kv_key k, const void *data, uint32 size, int del)
{
    struct bt_op op = {.del = del, .key = k, .data = data, .size = size};
    fs_mark_dirty();
    return bt_modify(tree, &op);
}

static int extent_get(uint64 start, uint32 n, struct fs_extent_item *e)
{
    struct kv_key k = fs_key(start, FS_KEY_EXT_DATA, n);
    uint32 size;
    int r = bt_lookup(KV_TREE_EXTENT, &k, (uint8 *)e, sizeof *e, &size);
    if (r == 0 && (size != sizeof *e || e->refs == 0))
        r = KV_EIO;
    if (r)
        kprintf("fs: data extent %ld+%d: %s extent item\n", start, n, r == KV_ENOENT ? "no" : "corrupt");
    return r == KV_ENOENT ? KV_EIO : r;
}

/* Adds delta references to a data extent; at zero frees it with its items. */
static int data_ref(uint64 start, uint32 n, int delta)
{
    struct fs_extent_item e;
    int r = extent_get(start, n, &e);
    if (r)
        return r;
    e.refs += (uint32)delta;
    if (e.refs > 0)
        return modify(KV_TREE_EXTENT, fs_key(start, FS_KEY_EXT_DATA, n), &e, sizeof e, 0);
    r = modify(KV_TREE_EXTENT, fs_key(start, FS_KEY_EXT_DATA, n), 0, 0, 1);
    if (r == 0)
        r = modify(KV_TREE_CSUM, fs_key(start, FS_KEY_CSUM, n), 0, 0, 1);
    return r ? r : free_blocks(start, n, e.gen);
}

/* References to a tree block: its EXT_SHARED item, or 1 without one. */
static int tree_refs(uint64 blockno, uint32 *refs)
{
    struct kv_key k = fs_key(blockno, FS_KEY_EXT_SHARED, 0);
    uint32 size;
    int r = bt_lookup(KV_TREE_EXTENT, &k, (uint8 *)refs, sizeof *refs, &size);
    if (r == KV_ENOENT) {
        *refs = 1;
        return 0;
    }
    if (r == 0 && (size != sizeof *refs || *refs < 2)) {
        kprintf("fs: tree block %ld: corrupt shared-reference item\n", blockno);
        r = KV_EIO;
    }
    return r;
}

int fs_tree_ref(uint64 blockno, int delta)
{
    uint32 refs;
    int r = tree_refs(blockno, &refs);
    if (r)
        return r;
    refs += (uint32)delta;
    if (refs == 0) {
        kprintf("fs: tree block %ld: reference count underflow\n", blockno);
        return KV_EIO;
    }
    struct kv_key k = fs_key(blockno, FS_KEY_EXT_SHARED, 0);
    return refs == 1 ? modify(KV_TREE_EXTENT, k, 0, 0, 1) : modify(KV_TREE_EXTENT, k, &refs, 4, 0);
}

/* The copy of a shared block references what the block references. */
static int ref_children(struct buf *copy, int level)
{
    struct kv_header *h = mb_hdr(copy);
    for (uint32 i = 0; i < h->nitems; i++) {
        int r = 0;
        if (level > 0) {
            struct kv_ptr *p = (struct kv_ptr *)(copy->data + KV_HDR_SIZE) + i;
            r = fs_tree_ref(p->blockno, 1);
        } else {
            struct kv_item *it = (struct kv_item *)(copy->data + KV_HDR_SIZE) + i;
            struct fs_file_extent fe;
            if (it->key.type != FS_KEY_FILE_EXTENT)
                continue;
            memcpy(&fe, copy->data + it->offset, sizeof fe);
            r = data_ref(fe.disk_start, fe.disk_nblocks, 1);
        }
        if (r)
            return r;
    }
    return 0;
}

int fs_cow_shared(uint64 old_blockno, struct buf *copy, int level, int *shared)
{
    uint32 refs;
    int r = tree_refs(old_blockno, &refs);
    *shared = r == 0 && refs > 1;
    if (r || !*shared)
        return r;
    trace_fs_unshare(old_blockno, copy->blockno, (uint64)level, refs);
    r = ref_children(copy, level);
    return r ? r : fs_tree_ref(old_blockno, -1);
}

/* ---- mapping file blocks ---- */

/* The item mapping file block blk: 0 and *s = its first file block, 1 for a hole, or an error. */
static int file_map(int slot, uint64 ino, uint64 blk, struct fs_file_extent *fe, uint64 *s)
{
    struct kv_key k = fs_key(ino, FS_KEY_FILE_EXTENT, blk * BS), found;
    uint32 size;
    int r = bt_floor((uint32)slot, &k, &found, (uint8 *)fe, sizeof *fe, &size);
    if (r == KV_ENOENT || (r == 0 && (found.objectid != ino || found.type != FS_KEY_FILE_EXTENT)))
        return 1;
    if (r)
        return r;
    if (size != sizeof *fe || found.offset % BS || fe->extent_off + fe->nblocks > fe->disk_nblocks) {
        kprintf("fs: inode %ld: corrupt file extent item at offset %ld\n", ino, found.offset);
        return KV_EIO;
    }
    *s = found.offset / BS;
    return blk < *s + fe->nblocks ? 0 : 1;
}

static int csum_of(uint64 start, uint32 n, uint32 i, uint32 *crc)
{
    static uint32 all[FS_EXTENT_MAX];
    struct kv_key k = fs_key(start, FS_KEY_CSUM, n);
    uint32 size;
    int r = bt_lookup(KV_TREE_CSUM, &k, (uint8 *)all, sizeof all, &size);
    if (r == 0 && (size != n * 4 || i >= n))
        r = KV_EIO;
    if (r) {
        kprintf("fs: data extent %ld+%d: %s checksum item\n", start, n, r == KV_ENOENT ? "no" : "corrupt");
        return KV_EIO;
    }
    *crc = all[i];
    return 0;
}

/* File block blk into dst (zeros for a hole), its checksum verified. */
static int block_read(int slot, uint64 ino, uint64 blk, uint8 *dst)
{
    struct fs_file_extent fe;
    uint64 s;
    uint32 want;
    int r = file_map(slot, ino, blk, &fe, &s);
    if (r == 1)
        memset(dst, 0, BS);
    if (r)
        return r == 1 ? 0 : r;
    uint32 idx = (uint32)(fe.extent_off + blk - s);
    if ((r = csum_of(fe.disk_start, fe.disk_nblocks, idx, &want)) != 0)
        return r;
    struct buf *b = bread(fe.disk_start + idx);
    if (!b)
        return KV_EIO;
    memcpy(dst, b->data, BS);
    brelse(b);
    uint32 got = crc32c(0, dst, BS);
    if (got != want) {
        kprintf("fs: inode %ld: file block %ld (disk block %ld): bad data checksum (found %x, expected %x)\n",
                ino, blk, fe.disk_start + idx, got, want);
        return KV_EIO;
    }
    return 0;
}

static int copy_out(uint64 dst, int user, const void *src, uint32 n)
{
    if (!user) {
        memcpy((void *)dst, src, n);
        return 0;
    }
    return copyout(myproc()->pagetable, dst, src, n) < 0 ? EFAULT : 0;
}

int file_read(int slot, uint64 ino, const struct fs_inode *in, uint64 off, uint64 dst, int user,
              uint32 n)
{
    if (off >= in->size)
        return 0;
    if (n > in->size - off)
        n = (uint32)(in->size - off);
    for (uint32 done = 0; done < n;) {
        uint64 blk = (off + done) / BS;
        uint32 lo = (uint32)((off + done) % BS), part = BS - lo < n - done ? BS - lo : n - done;
        int r = block_read(slot, ino, blk, kbuf);
        if (r == 0)
            r = copy_out(dst + done, user, kbuf + lo, part);
        if (r)
            return r;
        done += part;
    }
    return (int)n;
}

/* ---- punching a range out of the mapping ---- */

struct mapped {
    uint64 s;                         /* first file block */
    struct fs_file_extent fe;
};

static int add_mapped(struct mapped *m, int *n, const struct kv_key *k, int slot)
{
    uint32 size;
    int r = bt_lookup((uint32)slot, k, (uint8 *)&m[*n].fe, sizeof m[*n].fe, &size);
    if (r == 0 && size != sizeof m[*n].fe)
        r = KV_EIO;
    m[*n].s = k->offset / BS;
    (*n)++;
    return r;
}

/* Up to BATCH items of ino that overlap file blocks [b0, b1). */
static int collect(int slot, uint64 ino, uint64 b0, uint64 b1, struct mapped *m)
{
    struct fs_file_extent fe;
    uint64 s;
    int n = 0, r = file_map(slot, ino, b0, &fe, &s);
    if (r < 0)
        return r;
    if (r == 0)
        m[n++] = (struct mapped){s, fe};
    struct kv_key after = fs_key(ino, FS_KEY_FILE_EXTENT, b0 * BS), found;
    while (n < BATCH && (r = bt_next((uint32)slot, &after, &found)) == 0) {
        if (found.objectid != ino || found.type != FS_KEY_FILE_EXTENT || found.offset >= b1 * BS)
            break;
        if ((r = add_mapped(m, &n, &found, slot)) != 0)
            return r;
        after = found;
    }
    return r == KV_ENOENT || r == 0 ? n : r;
}

/* Removes blocks [b0, b1) from one item: its outer parts stay, as items of their own. */
static int cut(int slot, uint64 ino, const struct mapped *m, uint64 b0, uint64 b1)
{
    struct fs_file_extent fe = m->fe;
    uint64 e = m->s + fe.nblocks;
    int r = 0;
    if (e > b1) {
        struct fs_file_extent right = fe;
        right.extent_off += b1 - m->s;
        right.nblocks = e - b1;
        r = modify((uint32)slot, fs_key(ino, FS_KEY_FILE_EXTENT, b1 * BS), &right, sizeof right, 0);
        if (r == 0)
            r = data_ref(fe.disk_start, fe.disk_nblocks, 1);
    }
    if (r == 0 && m->s < b0) {
        fe.nblocks = b0 - m->s;
        return modify((uint32)slot, fs_key(ino, FS_KEY_FILE_EXTENT, m->s * BS), &fe, sizeof fe, 0);
    }
    if (r == 0)
        r = modify((uint32)slot, fs_key(ino, FS_KEY_FILE_EXTENT, m->s * BS), 0, 0, 1);
    return r ? r : data_ref(fe.disk_start, fe.disk_nblocks, -1);
}

static int punch(int slot, uint64 ino, uint64 b0, uint64 b1)
{
    static struct mapped m[BATCH];
    for (;;) {
        int n = collect(slot, ino, b0, b1, m);
        if (n <= 0)
            return n;
        for (int i = 0; i < n; i++) {
            int r = cut(slot, ino, &m[i], b0, b1);
            if (r)
                return r;
        }
    }
}

/* ---- copy-on-write writes ---- */

static int copy_in(uint8 *dst, uint64 src, int user, uint32 n)
{
    if (user)
        return copyin(myproc()->pagetable, dst, src, n) < 0 ? EFAULT : 0;
    if (src)
        memcpy(dst, (const void *)src, n);
    else
        memset(dst, 0, n);
    return 0;
}

/* The new content of file block blk: old bytes outside [lo, hi), source bytes inside. */
static int fill_block(int slot, uint64 ino, const struct fs_inode *in, uint64 blk, uint32 lo,
                      uint32 hi, uint64 src, int user)
{
    int r = 0;
    if (lo > 0 || hi < BS) {
        r = block_read(slot, ino, blk, kbuf);
        uint64 base = blk * BS;
        uint32 keep = in->size > base ? (uint32)(in->size - base) : 0;   /* old bytes inside the size */
        if (r == 0 && keep < BS)
            memset(kbuf + keep, 0, BS - keep);
    }
    return r ? r : copy_in(kbuf + lo, src, user, hi - lo);
}

/* Writes file bytes [off, off + n) (inside blocks b0 .. b0 + nb) to a new extent at start. */
static int fill_extent(int slot, uint64 ino, const struct fs_inode *in, uint64 start, uint64 b0,
                       uint32 nb, uint64 off, uint64 src, int user, uint32 n)
{
    for (uint32 i = 0; i < nb; i++) {
        uint64 base = (b0 + i) * BS, lo = off > base ? off - base : 0;
        uint64 hi = off + n < base + BS ? off + n - base : BS;
        int r = fill_block(slot, ino, in, b0 + i, (uint32)lo, (uint32)hi,
                           src ? src + (base + lo - off) : 0, user);
        if (r)
            return r;
        crcs[i] = crc32c(0, kbuf, BS);
        struct buf *b = bget(start + i);
        memcpy(b->data, kbuf, BS);
        b->valid = 1;
        bwrite(b);
        brelse(b);
    }
    return 0;
}

static int64 alloc_extent(uint32 *nb)
{
    int64 start;
    while ((start = alloc_data(*nb)) < 0 && *nb > 1)
        *nb /= 2;
    return start;
}

/* The new extent's bookkeeping: its reference count and checksums, then it replaces the old mapping. */
static int map_extent(int slot, uint64 ino, uint64 start, uint64 b0, uint32 nb)
{
    struct fs_extent_item e = {.refs = 1, .gen = kvfs.txn};
    struct fs_file_extent fe = {.disk_start = start, .disk_nblocks = nb, .nblocks = nb, .gen = kvfs.txn};
    int r = modify(KV_TREE_EXTENT, fs_key(start, FS_KEY_EXT_DATA, nb), &e, sizeof e, 0);
    if (r == 0)
        r = modify(KV_TREE_CSUM, fs_key(start, FS_KEY_CSUM, nb), crcs, nb * 4, 0);
    if (r == 0)
        r = punch(slot, ino, b0, b0 + nb);
    if (r == 0)
        r = modify((uint32)slot, fs_key(ino, FS_KEY_FILE_EXTENT, b0 * BS), &fe, sizeof fe, 0);
    fs_stats.data_writes += nb;
    trace_fs_extent_write(ino, b0, start, nb);
    return r;
}

/* One extent's worth of a write: at most FS_EXTENT_MAX blocks from off; the bytes written. */
static int write_extent(int slot, uint64 ino, struct fs_inode *in, uint64 off, uint64 src, int user,
                        uint32 n)
{
    uint64 b0 = off / BS, bend = (off + n + BS - 1) / BS;
    uint32 nb = bend - b0 > FS_EXTENT_MAX ? FS_EXTENT_MAX : (uint32)(bend - b0);
    int64 start = alloc_extent(&nb);
    if (start < 0)
        return (int)start;
    if (off + n > (b0 + nb) * BS)
        n = (uint32)((b0 + nb) * BS - off);
    int r = fill_extent(slot, ino, in, (uint64)start, b0, nb, off, src, user, n);
    if (r) {
        free_blocks((uint64)start, nb, kvfs.txn);
        return r;
    }
    r = map_extent(slot, ino, (uint64)start, b0, nb);
    return r ? r : (int)n;
}

/* Writes n bytes at off (user or kernel source; kernel source 0 = zeros); updates *in, not stored. */
int file_write(int slot, uint64 ino, struct fs_inode *in, uint64 off, uint64 src, int user,
               uint32 n)
{
    if (off + n > FS_MAX_FILE)
        return EFBIG;
    uint32 done = 0;
    while (done < n) {
        int w = write_extent(slot, ino, in, off + done, src ? src + done : 0, user, n - done);
        if (w < 0)
            return w;
        done += (uint32)w;
        if (off + done > in->size)
            in->size = off + done;
    }
    in->mtime = ticks;
    return (int)n;
}

/* Sets the size: blocks past it are unmapped, the tail of its last block zeroed. */
int file_truncate(int slot, uint64 ino, struct fs_inode *in, uint64 size)
{
    if (size > FS_MAX_FILE)
        return EFBIG;
    int r = 0;
    if (size < in->size) {
        r = punch(slot, ino, (size + BS - 1) / BS, FS_MAX_FILE / BS + 1);
        struct fs_file_extent fe;
        uint64 s;
        in->size = size;
        if (r == 0 && size % BS && file_map(slot, ino, size / BS, &fe, &s) == 0)
            r = write_extent(slot, ino, in, size, 0, 0, 0);
    }
    in->size = size;
    in->mtime = ticks;
    return r;
}

/* ---- reflink and statistics ---- */

/* The key just before every file extent item of ino. */
static struct kv_key before_extents(uint64 ino)
{
    return fs_key(ino, FS_KEY_FILE_EXTENT - 1, ~0ULL);
}

/* Gives dino (empty) the mapping of sino: the same extents, one more reference each. */
int file_clone(int sslot, uint64 sino, int dslot, uint64 dino)
{
    struct kv_key after = before_extents(sino), found;
    struct fs_file_extent fe;
    uint32 size;
    int r;
    while ((r = bt_next((uint32)sslot, &after, &found)) == 0 && found.objectid == sino &&
           found.type == FS_KEY_FILE_EXTENT) {
        r = bt_lookup((uint32)sslot, &found, (uint8 *)&fe, sizeof fe, &size);
        if (r == 0)
            r = modify((uint32)dslot, fs_key(dino, FS_KEY_FILE_EXTENT, found.offset), &fe, sizeof fe, 0);
        if (r == 0)
            r = data_ref(fe.disk_start, fe.disk_nblocks, 1);
        if (r)
            return r;
        after = found;
    }
    return r == KV_ENOENT || r == 0 ? 0 : r;
}

/* Blocks mapped and file extent items of ino. */
int file_count(int slot, uint64 ino, uint64 *blocks, uint64 *extents)
{
    struct kv_key after = before_extents(ino), found;
    struct fs_file_extent fe;
    uint32 size;
    int r;
    *blocks = *extents = 0;
    while ((r = bt_next((uint32)slot, &after, &found)) == 0 && found.objectid == ino &&
           found.type == FS_KEY_FILE_EXTENT) {
        if ((r = bt_lookup((uint32)slot, &found, (uint8 *)&fe, sizeof fe, &size)) != 0)
            return r;
        *blocks += fe.nblocks;
        (*extents)++;
        after = found;
    }
    return r == KV_ENOENT || r == 0 ? 0 : r;
}
