/*
 * fsckfs.h — fsck's checks of the file system's trees (FORMAT.md, "The
 * file system"), included by fsck.c, which walks every tree block once.
 *
 * During that walk (pass A):
 *   root tree    every item a 56-byte ROOT_ITEM; each names an FS tree,
 *                which is walked too
 *   FS trees     a block may be reached from several parents (snapshots
 *                share subtrees): each reference is counted, the block is
 *                checked and descended only the first time; each file
 *                extent item in a distinct leaf counts one reference to its
 *                data extent
 *   extent tree  EXT_DATA (start, n) -> refs, gen: the extent's blocks are
 *                claimed (reachable once); EXT_SHARED (block) -> refs >= 2
 *   csum tree    CSUM (start, n) -> n CRC-32C: every block of the extent
 *                is read and its checksum compared
 * Then:
 *   reference counts  every data extent's refs equal the references found,
 *                and it has a checksum item (and no checksum item lacks an
 *                extent); every FS tree block's references equal its
 *                EXT_SHARED refs (1 without an item)
 *   each subvolume (pass B, items in key order): every item's inode
 *                exists; directory hash items hash their names and agree
 *                with the index items one to one, and the index count is
 *                the directory's size; every entry names an existing
 *                inode (or subvolume), a directory's parent is the
 *                directory naming it, every inode is named nlink times
 *                (the root directory never) and every directory reaches
 *                the root through its parents; file extent items are block
 *                aligned, in order, without overlap, inside their extent,
 *                inside the file's size
 */
#include "../lib/fsfmt.h"

#define FS_MAXB 16384                 /* FS checks on disks up to 64 MiB */
#define MAXEXT 2048
#define MAXINO 2048
#define MAXSUB 64

static uint16 fsrefs[FS_MAXB];       /* references found to each FS tree block */
static uint8 fsseen[FS_MAXB / 8];
static struct { uint64 start; uint32 n, refs, found, csum; } ext[MAXEXT];
static int next_, csums;
static struct { uint64 blockno; uint32 refs; } shared[MAXEXT];
static int nshared;
static struct { uint64 id; struct fs_root_item ri; } subs[MAXSUB];
static int nsubs;
static uint64 fs_data_blocks, fs_inodes;
static uint8 dblk[KV_BSIZE];

static void walk(uint32 owner, uint64 bno, uint64 gen, int level, int is_root, const struct kv_key *lo,
                 const struct kv_key *hi);

static int find_ext(uint64 start)
{
    int lo = 0, hi = next_;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (ext[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < next_ && ext[lo].start == start ? lo : -1;
}

/* A second (third ...) reference to an FS tree block: counted, not walked again. */
static int fs_shared_visit(uint64 bno)
{
    if (bno >= FS_MAXB)
        return 0;
    fsrefs[bno]++;
    if (test(fsseen, bno))
        return 1;
    set(fsseen, bno);
    return 0;
}

static void root_item(const struct kv_key *k, const uint8 *d, uint32 size)
{
    if (k->type != FS_KEY_ROOT_ITEM || k->offset || size != sizeof(struct fs_root_item) || nsubs == MAXSUB) {
        problem("root tree: bad item (%ld, %d, %ld) size %d", k->objectid, k->type, k->offset, size);
        return;
    }
    subs[nsubs].id = k->objectid;
    memcpy(&subs[nsubs++].ri, d, sizeof(struct fs_root_item));
}

static void extent_item(const struct kv_key *k, const uint8 *d, uint32 size)
{
    if (k->type == FS_KEY_EXT_SHARED && size == 4 && k->offset == 0 && nshared < MAXEXT) {
        shared[nshared].blockno = k->objectid;
        memcpy(&shared[nshared++].refs, d, 4);
        return;
    }
    const struct fs_extent_item *e = (const struct fs_extent_item *)d;
    if (k->type != FS_KEY_EXT_DATA || size != sizeof *e || k->offset == 0 || k->offset > FS_EXTENT_MAX ||
        e->refs == 0 || next_ == MAXEXT) {
        problem("extent tree: bad item (%ld, %d, %ld) size %d", k->objectid, k->type, k->offset, size);
        return;
    }
    ext[next_].start = k->objectid;
    ext[next_].n = (uint32)k->offset;
    ext[next_++].refs = e->refs;
    for (uint64 b = k->objectid; b < k->objectid + k->offset; b++) {
        if (!claim(b, "data block"))
            return;
        fs_data_blocks++;
    }
}

static void csum_item(const struct kv_key *k, const uint8 *d, uint32 size)
{
    int i = find_ext(k->objectid);
    csums++;
    if (k->type != FS_KEY_CSUM || i < 0 || ext[i].n != k->offset || size != 4 * k->offset) {
        problem("csum tree: item (%ld, %d, %ld) size %d names no data extent", k->objectid, k->type, k->offset, size);
        return;
    }
    ext[i].csum++;
    for (uint32 j = 0; j < ext[i].n; j++) {
        uint32 want, got;
        memcpy(&want, d + 4 * j, 4);
        if (blkread((long)(k->objectid + j), dblk) < 0 || (got = crc32c(0, dblk, KV_BSIZE)) != want)
            problem("data block %ld (extent %ld+%d): bad data checksum", k->objectid + j, k->objectid, ext[i].n);
    }
}

/* Pass A in a leaf of an FS tree: each file extent item is one reference. */
static void fs_leaf_item(const struct kv_key *k, const uint8 *d, uint32 size)
{
    if (k->type != FS_KEY_FILE_EXTENT || size != sizeof(struct fs_file_extent))
        return;
    const struct fs_file_extent *fe = (const struct fs_file_extent *)d;
    int i = find_ext(fe->disk_start);
    if (i < 0 || ext[i].n != fe->disk_nblocks)
        problem("inode %ld: file extent at %ld names no data extent (%ld+%d)", k->objectid, k->offset,
                fe->disk_start, fe->disk_nblocks);
    else
        ext[i].found++;
}

/* The fixed trees first (extents before csums and FS trees, which look extents up). */
static void fs_walk_trees(void)
{
    for (int t = 0; t < KV_NFSTREES; t++) {
        const struct kv_root *r = &sb.fsroot[t];
        walk(KV_TREE_ROOT + t, r->blockno, r->gen, (int)r->level, 1, 0, 0);
    }
    for (int i = 0; i < nsubs; i++) {
        const struct kv_root *r = &subs[i].ri.root;
        walk(KV_TREE_FS, r->blockno, r->gen, (int)r->level, 1, 0, 0);
    }
}

static uint32 shared_refs(uint64 bno)
{
    for (int i = 0; i < nshared; i++)
        if (shared[i].blockno == bno)
            return shared[i].refs;
    return 1;
}

static void fs_check_refs(void)
{
    for (int i = 0; i < next_; i++) {
        if (ext[i].found != ext[i].refs)
            problem("data extent %ld+%d: refs %d, referenced %d times", ext[i].start, ext[i].n, ext[i].refs,
                    ext[i].found);
        if (ext[i].csum != 1)
            problem("data extent %ld+%d: %d checksum items", ext[i].start, ext[i].n, ext[i].csum);
    }
    for (int i = 0; i < nshared; i++)
        if (shared[i].refs < 2 || shared[i].blockno >= FS_MAXB || !test(fsseen, shared[i].blockno))
            problem("tree block %ld: shared-reference item (refs %d) for no shared FS tree block",
                    shared[i].blockno, shared[i].refs);
    for (uint64 b = 0; b < nblocks && b < FS_MAXB; b++)
        if (test(fsseen, b) && fsrefs[b] != shared_refs(b))
            problem("tree block %ld: %d references, extent tree says %d", b, fsrefs[b], shared_refs(b));
}

/* ---- pass B: one subvolume's items in key order ---- */

static struct {
    uint8 exists, type, links, mode;
    uint64 parent, size, ext_end;     /* ext_end: first block after the last file extent */
    uint32 nindex;
} ino[MAXINO];
static uint8 pblk[9][KV_BSIZE];          /* pass B: trees up to 9 levels */
static uint64 cur_sub;
static struct { uint64 hash, index, ino; uint8 type, len, matched; char name[FS_NAME_MAX + 1]; } hents[256];
static int nhents;
static uint64 hents_dir;

typedef void (*item_fn)(const struct kv_key *k, const uint8 *d, uint32 size);

static void iterate(uint64 bno, int level, item_fn fn)
{
    if (level < 0 || level > 8)
        return;                       /* pass A reported it */
    uint8 *b = pblk[level];
    if (blkread((long)bno, b) < 0 || kvd_check(b, bno))
        return;                       /* pass A reported it */
    const struct kv_header *h = (const struct kv_header *)b;
    for (uint32 i = 0; i < h->nitems && i < KV_NODE_CAP * 2; i++) {
        if (level == 0) {
            const struct kv_item *it = (const struct kv_item *)(b + KV_HDR_SIZE) + i;
            if (it->offset + it->size <= KV_BSIZE)
                fn(&it->key, b + it->offset, it->size);
        } else if (i < KV_NODE_CAP) {
            const struct kv_ptr *p = (const struct kv_ptr *)(b + KV_HDR_SIZE) + i;
            iterate(p->blockno, level - 1, fn);
        }
    }
}

static int ino_ok(uint64 i) { return i >= FS_ROOT_INO && i - FS_ROOT_INO < MAXINO; }

static void hash_entries(const struct kv_key *k, const uint8 *d, uint32 size)
{
    for (uint32 off = 0; off < size;) {
        const struct fs_dirent *de = (const struct fs_dirent *)(d + off);
        if (off + sizeof *de > size || off + sizeof *de + de->namelen > size || de->namelen > FS_NAME_MAX ||
            de->namelen == 0 || nhents == 256) {
            problem("subvol %ld dir %ld: malformed hash item", cur_sub, k->objectid);
            return;
        }
        memcpy(hents[nhents].name, de + 1, de->namelen);
        hents[nhents].name[de->namelen] = 0;
        if (crc32c(0, de + 1, de->namelen) != k->offset)
            problem("subvol %ld dir %ld: name %s under the wrong hash", cur_sub, k->objectid, hents[nhents].name);
        hents[nhents].hash = k->offset, hents[nhents].index = de->index, hents[nhents].ino = de->ino;
        hents[nhents].type = de->type, hents[nhents].len = de->namelen, hents[nhents++].matched = 0;
        off += sizeof *de + de->namelen;
    }
}

static int subvol_exists(uint64 id)
{
    for (int i = 0; i < nsubs; i++)
        if (subs[i].id == id)
            return 1;
    return 0;
}

static void index_entry(const struct kv_key *k, const uint8 *d, uint32 size)
{
    const struct fs_dirent *de = (const struct fs_dirent *)d;
    int i = 0;
    if (size < sizeof *de || size != sizeof *de + de->namelen) {
        problem("subvol %ld dir %ld: malformed index item %ld", cur_sub, k->objectid, k->offset);
        return;
    }
    while (i < nhents && !(hents_dir == k->objectid && hents[i].index == k->offset && hents[i].ino == de->ino &&
                           hents[i].type == de->type && hents[i].len == de->namelen &&
                           memcmp(hents[i].name, de + 1, de->namelen) == 0))
        i++;
    if (i == nhents)
        problem("subvol %ld dir %ld: index item %ld has no matching hash entry", cur_sub, k->objectid, k->offset);
    else
        hents[i].matched = 1;
    ino[k->objectid - FS_ROOT_INO].nindex++;
    if (de->type == FS_T_SUBVOL) {
        if (!subvol_exists(de->ino))
            problem("subvol %ld dir %ld: entry for missing subvolume %ld", cur_sub, k->objectid, de->ino);
    } else if (!ino_ok(de->ino) || !ino[de->ino - FS_ROOT_INO].exists) {
        problem("subvol %ld dir %ld: entry names missing inode %ld", cur_sub, k->objectid, de->ino);
    } else {
        ino[de->ino - FS_ROOT_INO].links++;
        if (ino[de->ino - FS_ROOT_INO].mode != de->type)
            problem("subvol %ld: inode %ld: entry type %d, inode mode %d", cur_sub, de->ino, de->type,
                    ino[de->ino - FS_ROOT_INO].mode);
        if (de->type == FS_T_DIR && ino[de->ino - FS_ROOT_INO].parent != k->objectid)
            problem("subvol %ld: directory %ld: parent %ld, named in %ld", cur_sub, de->ino,
                    ino[de->ino - FS_ROOT_INO].parent, k->objectid);
    }
}

static void file_extent(const struct kv_key *k, const uint8 *d, uint32 size)
{
    const struct fs_file_extent *fe = (const struct fs_file_extent *)d;
    uint64 i = k->objectid - FS_ROOT_INO, b = k->offset / KV_BSIZE;
    if (size != sizeof *fe || k->offset % KV_BSIZE || fe->nblocks == 0 ||
        fe->extent_off + fe->nblocks > fe->disk_nblocks || ino[i].mode != FS_T_FILE) {
        problem("subvol %ld inode %ld: bad file extent item at %ld", cur_sub, k->objectid, k->offset);
        return;
    }
    if (b < ino[i].ext_end)
        problem("subvol %ld inode %ld: file extents overlap at block %ld", cur_sub, k->objectid, b);
    ino[i].ext_end = b + fe->nblocks;
    if (ino[i].ext_end > (ino[i].size + KV_BSIZE - 1) / KV_BSIZE)
        problem("subvol %ld inode %ld: file extent at block %ld beyond the size %ld", cur_sub, k->objectid, b,
                ino[i].size);
}

/* One item: its inode must come first (INODE sorts before the inode's other items). */
static void fs_item(const struct kv_key *k, const uint8 *d, uint32 size)
{
    if (!ino_ok(k->objectid)) {
        problem("subvol %ld: item (%ld, %d, %ld): inode number out of range", cur_sub, k->objectid, k->type, k->offset);
        return;
    }
    uint64 i = k->objectid - FS_ROOT_INO;
    if (k->type == FS_KEY_INODE) {
        const struct fs_inode *in = (const struct fs_inode *)d;
        if (size != sizeof *in || (in->mode != FS_T_FILE && in->mode != FS_T_DIR)) {
            problem("subvol %ld: inode %ld: bad inode item", cur_sub, k->objectid);
            return;
        }
        ino[i].exists = 1, ino[i].mode = (uint8)in->mode, ino[i].parent = in->parent, ino[i].size = in->size;
        fs_inodes++;
    } else if (!ino[i].exists) {
        problem("subvol %ld: item (%ld, %d, %ld) of a missing inode", cur_sub, k->objectid, k->type, k->offset);
    } else if (k->type == FS_KEY_DIR_HASH && ino[i].mode == FS_T_DIR) {
        hash_entries(k, d, size);
    } else if (k->type == FS_KEY_DIR_INDEX && ino[i].mode == FS_T_DIR) {
        index_entry(k, d, size);
    } else if (k->type == FS_KEY_FILE_EXTENT) {
        file_extent(k, d, size);
    } else {
        problem("subvol %ld: unexpected item (%ld, %d, %ld)", cur_sub, k->objectid, k->type, k->offset);
    }
}

/* Inodes are numbered before their entries' targets are seen: a first pass records them all. */
static void inode_only(const struct kv_key *k, const uint8 *d, uint32 size)
{
    if (k->type == FS_KEY_INODE)
        fs_item(k, d, size);
}

/* The hash entries of the directory just finished must all have had their index items. */
static void flush_hents(void)
{
    for (int j = 0; j < nhents; j++)
        if (!hents[j].matched)
            problem("subvol %ld dir %ld: hash entry %s has no index item", cur_sub, hents_dir, hents[j].name);
    nhents = 0;
}

static void entries_only(const struct kv_key *k, const uint8 *d, uint32 size)
{
    if (k->objectid != hents_dir) {
        flush_hents();
        hents_dir = k->objectid;
    }
    if (k->type != FS_KEY_INODE)
        fs_item(k, d, size);
}

static void check_inodes(void)
{
    for (uint64 i = 0; i < MAXINO; i++) {
        if (!ino[i].exists)
            continue;
        uint64 n = i + FS_ROOT_INO, want = n == FS_ROOT_INO ? 0 : 1, p = n;
        if (ino[i].links != want)
            problem("subvol %ld: inode %ld named %d times, expected %ld (unreachable or doubly linked)", cur_sub, n,
                    ino[i].links, want);
        if (ino[i].mode == FS_T_DIR && ino[i].nindex != ino[i].size)
            problem("subvol %ld: directory %ld: %d entries, size says %ld", cur_sub, n, ino[i].nindex, ino[i].size);
        for (int depth = 0; ino[i].mode == FS_T_DIR && p != FS_ROOT_INO && depth < 256; depth++)
            p = ino_ok(p) ? ino[p - FS_ROOT_INO].parent : FS_ROOT_INO;
        if (ino[i].mode == FS_T_DIR && p != FS_ROOT_INO)
            problem("subvol %ld: directory %ld does not reach the root (parent %ld, stuck at %ld)", cur_sub, n, ino[i].parent, p);
    }
}

static void fs_check_subvol(int s)
{
    cur_sub = subs[s].id;
    memset(ino, 0, sizeof ino);
    nhents = 0, hents_dir = 0;
    iterate(subs[s].ri.root.blockno, (int)subs[s].ri.root.level, inode_only);
    iterate(subs[s].ri.root.blockno, (int)subs[s].ri.root.level, entries_only);
    flush_hents();
    check_inodes();
    if (!ino[0].exists)
        problem("subvol %ld: no root directory", cur_sub);
}

/* 1 if the superblock names file-system trees (then they are checked). */
static int fs_check(void)
{
    if (sb.version < 2 || sb.fsroot[0].blockno == 0)
        return 0;
    if (nblocks > FS_MAXB) {
        problem("file-system checks cover disks up to %d blocks", FS_MAXB);
        return 1;
    }
    fs_walk_trees();
    fs_check_refs();
    for (int s = 0; s < nsubs; s++)
        fs_check_subvol(s);
    return 1;
}
