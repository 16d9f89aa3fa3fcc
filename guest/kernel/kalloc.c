/*
 * kalloc.c — the physical frame allocator: 4 KiB pages from `end` (the end
 * of the kernel image) up to PHYSTOP.
 *
 * Free frames form a singly linked list threaded through the frames
 * themselves. A bitmap with one bit per frame of RAM records which frames are
 * allocated, which makes two bugs detectable instead of silently corrupting
 * memory: freeing a frame twice, and freeing an address that is not a frame.
 * Freed frames are filled with 0x5a so a use-after-free reads garbage fast.
 * Counters (free, used) are kept for statistics and leak tests.
 */
#include "kernel.h"
#include "spinlock.h"

#define NFRAMES ((PHYSTOP - KERNBASE) / PGSIZE)

extern char end[];

struct run {
    struct run *next;
};

static struct {
    struct spinlock lock;
    struct run *free;
    uint64 nfree, nused;
    uint8 allocated[NFRAMES / 8];
} kmem;

static uint64 frame_index(uint64 pa)
{
    return (pa - KERNBASE) / PGSIZE;
}

static int bit_test(uint64 i)
{
    return (kmem.allocated[i / 8] >> (i % 8)) & 1;
}

static void bit_set(uint64 i, int v)
{
    if (v)
        kmem.allocated[i / 8] |= (uint8)(1 << (i % 8));
    else
        kmem.allocated[i / 8] &= (uint8)~(1 << (i % 8));
}

void kalloc_init(void)
{
    spin_init(&kmem.lock, "kmem");
    for (uint64 pa = PGROUNDUP((uint64)end); pa + PGSIZE <= PHYSTOP; pa += PGSIZE) {
        struct run *r = (struct run *)pa;
        r->next = kmem.free;
        kmem.free = r;
        kmem.nfree++;
    }
}

/* Returns one frame (contents undefined) or 0 when memory is exhausted. */
void *kalloc(void)
{
    acquire(&kmem.lock);
    struct run *r = kmem.free;
    if (r) {
        kmem.free = r->next;
        bit_set(frame_index((uint64)r), 1);
        kmem.nfree--;
        kmem.nused++;
    }
    release(&kmem.lock);
    return r;
}

/* 0 = freed, -1 = not a frame address, -2 = frame is already free. */
int kfree_checked(void *pa)
{
    uint64 a = (uint64)pa;
    if (a % PGSIZE || a < PGROUNDUP((uint64)end) || a >= PHYSTOP)
        return -1;
    acquire(&kmem.lock);
    if (!bit_test(frame_index(a))) {
        release(&kmem.lock);
        return -2;
    }
    bit_set(frame_index(a), 0);
    memset(pa, 0x5a, PGSIZE);
    struct run *r = pa;
    r->next = kmem.free;
    kmem.free = r;
    kmem.nfree++;
    kmem.nused--;
    release(&kmem.lock);
    return 0;
}

void kfree(void *pa)
{
    int err = kfree_checked(pa);
    if (err == -1)
        panic("kfree: %p is not a free-able frame", pa);
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
