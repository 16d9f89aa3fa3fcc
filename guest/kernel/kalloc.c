/*
 * kalloc.c — the physical frame allocator: 4 KiB pages from `end` (the end
 * of the kernel image) up to PHYSTOP, the end of RAM.
 *
 * How much RAM there is comes from the device tree the boot loader passes in
 * a1 (its /memory node, read by fdt.c): tiny-os runs with any size from
 * MIN_RAM_MIB up (frames above MAX_RAM_MIB are left unused) and panics with a
 * clear message below it, or without a device tree (a boot loader that finds
 * no room for one beside the kernel passes none). The tree
 * itself (QEMU puts it near the top of RAM) is not needed after this and is
 * freed with the rest.
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

#define NFRAMES (MAX_RAM_MIB * 1024 * 1024 / PGSIZE)

uint64 phystop;

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

void kalloc_init(void)
{
    ram_init();
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
