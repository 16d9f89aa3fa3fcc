/*
 * syskv.c — the key/value system calls: the store's user interface until
 * there are files (guest/README.md lists them; lib/syscall_nr.h has the
 * numbers, struct kvstat and the error codes).
 *
 *   kv_format(node_max, leaf_limit)   mkfs: new empty store, generation 1
 *   kv_mount()                        newest valid superblock; its generation
 *   kv_put(key, buf, len)             insert or replace (len <= KV_VALUE_MAX)
 *   kv_get(key, buf, max)             value length; copies min(len, max) bytes
 *   kv_del(key)                       KV_ENOENT if absent
 *   kv_next(key, &next)               smallest key > key, KV_ENOENT at the end
 *   kv_commit()                       the running transaction becomes durable
 *   kv_stat(&st)                      generation, space, shape, counters
 *
 * Keys are 64-bit numbers: user key k is B-tree key (k, KV_KEY_VALUE, 0).
 * A value of at most KV_INLINE_MAX bytes is stored in the leaf; a larger one
 * in a data extent of whole blocks (allocated high on the disk, written
 * through the cache, checksummed in its item, verified on every read).
 * Changes belong to the running transaction until kv_commit; a power cut
 * loses them. A call that fails with KV_EIO or KV_ENOSPC in the middle of a
 * change aborts the running transaction: the store is remounted at its last
 * commit (or left unmounted if that fails too) — a half-applied change is
 * never visible. One sleeplock serialises every call.
 */
#include "kv.h"
#include "proc.h"
#include "sleeplock.h"

uint64 argraw(int n);

static struct sleeplock kvlock;
static int kvlock_ready;
static uint8 valbuf[sizeof(struct kv_value) + KV_INLINE_MAX] __attribute__((aligned(8)));

void lock_store(void)
{
    if (!kvlock_ready) {
        sleeplock_init(&kvlock, "kv");
        kvlock_ready = 1;
    }
    acquiresleep(&kvlock);
}

void unlock_store(void)
{
    releasesleep(&kvlock);
}

static struct kv_key user_key(uint64 k)
{
    return (struct kv_key){.objectid = k, .offset = 0, .type = KV_KEY_VALUE};
}

/* After a failed change: back to the last commit. */
static int abort_txn(int err)
{
    if (err != KV_EIO && err != KV_ENOSPC)
        return err;
    kprintf("kv: transaction %ld aborted (error %d); remounting generation %ld\n", kvfs.txn, err,
            kvfs.gen);
    kvs_mount();
    return err;
}

/* Frees the data extent of a replaced or deleted value. */
static int drop_value(const uint8 *data, uint32 size)
{
    const struct kv_value *v = (const struct kv_value *)data;
    if (size < sizeof *v)
        return KV_EIO;
    if (v->kind != KV_VAL_EXTENT)
        return 0;
    const struct kv_extent *e = (const struct kv_extent *)(v + 1);
    return free_blocks(e->start, e->nblocks, e->gen);
}

/* Copies len user bytes into a fresh data extent; fills *e. */
static int write_extent(uint64 ubuf, uint32 len, struct kv_extent *e)
{
    uint32 n = (len + KV_BSIZE - 1) / KV_BSIZE;
    int64 start = alloc_data(n);
    if (start < 0)
        return (int)start;
    *e = (struct kv_extent){.start = (uint64)start, .nblocks = n, .gen = kvfs.txn};
    for (uint32 i = 0; i < n; i++) {
        uint32 part = len - i * KV_BSIZE < KV_BSIZE ? len - i * KV_BSIZE : KV_BSIZE;
        struct buf *b = bget((uint64)start + i);
        memset(b->data, 0, KV_BSIZE);
        int r = copyin(myproc()->pagetable, b->data, ubuf + i * KV_BSIZE, part);
        e->csum = crc32c(e->csum, b->data, part);
        b->valid = 1;
        bwrite(b);
        brelse(b);
        if (r < 0) {
            free_blocks((uint64)start, n, kvfs.txn);
            return user_fault(ubuf, "kv_put");
        }
    }
    return 0;
}

static int put(uint64 key, uint64 ubuf, uint32 len)
{
    struct kv_value *v = (struct kv_value *)valbuf;
    uint32 size = sizeof *v;
    v->len = len;
    int r;
    if (len <= KV_INLINE_MAX) {
        v->kind = KV_VAL_INLINE;
        r = copyin(myproc()->pagetable, v + 1, ubuf, len) < 0 ? user_fault(ubuf, "kv_put") : 0;
        size += len;
    } else {
        v->kind = KV_VAL_EXTENT;
        r = write_extent(ubuf, len, (struct kv_extent *)(v + 1));
        size += sizeof(struct kv_extent);
    }
    if (r)
        return r;
    struct bt_op op = {.key = user_key(key), .data = valbuf, .size = size, .on_old = drop_value};
    r = bt_modify(KV_TREE_KV, &op);
    if (r == 0 && !op.found)
        kvfs.nkeys++;
    return r;
}

int64 sys_kv_put(void)
{
    uint64 key = argraw(0), ubuf = argraw(1);
    int64 len = (int64)argraw(2);
    if (len < 0 || len > KV_VALUE_MAX)
        return -1;
    lock_store();
    int r = kvfs.mounted ? abort_txn(put(key, ubuf, (uint32)len)) : -1;
    releasesleep(&kvlock);
    return r;
}

/* Reads a data extent to the user buffer (at most max bytes), verifying its checksum. */
static int read_extent(uint64 key, const struct kv_value *v, uint64 ubuf, uint32 max)
{
    const struct kv_extent *e = (const struct kv_extent *)(v + 1);
    uint32 crc = 0;
    if (e->nblocks != (v->len + KV_BSIZE - 1) / KV_BSIZE || e->start < KV_FIRST_BLOCK ||
        e->start + e->nblocks > kvfs.nblocks || e->gen > kvfs.txn) {
        kprintf("kv: key %ld: corrupt extent item (start %ld, %d blocks)\n", key, e->start, e->nblocks);
        return KV_EIO;
    }
    for (uint32 i = 0; i < e->nblocks; i++) {
        uint32 part = v->len - i * KV_BSIZE < KV_BSIZE ? v->len - i * KV_BSIZE : KV_BSIZE;
        struct buf *b = bread(e->start + i);
        if (!b)
            return KV_EIO;
        crc = crc32c(crc, b->data, part);
        uint32 off = i * KV_BSIZE, n = max > off ? (max - off < part ? max - off : part) : 0;
        int r = n ? copyout(myproc()->pagetable, ubuf + off, b->data, n) : 0;
        brelse(b);
        if (r < 0)
            return user_fault(ubuf, "kv_get");
    }
    if (crc != e->csum) {
        kprintf("kv: key %ld: data extent %ld+%d: bad checksum (found %x, expected %x)\n", key,
                e->start, e->nblocks, crc, e->csum);
        return KV_EIO;
    }
    return 0;
}

static int get(uint64 key, uint64 ubuf, uint32 max)
{
    struct kv_key k = user_key(key);
    uint32 size;
    int r = bt_lookup(KV_TREE_KV, &k, valbuf, sizeof valbuf, &size);
    if (r)
        return r;
    struct kv_value *v = (struct kv_value *)valbuf;
    int inl = v->kind == KV_VAL_INLINE && size == sizeof *v + v->len && v->len <= KV_INLINE_MAX;
    int ext = v->kind == KV_VAL_EXTENT && size == sizeof *v + sizeof(struct kv_extent) &&
              v->len > KV_INLINE_MAX && v->len <= KV_VALUE_MAX;
    if (!inl && !ext) {
        kprintf("kv: key %ld: corrupt value item (kind %d, size %d)\n", key, v->kind, size);
        return KV_EIO;
    }
    if (ext)
        r = read_extent(key, v, ubuf, max);
    else if (copyout(myproc()->pagetable, ubuf, v + 1, v->len < max ? v->len : max) < 0)
        r = user_fault(ubuf, "kv_get");
    return r ? r : (int)v->len;
}

int64 sys_kv_get(void)
{
    uint64 key = argraw(0), ubuf = argraw(1);
    int64 max = (int64)argraw(2);
    if (max < 0)
        return -1;
    lock_store();
    int r = kvfs.mounted ? get(key, ubuf, (uint32)(max < KV_VALUE_MAX ? max : KV_VALUE_MAX)) : -1;
    releasesleep(&kvlock);
    return r;
}

static int del(uint64 key)
{
    struct kv_key k = user_key(key);
    uint32 size;
    int r = bt_lookup(KV_TREE_KV, &k, valbuf, sizeof valbuf, &size);
    if (r)
        return r;
    struct bt_op op = {.del = 1, .key = k, .on_old = drop_value};
    r = bt_modify(KV_TREE_KV, &op);
    if (r == 0 && op.found)
        kvfs.nkeys--;
    return r;
}

int64 sys_kv_del(void)
{
    uint64 key = argraw(0);
    lock_store();
    int r = kvfs.mounted ? abort_txn(del(key)) : -1;
    releasesleep(&kvlock);
    return r;
}

int64 sys_kv_next(void)
{
    struct kv_key after = user_key(argraw(0)), found;
    uint64 uout = argraw(1);
    lock_store();
    int r = kvfs.mounted ? bt_next(KV_TREE_KV, &after, &found) : -1;
    releasesleep(&kvlock);
    if (r == 0 && found.type != KV_KEY_VALUE) {
        kprintf("kv: kv tree holds a key of type %d\n", found.type);
        r = KV_EIO;
    }
    if (r == 0 && copyout(myproc()->pagetable, uout, &found.objectid, sizeof found.objectid) < 0)
        return user_fault(uout, "kv_next");
    return r;
}

int64 sys_kv_commit(void)
{
    lock_store();
    int r = kvfs.mounted ? abort_txn(kvs_commit()) : -1;
    int64 gen = (int64)kvfs.gen;
    releasesleep(&kvlock);
    return r ? r : gen;
}

int64 sys_kv_mount(void)
{
    if (!vblk_present())
        return -1;
    lock_store();
    int r = kvs_mount();
    int64 gen = (int64)kvfs.gen;
    releasesleep(&kvlock);
    return r ? r : gen;
}

int64 sys_kv_format(void)
{
    if (!vblk_present())
        return -1;
    lock_store();
    int r = kvs_format((uint32)argraw(0), (uint32)argraw(1), 0);
    releasesleep(&kvlock);
    return r;
}

int64 sys_kv_stat(void)
{
    struct kvstat st = {0};
    lock_store();
    int ok = kvfs.mounted;
    st = (struct kvstat){kvfs.gen, kvfs.nblocks, kvfs.nused - kvfs.npinned, kvfs.npinned, kvfs.nkeys,
                         kvfs.root[KV_TREE_KV].level + 1, kvfs.root[KV_TREE_FREE].level + 1,
                         kvfs.node_max, kvfs.leaf_limit, (uint64)kvfs.super_slot, kvfs.commits,
                         kvfs.last_writes, kvfs.cow_copies};
    releasesleep(&kvlock);
    if (!ok)
        return -1;
    if (copyout(myproc()->pagetable, argraw(0), &st, sizeof st) < 0)
        return user_fault(argraw(0), "kv_stat");
    return 0;
}
