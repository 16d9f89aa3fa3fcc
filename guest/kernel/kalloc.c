/*
 * kalloc.c — the physical frame allocator: a buddy allocator over the 4 KiB
 * frames from `end` (the end of the kernel image) up to PHYSTOP, the end of
 * RAM. It hands out single frames (kalloc) and runs of contiguous frames
 * (kalloc_pages, BubbleOS's multi-page allocations) that are freed as one
 * (kfree of the first frame).
 *
 * How much RAM there is comes from the device tree the boot loader passes in
 * a1 (its /memory node, read by fdt.c): tiny-os runs with any size from
 * MIN_RAM_MIB up (frames above MAX_RAM_MIB are left unused) and panics with a
 * clear message below it, or without a device tree. The tree itself (QEMU
 * puts it near the top of RAM) is not needed after this and is freed with
 * the rest.
 *
 * Buddy blocks. Frame i is the frame at KERNBASE + i*4K. A block of order k
 * is 2^k frames starting at a multiple of 2^k; its buddy is the block of the
 * same order at index i ^ 2^k, and the two together form the block of order
 * k+1. Free blocks of each order sit on a doubly linked list threaded
 * through the blocks themselves (so a buddy can be unlinked from the middle
 * when it merges). Allocation takes the smallest free block of sufficient
 * order and splits it, giving the upper halves back; freeing merges a block
 * with its buddy for as long as the buddy is free and whole.
 *
 * Management bytes. As in BubbleOS, the first frames after the kernel image
 * hold one byte per frame of RAM (32 KiB = 8 pages for 128 MiB):
 *
 *     7      6       5      4..0
 *   +------+-------+------+-------+
 *   | MORE | ALLOC | FREE | order |     on the first frame of a block;
 *   +------+-------+------+-------+     0 on every other frame
 *
 * FREE marks a free block, ALLOC an allocated one; MORE marks an allocated
 * block that continues the allocation before it. An allocation of n frames
 * (n need not be a power of two) takes a block of order ceil(log2 n) and
 * keeps its first n frames as a chain of at most order+1 blocks of
 * decreasing order (the first without MORE, the rest with it); the tail goes
 * back to the free lists. kfree(first frame) frees the whole chain.
 *
 * What is caught: freeing an address that is not the start of an allocation
 * (not a frame, outside RAM, the kernel image, inside an allocation) and
 * freeing a frame that is already free (it lies in a FREE block). Freed
 * frames are filled with 0x5a so a use-after-free reads garbage fast.
 * Counters (free, used: frames) are kept for statistics and leak tests.
 */
#include "kernel.h"
#include "spinlock.h"

#define M_ORDER 0x1f
#define M_FREE 0x20
#define M_ALLOC 0x40
#define M_MORE 0x80

uint64 phystop;

extern char end[];

struct fblock {
    struct fblock *next, *prev;
};

static struct {
    struct spinlock lock;
    uint8 *meta;                  /* one management byte per frame */
    uint64 first, nframes;        /* managed frames: [first, nframes) */
    struct fblock *free[KALLOC_MAX_ORDER + 1];
    uint64 nblocks[KALLOC_MAX_ORDER + 1];
    uint64 nfree, nused;
} kmem;

static uint64 frame_index(uint64 pa) { return (pa - KERNBASE) / PGSIZE; }
static struct fblock *frame(uint64 i) { return (struct fblock *)(KERNBASE + i * PGSIZE); }
static uint64 span(int order) { return 1UL << order; }

static void push_free(uint64 i, int order)
{
    struct fblock *b = frame(i);
    b->prev = 0;
    b->next = kmem.free[order];
    if (b->next)
        b->next->prev = b;
    kmem.free[order] = b;
    kmem.meta[i] = (uint8)(M_FREE | order);
    kmem.nblocks[order]++;
}

static void unlink_free(uint64 i, int order)
{
    struct fblock *b = frame(i);
    if (b->prev)
        b->prev->next = b->next;
    else
        kmem.free[order] = b->next;
    if (b->next)
        b->next->prev = b->prev;
    kmem.meta[i] = 0;
    kmem.nblocks[order]--;
}

/* Sets phystop from the device tree; panics if there is too little RAM. */
static void ram_init(void)
{
    uint64 base, size;
    if (fdt_memory(boot_dtb, &base, &size) < 0)
        panic("no device tree with a /memory node in a1 (%p): cannot tell how much RAM there is "
              "(tiny-os needs at least %ld MiB)", (void *)boot_dtb, MIN_RAM_MIB);
    if (base != KERNBASE)
        panic("RAM starts at %p, not at %p where tiny-os is linked", (void *)base, (void *)KERNBASE);
    if (size < (MIN_RAM_MIB << 20))
        panic("tiny-os needs at least %ld MiB of RAM; the device tree gives %ld KiB",
              MIN_RAM_MIB, size >> 10);
    if (size > (MAX_RAM_MIB << 20))
        size = MAX_RAM_MIB << 20;
    phystop = base + size;
}

/* The largest order a free block at frame i may have, given what is left. */
static int fit_order(uint64 i)
{
    int k = KALLOC_MAX_ORDER;
    while (k > 0 && ((i & (span(k) - 1)) || i + span(k) > kmem.nframes))
        k--;
    return k;
}

void kalloc_init(void)
{
    ram_init();
    spin_init(&kmem.lock, "kmem");
    kmem.nframes = frame_index(PHYSTOP);
    kmem.meta = (uint8 *)PGROUNDUP((uint64)end);
    memset(kmem.meta, 0, kmem.nframes);
    kmem.first = frame_index(PGROUNDUP((uint64)kmem.meta + kmem.nframes));
    for (uint64 i = kmem.first; i < kmem.nframes;) {
        int k = fit_order(i);
        push_free(i, k);
        kmem.nfree += span(k);
        i += span(k);
    }
}

/* Takes a free block of exactly `order`, splitting a larger one; -1 if none. */
static int64 take_block(int order)
{
    int k = order;
    while (k <= KALLOC_MAX_ORDER && !kmem.free[k])
        k++;
    if (k > KALLOC_MAX_ORDER)
        return -1;
    uint64 i = frame_index((uint64)kmem.free[k]);
    unlink_free(i, k);
    while (k > order) {
        k--;
        push_free(i + span(k), k);    /* the upper half stays free */
    }
    return (int64)i;
}

/* Keeps the first n frames of the order-k block at i as a chain; frees the tail. */
static void keep_prefix(uint64 i, int k, uint64 n)
{
    uint8 more = 0;
    while (n > 0) {
        if (n == span(k)) {
            kmem.meta[i] = (uint8)(M_ALLOC | more | k);
            return;
        }
        k--;
        if (n > span(k)) {
            kmem.meta[i] = (uint8)(M_ALLOC | more | k);
            more = M_MORE;
            i += span(k);
            n -= span(k);
        } else {
            push_free(i + span(k), k);
        }
    }
}

static int order_for(uint64 n)
{
    int k = 0;
    while (span(k) < n)
        k++;
    return k;
}

/*
 * Returns n physically contiguous frames (contents undefined), aligned to
 * 4 KiB, or 0 when no free run is large enough or n is 0 or larger than
 * 2^KALLOC_MAX_ORDER. kfree of the returned address frees all n.
 */
void *kalloc_pages(uint64 n)
{
    if (n == 0 || n > span(KALLOC_MAX_ORDER))
        return 0;
    int k = order_for(n);
    acquire(&kmem.lock);
    int64 i = take_block(k);
    if (i >= 0) {
        keep_prefix((uint64)i, k, n);
        kmem.nfree -= n;
        kmem.nused += n;
    }
    release(&kmem.lock);
    return i < 0 ? 0 : (void *)frame((uint64)i);
}

/* Returns one frame (contents undefined) or 0 when memory is exhausted. */
void *kalloc(void)
{
    return kalloc_pages(1);
}

/* Frees the block of `order` at i, merging it with its free buddies. */
static void release_block(uint64 i, int order)
{
    memset(frame(i), 0x5a, span(order) * PGSIZE);
    kmem.meta[i] = 0; /* merged into a lower buddy, it must not look like a head any more */
    while (order < KALLOC_MAX_ORDER) {
        uint64 b = i ^ span(order);
        if (b < kmem.first || b + span(order) > kmem.nframes || kmem.meta[b] != (M_FREE | order))
            break;
        unlink_free(b, order);
        i = i < b ? i : b;
        order++;
    }
    push_free(i, order);
}

/* The management byte of the block holding frame i (0 if none). */
static uint8 holder(uint64 i)
{
    for (int k = 0; k <= KALLOC_MAX_ORDER; k++) {
        uint64 h = i & ~(span(k) - 1);
        uint8 m = kmem.meta[h];
        if (h < kmem.first)
            return 0;
        if ((m & (M_FREE | M_ALLOC)) && (m & M_ORDER) >= k)
            return m;
    }
    return 0;
}

/* Frees the chain of blocks starting at i (a first block); returns frames freed. */
static uint64 release_chain(uint64 i)
{
    uint64 freed = 0;
    do {
        int k = kmem.meta[i] & M_ORDER;
        release_block(i, k);
        freed += span(k);
        i += span(k);
    } while (i < kmem.nframes && (kmem.meta[i] & (M_ALLOC | M_MORE)) == (M_ALLOC | M_MORE));
    return freed;
}

/* 0 = freed, -1 = not the start of an allocation, -2 = frame is already free. */
int kfree_checked(void *pa)
{
    uint64 a = (uint64)pa;
    if (a % PGSIZE || a < KERNBASE || a >= PHYSTOP || frame_index(a) < kmem.first)
        return -1;
    uint64 i = frame_index(a);
    acquire(&kmem.lock);
    uint8 m = kmem.meta[i];
    int err = 0;
    if ((m & (M_ALLOC | M_MORE)) == M_ALLOC) {
        uint64 n = release_chain(i);
        kmem.nfree += n;
        kmem.nused -= n;
    } else {
        err = (holder(i) & M_FREE) ? -2 : -1;
    }
    release(&kmem.lock);
    return err;
}

void kfree(void *pa)
{
    int err = kfree_checked(pa);
    if (err == -1)
        panic("kfree: %p is not the start of an allocation", pa);
    if (err == -2)
        panic("kfree: double free of frame %p", pa);
}

void kalloc_stats(uint64 *nfree, uint64 *nused)
{
    acquire(&kmem.lock);
    *nfree = kmem.nfree;
    *nused = kmem.nused;
    release(&kmem.lock);
}

/*
 * 1 if the allocator agrees with itself: every listed block's management byte
 * says FREE with its list's order, the lists hold nblocks blocks and nfree
 * frames, and free + used frames are all the managed frames.
 */
int kalloc_consistent(void)
{
    uint64 frames = 0;
    int ok = 1;
    acquire(&kmem.lock);
    for (int k = 0; k <= KALLOC_MAX_ORDER; k++) {
        uint64 n = 0;
        for (struct fblock *b = kmem.free[k]; b; b = b->next, n++)
            ok &= kmem.meta[frame_index((uint64)b)] == (M_FREE | k);
        ok &= n == kmem.nblocks[k];
        frames += n << k;
    }
    ok &= frames == kmem.nfree && kmem.nfree + kmem.nused == kmem.nframes - kmem.first;
    release(&kmem.lock);
    return ok;
}

/* Free blocks of each order 0..KALLOC_MAX_ORDER into counts[] (self-tests). */
void kalloc_orders(uint64 *counts)
{
    acquire(&kmem.lock);
    for (int k = 0; k <= KALLOC_MAX_ORDER; k++)
        counts[k] = kmem.nblocks[k];
    release(&kmem.lock);
}
