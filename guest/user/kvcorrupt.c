/*
 * kvcorrupt.c — damages the key/value store on purpose, through the raw
 * block calls, so that tests can prove fsck and the kernel's block checks
 * catch each kind of damage. A debugging tool: never run it on a store you
 * want to keep.
 *
 *   kvcorrupt leaf     flip a byte in the first kv leaf (checksum left stale)
 *   kvcorrupt order    swap the first two keys of the first kv leaf, reseal
 *   kvcorrupt stale    set the first kv leaf's generation one lower, reseal
 *                      (what a lost write looks like)
 *   kvcorrupt data     flip a byte of the first data extent
 *   kvcorrupt leak     shrink the last free extent of 2+ blocks by one, reseal
 *   kvcorrupt double   grow the last free extent over the used block before it
 *   kvcorrupt super    flip a byte of the newest superblock
 *   kvcorrupt fsrefs   file system: one more reference on the first data extent, reseal
 *   kvcorrupt fsdir    file system: change a name in subvolume 5's first index item, reseal
 *   kvcorrupt fsdata   file system: flip a byte of the first data extent
 * Each mode writes the damaged block with blkwrite, syncs, and forgets clean
 * cached blocks; it prints "kvcorrupt: MODE: block B ..." and exits 0, or
 * "kvcorrupt: FAIL ..." and 1 if the store offers nothing to damage.
 */
#include "kvdisk.h"
#include "../lib/fsfmt.h"

static struct kv_super sb;
static uint8 b[KV_BSIZE];

static int fail(const char *what)
{
    printf("kvcorrupt: FAIL %s\n", what);
    return 1;
}

static int put(const char *mode, uint64 bno, const char *what)
{
    if (blkwrite((long)bno, b) < 0 || blksync() < 0)
        return fail("write");
    blkinval();
    printf("kvcorrupt: %s: block %ld: %s\n", mode, bno, what);
    return 0;
}

/* Reads the first (rightmost if right) leaf of a tree into b; its block number. */
static uint64 edge_leaf_at(uint64 bno, int right)
{
    for (;;) {
        if (blkread((long)bno, b) < 0)
            return 0;
        struct kv_header *h = (struct kv_header *)b;
        if (h->level == 0 || h->nitems == 0)
            return bno;
        struct kv_ptr *p = (struct kv_ptr *)(b + KV_HDR_SIZE);
        bno = p[right ? h->nitems - 1 : 0].blockno;
    }
}

static uint64 edge_leaf(int owner, int right)
{
    uint64 bno = owner <= KV_NTREES ? sb.root[owner].blockno : sb.fsroot[owner - KV_TREE_ROOT].blockno;
    return edge_leaf_at(bno, right);
}

static struct kv_item *item(int i) { return (struct kv_item *)(b + KV_HDR_SIZE) + i; }
static struct kv_header *hdr(void) { return (struct kv_header *)b; }

/* The first item of the leaf in b with key type t; -1 if none. */
static int first_of(uint8 t)
{
    for (uint32 i = 0; i < hdr()->nitems; i++)
        if (item((int)i)->key.type == t)
            return (int)i;
    return -1;
}

/*
 * File-system damage (FORMAT.md, "The file system"), each resealed so that only fsck's
 * file-system checks can see it: fsrefs adds a reference to the first data extent, fsdir
 * changes a name in the first directory index item of subvolume 5, fsdata flips a byte of
 * the first data extent.
 */
static int fs_mode(const char *mode)
{
    if (sb.version < 2 || !sb.fsroot[0].blockno)
        return fail("no file system");
    uint64 bno = edge_leaf(KV_TREE_EXTENT, 0);
    int i = bno ? first_of(FS_KEY_EXT_DATA) : -1;
    if (i < 0)
        return fail("no data extent");
    struct fs_extent_item *e = (struct fs_extent_item *)(b + item(i)->offset);
    uint64 start = item(i)->key.objectid;
    if (strcmp(mode, "fsrefs") == 0) {
        e->refs++;
        kvd_seal(b);
        return put(mode, bno, "a data extent's reference count raised, resealed");
    }
    if (strcmp(mode, "fsdata") == 0) {
        if (blkread((long)start, b) < 0)
            return fail("read");
        b[11] ^= 0x04;
        return put(mode, start, "one byte of a file's data flipped");
    }
    bno = edge_leaf(KV_TREE_ROOT, 0);
    if (!bno || (i = first_of(FS_KEY_ROOT_ITEM)) < 0)
        return fail("no root item");
    bno = edge_leaf_at(((struct fs_root_item *)(b + item(i)->offset))->root.blockno, 0);
    if (!bno || (i = first_of(FS_KEY_DIR_INDEX)) < 0)
        return fail("no directory index item in the first leaf");
    ((char *)(b + item(i)->offset))[sizeof(struct fs_dirent)] ^= 0x20;
    kvd_seal(b);
    return put(mode, bno, "a name in a directory index item changed, resealed");
}

/* The first extent value of a leaf-only walk of the kv tree, depth first. */
static int find_extent(uint64 bno, int level, struct kv_extent *out)
{
    static uint8 stack[17][KV_BSIZE];
    uint8 *n = stack[level];
    if (level > 16 || blkread((long)bno, n) < 0)
        return 0;
    struct kv_header *h = (struct kv_header *)n;
    for (uint32 i = 0; i < h->nitems; i++) {
        if (level > 0) {
            if (find_extent(((struct kv_ptr *)(n + KV_HDR_SIZE))[i].blockno, level - 1, out))
                return 1;
            continue;
        }
        struct kv_item *it = (struct kv_item *)(n + KV_HDR_SIZE) + i;
        struct kv_value *v = (struct kv_value *)(n + it->offset);
        if (v->kind == KV_VAL_EXTENT) {
            *out = *(struct kv_extent *)(v + 1);
            return 1;
        }
    }
    return 0;
}

static int leaf_mode(const char *mode)
{
    uint64 bno = edge_leaf(KV_TREE_KV, 0);
    if (!bno || hdr()->nitems < 2)
        return fail("no kv leaf with two items");
    if (strcmp(mode, "leaf") == 0) {
        b[item(0)->offset] ^= 0x01;
        return put(mode, bno, "one data byte flipped");
    }
    if (strcmp(mode, "order") == 0) {
        struct kv_key k = item(0)->key;
        item(0)->key = item(1)->key;
        item(1)->key = k;
        kvd_seal(b);
        return put(mode, bno, "first two keys swapped, resealed");
    }
    hdr()->gen--;
    kvd_seal(b);
    return put(mode, bno, "generation lowered, resealed");
}

static int free_mode(const char *mode)
{
    uint64 bno = edge_leaf(KV_TREE_FREE, 1);
    if (!bno || hdr()->nitems == 0)
        return fail("no free extent");
    int i = (int)hdr()->nitems - 1;
    while (strcmp(mode, "leak") == 0 && i > 0 && item(i)->key.offset < 2)
        i--;
    struct kv_key *k = &item(i)->key;
    if (strcmp(mode, "leak") == 0) {
        if (k->offset < 2)
            return fail("no free extent of two blocks");
        k->offset--;
    } else {
        k->objectid--;
        k->offset++;
    }
    kvd_seal(b);
    return put(mode, bno, strcmp(mode, "leak") == 0 ? "a free extent shrunk" : "last free extent grown");
}

static int data_mode(void)
{
    struct kv_extent e;
    if (!find_extent(sb.root[KV_TREE_KV].blockno, (int)sb.root[KV_TREE_KV].level, &e))
        return fail("no data extent");
    if (blkread((long)e.start, b) < 0)
        return fail("read");
    b[7] ^= 0x10;
    return put("data", e.start, "one byte of a data extent flipped");
}

int main(int argc, char **argv)
{
    int slot = kvd_newest(&sb);
    if (argc < 2 || slot < 0)
        return fail(argc < 2 ? "usage: kvcorrupt leaf|order|stale|data|leak|double|super|fsrefs|fsdir|fsdata" : "no valid superblock");
    const char *m = argv[1];
    if (strcmp(m, "leaf") == 0 || strcmp(m, "order") == 0 || strcmp(m, "stale") == 0)
        return leaf_mode(m);
    if (strcmp(m, "leak") == 0 || strcmp(m, "double") == 0)
        return free_mode(m);
    if (strcmp(m, "data") == 0)
        return data_mode();
    if (strcmp(m, "fsrefs") == 0 || strcmp(m, "fsdir") == 0 || strcmp(m, "fsdata") == 0)
        return fs_mode(m);
    if (strcmp(m, "super") == 0) {
        if (blkread((long)KV_SUPER_BLOCK(slot), b) < 0)
            return fail("read");
        b[100] ^= 0x01;
        return put(m, KV_SUPER_BLOCK(slot), "newest superblock: one byte flipped");
    }
    return fail("unknown mode");
}
