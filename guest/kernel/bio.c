/*
 * bio.c — the buffer cache: NBUF 4 KiB blocks of the disk in memory.
 *
 * Interface: bread(n) returns block n locked and valid (reading it if
 * needed); bget(n) returns it locked without reading, for a caller that
 * overwrites the whole block and sets valid; bwrite(b) marks it dirty
 * (a delayed write); brelse(b) unlocks it and drops the reference. bsync()
 * writes every dirty block back, all at once so the requests overlap in the
 * disk queue, then asks the device to flush its own cache. binval() forgets
 * clean unused blocks, so the next read comes from the disk.
 *
 * Replacement is LRU over buffers with no references: brelse moves a
 * buffer to the front of the list, a miss takes the last unreferenced one.
 * A dirty victim is first written back under its own sleeplock, keeping
 * its block number meanwhile (so a concurrent reader of that block finds
 * and waits for it instead of reading stale data from the disk); then the
 * search starts over. When every buffer is in use, bget sleeps until one
 * is released. Every hit, miss, eviction and write-back is a tracepoint
 * (TRACEPOINTS.md) and a counter (struct blkinfo, SYS_blkinfo).
 */
#include "kernel.h"
#include "buf.h"
#include "virtio.h"

static uint8 bdata[NBUF][BSIZE] __attribute__((aligned(4096)));

static struct {
    struct spinlock lock;
    struct buf buf[NBUF];
    struct buf head;            /* LRU list sentinel */
    struct blkinfo st;          /* counters (guarded by lock) */
} bcache;

static void lru_unlink(struct buf *b)
{
    b->next->prev = b->prev;
    b->prev->next = b->next;
}

static void lru_push_front(struct buf *b)
{
    b->next = bcache.head.next;
    b->prev = &bcache.head;
    bcache.head.next->prev = b;
    bcache.head.next = b;
}

void binit(void)
{
    spin_init(&bcache.lock, "bcache");
    bcache.head.next = bcache.head.prev = &bcache.head;
    for (int i = 0; i < NBUF; i++) {
        struct buf *b = &bcache.buf[i];
        sleeplock_init(&b->lock, "buffer");
        b->index = i;
        b->data = bdata[i];
        lru_push_front(b);
    }
}

static struct buf *lookup(uint64 blockno)
{
    for (struct buf *b = bcache.head.next; b != &bcache.head; b = b->next)
        if (b->refcnt + b->valid > 0 && b->blockno == blockno)
            return b;
    return 0;
}

static struct buf *lru_victim(void)
{
    for (struct buf *b = bcache.head.prev; b != &bcache.head; b = b->prev)
        if (b->refcnt == 0)
            return b;
    return 0;
}

/* Starts the disk transfer of b's block (b locked). */
static void start_io(struct buf *b, int type)
{
    b->req = (struct blkreq){.type = type, .sector = b->blockno * SECTORS_PER_BLOCK,
                             .data = b->data, .len = BSIZE};
    vblk_start(&b->req);
}

/* Completes a write started by start_io; counts it; 0 on success. */
static int finish_write(struct buf *b, int reason)
{
    int r = vblk_wait(&b->req);
    acquire(&bcache.lock);
    bcache.st.disk_writes++;
    bcache.st.writebacks++;
    release(&bcache.lock);
    trace_bcache_writeback(b->blockno, b->index, reason);
    if (r == 0)
        b->dirty = 0;
    else
        kprintf("bio: write of block %ld failed\n", b->blockno);
    return r;
}

/* Drops one reference; touch = move to the LRU front when it reaches 0. */
static void unref(struct buf *b, int touch)
{
    acquire(&bcache.lock);
    if (--b->refcnt == 0) {
        if (touch) {
            lru_unlink(b);
            lru_push_front(b);
        }
        wakeup(&bcache);
    }
    release(&bcache.lock);
}

/* Writes back the dirty unreferenced victim b; caller held bcache.lock, drops it. */
static void evict_dirty(struct buf *b)
{
    b->refcnt++;
    release(&bcache.lock);
    acquiresleep(&b->lock);
    if (b->valid && b->dirty) {
        start_io(b, VIRTIO_BLK_T_OUT);
        finish_write(b, WB_EVICT);
    }
    releasesleep(&b->lock);
    unref(b, 0);
}

/* Recycles the clean unreferenced b for blockno; caller holds bcache.lock. */
static void take(struct buf *b, uint64 blockno)
{
    if (b->valid) {
        bcache.st.evictions++;
        trace_bcache_evict(b->blockno, blockno, b->index);
    }
    b->blockno = blockno;
    b->valid = 0;
    b->dirty = 0;
    b->csum_ok = 0;
    b->refcnt = 1;
    bcache.st.misses++;
    trace_bcache_miss(blockno, b->index);
}

struct buf *bget(uint64 blockno)
{
    acquire(&bcache.lock);
    for (;;) {
        struct buf *b = lookup(blockno);
        if (b) {
            b->refcnt++;
            bcache.st.hits++;
            trace_bcache_hit(blockno, b->index);
        } else if ((b = lru_victim()) == 0) {
            sleep(&bcache, &bcache.lock);
            continue;
        } else if (b->valid && b->dirty) {
            evict_dirty(b);
            acquire(&bcache.lock);
            continue;
        } else {
            take(b, blockno);
        }
        release(&bcache.lock);
        acquiresleep(&b->lock);
        return b;
    }
}

struct buf *bread(uint64 blockno)
{
    struct buf *b = bget(blockno);
    if (b->valid)
        return b;
    start_io(b, VIRTIO_BLK_T_IN);
    int r = vblk_wait(&b->req);
    acquire(&bcache.lock);
    bcache.st.disk_reads++;
    release(&bcache.lock);
    if (r == 0) {
        b->valid = 1;
        return b;
    }
    kprintf("bio: read of block %ld failed\n", blockno);
    brelse(b);
    return 0;
}

void bwrite(struct buf *b)
{
    if (!holdingsleep(&b->lock) || !b->valid)
        panic("bwrite: buffer not locked or not valid");
    b->dirty = 1;
    b->csum_ok = 0;
}

void brelse(struct buf *b)
{
    if (!holdingsleep(&b->lock))
        panic("brelse: buffer not locked");
    releasesleep(&b->lock);
    unref(b, 1);
}

/* Locks buffer i if it is dirty (returns 1, holding it), else leaves it alone. */
static int lock_if_dirty(struct buf *b)
{
    acquire(&bcache.lock);
    b->refcnt++;
    release(&bcache.lock);
    acquiresleep(&b->lock);
    if (b->valid && b->dirty)
        return 1;
    releasesleep(&b->lock);
    unref(b, 0);
    return 0;
}

int bsync(void)
{
    struct buf *pending[NBUF];
    int n = 0, err = 0;
    for (int i = 0; i < NBUF; i++) {
        if (lock_if_dirty(&bcache.buf[i])) {
            pending[n] = &bcache.buf[i];
            start_io(pending[n++], VIRTIO_BLK_T_OUT);
        }
    }
    for (int i = 0; i < n; i++) {
        err |= finish_write(pending[i], WB_SYNC);
        releasesleep(&pending[i]->lock);
        unref(pending[i], 0);
    }
    if (vblk_can_flush()) {
        err |= vblk_rw(VIRTIO_BLK_T_FLUSH, 0, 0, 0);
        acquire(&bcache.lock);
        bcache.st.flushes++;
        release(&bcache.lock);
    }
    return err ? -1 : n;
}

int binval(void)
{
    int n = 0;
    acquire(&bcache.lock);
    for (int i = 0; i < NBUF; i++) {
        struct buf *b = &bcache.buf[i];
        if (b->refcnt == 0 && b->valid && !b->dirty) {
            b->valid = 0;
            n++;
        }
    }
    release(&bcache.lock);
    return n;
}

void bstats(struct blkinfo *out)
{
    acquire(&bcache.lock);
    *out = bcache.st;
    release(&bcache.lock);
    out->nbuf = NBUF;
    out->max_inflight = vblk_max_inflight();
}
