/*
 * fstree.c — the file system's metadata on the copy-on-write store:
 * subvolumes (the root tree), inodes and directory entries (FS trees),
 * format, commits and the periodic commit thread.
 *
 * Subvolumes. The root tree maps a subvolume id to a struct fs_root_item:
 * the root of its FS tree, the next inode number, and where ".." of its
 * root directory leads. mkfs creates subvolume 5 ("/"). A subvolume in use
 * is loaded into one of FS_NSLOT slots: kvfs.root[KV_TREE_FS + i] is then
 * the live root of its FS tree, which the B-tree code changes freely during
 * the transaction; fs_flush_roots writes every changed root back into the
 * root tree at the start of each commit (and when a slot is evicted), so
 * the superblock's root tree always names the committed FS trees.
 *
 * A snapshot is a new root item naming the same FS tree root block as its
 * source: the commit before it makes every block of the source older than
 * the running transaction, so the next change on either side copies the
 * blocks on its path; the extent tree counts the second reference to the
 * shared root (fsdata.c: fs_cow_shared).
 *
 * Directories. An entry is two items in the directory's FS tree:
 *
 *   (dir, DIR_HASH, crc32c(name)) -> entries with that hash, packed: lookup
 *   (dir, DIR_INDEX, seq)         -> the entry again: listing in creation order
 *
 * Each entry records its seq, so removal deletes both; a directory inode
 * counts its entries (size) and hands out seqs (next_index, from 1).
 *
 * Commits: on fsync/sync, before a snapshot, and every FS_COMMIT_TICKS of
 * guest time when something changed (a kernel thread started at the first
 * mount of the file system).
 */
#include "fs.h"
#include "proc.h"

struct fs_stats fs_stats;

static struct {
    int used;
    uint64 subvol;
    uint64 lru;
    struct fs_root_item ri;           /* ri.root is stale: kvfs.root[] is live */
    struct fs_root_item disk;         /* as last written to the root tree */
} slots[FS_NSLOT];
static uint64 lru_clock;
static int dirty, thread_started;
static uint8 itembuf[KV_LEAF_CAP] __attribute__((aligned(8)));

#define fkey fs_key

void fs_mark_dirty(void) { dirty = 1; }

void fs_reset(void)
{
    memset(slots, 0, sizeof slots);
    for (int i = 0; i < FS_NSLOT; i++)
        kvfs.root[KV_TREE_FS + i] = (struct kv_root){0};
    dirty = 0;
}

/* ---- subvolume slots ---- */

static int root_put(uint64 subvol, const struct fs_root_item *ri)
{
    struct bt_op op = {.key = fkey(subvol, FS_KEY_ROOT_ITEM, 0), .data = ri, .size = sizeof *ri};
    return bt_modify(KV_TREE_ROOT, &op);
}

static int slot_flush(int i)
{
    slots[i].ri.root = kvfs.root[KV_TREE_FS + i];
    if (memcmp(&slots[i].ri, &slots[i].disk, sizeof slots[i].ri) == 0)
        return 0;
    slots[i].disk = slots[i].ri;
    return root_put(slots[i].subvol, &slots[i].ri);
}

int fs_flush_roots(void)
{
    for (int i = 0; i < FS_NSLOT; i++) {
        int r = slots[i].used ? slot_flush(i) : 0;
        if (r)
            return r;
    }
    return 0;
}

int fs_root_item(uint64 subvol, struct fs_root_item *ri)
{
    for (int i = 0; i < FS_NSLOT; i++)
        if (slots[i].used && slots[i].subvol == subvol) {
            *ri = slots[i].ri;
            ri->root = kvfs.root[KV_TREE_FS + i];
            return 0;
        }
    uint32 size;
    struct kv_key k = fkey(subvol, FS_KEY_ROOT_ITEM, 0);
    int r = bt_lookup(KV_TREE_ROOT, &k, (uint8 *)ri, sizeof *ri, &size);
    if (r == 0 && size != sizeof *ri) {
        kprintf("fs: root item of subvolume %ld: bad size %d\n", subvol, size);
        r = KV_EIO;
    }
    return r;
}

/* A slot to (re)use: a free one, else the least recently used after writing its root back. */
static int slot_victim(void)
{
    int v = 0;
    for (int i = 0; i < FS_NSLOT; i++) {
        if (!slots[i].used)
            return i;
        if (slots[i].lru < slots[v].lru)
            v = i;
    }
    int r = slot_flush(v);
    slots[v].used = 0;
    return r ? r : v;
}

static int slot_load(int i, uint64 subvol, const struct fs_root_item *ri, int on_disk)
{
    slots[i].used = 1;
    slots[i].subvol = subvol;
    slots[i].lru = ++lru_clock;
    slots[i].ri = *ri;
    if (on_disk)
        slots[i].disk = *ri;
    else
        memset(&slots[i].disk, 0, sizeof slots[i].disk);
    kvfs.root[KV_TREE_FS + i] = ri->root;
    return KV_TREE_FS + i;
}

/* The kvfs.root[] slot of a subvolume's FS tree, loading it; or a negative error. */
int fs_slot(uint64 subvol)
{
    for (int i = 0; i < FS_NSLOT; i++)
        if (slots[i].used && slots[i].subvol == subvol) {
            slots[i].lru = ++lru_clock;
            return KV_TREE_FS + i;
        }
    struct fs_root_item ri;
    int r = fs_root_item(subvol, &ri);
    if (r)
        return r;
    int i = slot_victim();
    return i < 0 ? i : slot_load(i, subvol, &ri, 1);
}

int fs_new_ino(int slot, uint64 *ino)
{
    *ino = slots[slot - KV_TREE_FS].ri.next_ino++;
    return 0;
}

/* ---- inodes ---- */

int inode_get(int slot, uint64 ino, struct fs_inode *in)
{
    struct kv_key k = fkey(ino, FS_KEY_INODE, 0);
    uint32 size;
    int r = bt_lookup((uint32)slot, &k, (uint8 *)in, sizeof *in, &size);
    if (r == 0 && (size != sizeof *in || (in->mode != FS_T_FILE && in->mode != FS_T_DIR))) {
        kprintf("fs: inode %ld: corrupt inode item (size %d, mode %d)\n", ino, size, in->mode);
        r = KV_EIO;
    }
    return r;
}

int inode_put(int slot, uint64 ino, const struct fs_inode *in)
{
    struct bt_op op = {.key = fkey(ino, FS_KEY_INODE, 0), .data = in, .size = sizeof *in};
    dirty = 1;
    return bt_modify((uint32)slot, &op);
}

int inode_del(int slot, uint64 ino)
{
    struct bt_op op = {.del = 1, .key = fkey(ino, FS_KEY_INODE, 0)};
    dirty = 1;
    return bt_modify((uint32)slot, &op);
}

/* ---- directory entries ---- */

static uint32 name_hash(const char *name) { return crc32c(0, name, strlen(name)); }

/* The DIR_HASH item of name into itembuf: its size (0 if absent) or an error. */
static int hash_item(int slot, uint64 dir, const char *name, int64 *size)
{
    struct kv_key k = fkey(dir, FS_KEY_DIR_HASH, name_hash(name));
    uint32 sz = 0;
    int r = bt_lookup((uint32)slot, &k, itembuf, sizeof itembuf, &sz);
    *size = r == 0 ? sz : 0;
    return r == KV_ENOENT ? 0 : r;
}

/* Offset of name's entry in itembuf[0..size), or -1; checks the packing. */
static int64 find_entry(const char *name, int64 size, uint64 dir)
{
    uint32 len = strlen(name);
    for (int64 off = 0; off < size;) {
        struct fs_dirent *d = (struct fs_dirent *)(itembuf + off);
        if (off + (int64)sizeof *d > size || off + (int64)sizeof *d + d->namelen > size) {
            kprintf("fs: directory %ld: corrupt hash item\n", dir);
            return KV_EIO;
        }
        if (d->namelen == len && memcmp(d + 1, name, len) == 0)
            return off;
        off += sizeof *d + d->namelen;
    }
    return -1;
}

int dir_lookup(int slot, uint64 dir, const char *name, struct fs_dirent *out)
{
    int64 size, off;
    int r = hash_item(slot, dir, name, &size);
    if (r)
        return r;
    if ((off = find_entry(name, size, dir)) == KV_EIO)
        return KV_EIO;
    if (off < 0)
        return KV_ENOENT;
    memcpy(out, itembuf + off, sizeof *out);
    return 0;
}

static int put_item(int slot, struct kv_key k, const void *data, uint32 size, int del)
{
    struct bt_op op = {.del = del, .key = k, .data = data, .size = size};
    dirty = 1;
    return bt_modify((uint32)slot, &op);
}

int dir_add(int slot, uint64 dir, const char *name, uint64 ino, int type)
{
    struct fs_inode din;
    int64 size;
    uint32 len = strlen(name);
    int r = inode_get(slot, dir, &din);
    if (r == 0)
        r = hash_item(slot, dir, name, &size);
    if (r)
        return r;
    if (size + sizeof(struct fs_dirent) + len > kvfs.leaf_limit / 4 - sizeof(struct kv_item))
        return KV_ENOSPC;             /* too many names with one hash */
    struct fs_dirent *d = (struct fs_dirent *)(itembuf + size);
    *d = (struct fs_dirent){.ino = ino, .index = din.next_index++, .type = (uint8)type, .namelen = (uint8)len};
    memcpy(d + 1, name, len);
    r = put_item(slot, fkey(dir, FS_KEY_DIR_HASH, name_hash(name)), itembuf, size + sizeof *d + len, 0);
    if (r == 0)
        r = put_item(slot, fkey(dir, FS_KEY_DIR_INDEX, d->index), d, sizeof *d + len, 0);
    din.size++;
    din.mtime = ticks;
    return r ? r : inode_put(slot, dir, &din);
}

int dir_remove(int slot, uint64 dir, const char *name)
{
    struct fs_inode din;
    int64 size, off;
    int r = inode_get(slot, dir, &din);
    if (r == 0)
        r = hash_item(slot, dir, name, &size);
    if (r)
        return r;
    if ((off = find_entry(name, size, dir)) < 0)
        return off == KV_EIO ? KV_EIO : KV_ENOENT;
    struct fs_dirent *d = (struct fs_dirent *)(itembuf + off);
    uint64 seq = d->index;
    uint32 len = sizeof *d + d->namelen;
    memmove(itembuf + off, itembuf + off + len, size - off - len);
    size -= len;
    r = put_item(slot, fkey(dir, FS_KEY_DIR_HASH, name_hash(name)), itembuf, size, size == 0);
    if (r == 0)
        r = put_item(slot, fkey(dir, FS_KEY_DIR_INDEX, seq), 0, 0, 1);
    din.size--;
    din.mtime = ticks;
    return r ? r : inode_put(slot, dir, &din);
}

/* The entry with the smallest seq > after (name NUL-terminated): its seq, 0 at the end. */
int dir_next(int slot, uint64 dir, uint64 after, struct fs_dirent *d, char *name)
{
    struct kv_key k = fkey(dir, FS_KEY_DIR_INDEX, after), found;
    uint32 size;
    int r = bt_next((uint32)slot, &k, &found);
    if (r == KV_ENOENT || (r == 0 && (found.objectid != dir || found.type != FS_KEY_DIR_INDEX)))
        return 0;
    if (r == 0)
        r = bt_lookup((uint32)slot, &found, itembuf, sizeof itembuf, &size);
    if (r)
        return r;
    memcpy(d, itembuf, sizeof *d);
    if (size < sizeof *d || size != sizeof *d + d->namelen || d->namelen > FS_NAME_MAX) {
        kprintf("fs: directory %ld: corrupt index item %ld\n", dir, found.offset);
        return KV_EIO;
    }
    memcpy(name, itembuf + sizeof *d, d->namelen);
    name[d->namelen] = 0;
    return (int)found.offset;
}

/* ---- format, new subvolumes, snapshots ---- */

static void root_dir(struct fs_inode *in)
{
    *in = (struct fs_inode){.mode = FS_T_DIR, .nlink = 1, .next_index = 1, .parent = FS_ROOT_INO,
                            .mtime = ticks, .gen = kvfs.txn};
}

/* A new subvolume id: one above the largest in the root tree. */
static int next_subvol(uint64 *id)
{
    struct kv_key k = fkey(0, 0, 0), found;
    int r;
    *id = FS_TOP_SUBVOL;
    while ((r = bt_next(KV_TREE_ROOT, &k, &found)) == 0) {
        if (found.objectid >= *id)
            *id = found.objectid + 1;
        k = found;
    }
    return r == KV_ENOENT ? 0 : r;
}

/* An empty FS tree with its root directory, as subvolume id. */
static int subvol_init(uint64 id, uint64 psub, uint64 pdir)
{
    int i = slot_victim();
    if (i < 0)
        return i;
    int slot = KV_TREE_FS + i, r = bt_create((uint32)slot);
    if (r)
        return r;
    struct fs_root_item ri = {.root = kvfs.root[slot], .next_ino = FS_ROOT_INO + 1,
                              .parent_subvol = psub, .parent_dir = pdir, .gen_created = kvfs.txn};
    slot_load(i, id, &ri, 0);
    struct fs_inode in;
    root_dir(&in);
    if ((r = inode_put(slot, FS_ROOT_INO, &in)) != 0)
        return r;
    return slot_flush(i);
}

int fs_create_trees(void)
{
    int r = bt_create(KV_TREE_ROOT);
    if (r == 0)
        r = bt_create(KV_TREE_EXTENT);
    if (r == 0)
        r = bt_create(KV_TREE_CSUM);
    return r ? r : subvol_init(FS_TOP_SUBVOL, FS_TOP_SUBVOL, FS_ROOT_INO);
}

int fs_subvol_create(uint64 *id, uint64 psub, uint64 pdir)
{
    int r = next_subvol(id);
    return r ? r : subvol_init(*id, psub, pdir);
}

/* A snapshot of src: commits, then a new root item naming src's (now committed) root. */
int fs_snapshot(uint64 src, uint64 *id, uint64 psub, uint64 pdir)
{
    struct fs_root_item ri;
    int r = fs_commit();
    if (r >= 0)
        r = fs_root_item(src, &ri);
    if (r == 0)
        r = next_subvol(id);
    if (r)
        return r;
    ri.parent_subvol = psub;
    ri.parent_dir = pdir;
    ri.gen_created = kvfs.txn;
    if ((r = fs_tree_ref(ri.root.blockno, 1)) != 0)
        return r;
    dirty = 1;
    return root_put(*id, &ri);
}

/* ---- commits ---- */

void trace_fs_commit(uint64 gen, uint64 blocks_written, uint64 cow_copies, uint64 free_blocks,
                     uint64 heights);

/* Levels of the free-space, root, extent, checksum trees and subvolume 5's FS tree, a byte each. */
static uint64 heights(void)
{
    struct fs_root_item top;
    uint64 h = 0;
    for (int t = KV_TREE_FREE; t <= KV_TREE_CSUM; t++)
        h |= (uint64)(kvfs.root[t].level + 1) << (8 * (t - KV_TREE_FREE));
    if (fs_root_item(FS_TOP_SUBVOL, &top) == 0)
        h |= (uint64)(top.root.level + 1) << 32;
    return h;
}

/* Commits the running transaction: its generation, or an error. */
int fs_commit(void)
{
    uint64 cows = kvfs.cow_copies;
    int r = kvs_commit();
    if (r)
        return r;
    dirty = 0;
    trace_fs_commit(kvfs.gen, kvfs.last_writes, kvfs.cow_copies - cows, kvfs.nblocks - kvfs.nused, heights());
    return (int)kvfs.gen;
}

static void sleep_ticks(uint64 n)
{
    acquire(&proc_lock);
    uint64 t0 = ticks;
    while (ticks - t0 < n)
        sleep((void *)&ticks, &proc_lock);
    release(&proc_lock);
}

static void commit_thread(uint64 arg)
{
    (void)arg;
    for (;;) {
        sleep_ticks(FS_COMMIT_TICKS);
        lock_store();
        if (kvfs.mounted && dirty && fs_commit() >= 0)
            fs_stats.commits_periodic++;
        unlock_store();
    }
}

/* The commit thread belongs to init, so that no program waits for it. */
static void start_thread(void)
{
    int pid = kthread_create(commit_thread, 0, "fscommit");
    thread_started = 1;
    acquire(&proc_lock);
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->pid == pid && pid > 0)
            p->parent = &proc_table[0];
    release(&proc_lock);
}

/* Mounts the store if needed; 0 when a file system is there, ENODEV if not. */
int fs_ready(void)
{
    if (!vblk_present())
        return ENODEV;
    if (!kvfs.mounted && kvs_mount() != 0)
        return ENODEV;
    if (kvfs.root[KV_TREE_ROOT].blockno == 0)
        return ENODEV;
    if (!thread_started)
        start_thread();
    return 0;
}
