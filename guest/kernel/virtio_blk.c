/*
 * virtio_blk.c — the virtio-mmio block driver: one disk, one split
 * virtqueue, several requests in flight.
 *
 * Discovery: the eight virtio-mmio slots of virt are scanned in order; the
 * first with magic "virt" and device id 2 is the disk. Slot n interrupts as
 * PLIC source 1 + n. Both transports are driven: Version 2 (modern, what our
 * emulator and QEMU with force-legacy=false offer) and Version 1 (legacy,
 * QEMU 7.2's default). Initialisation follows virtio 1.x section 3.1.1:
 * reset, ACKNOWLEDGE, DRIVER, feature negotiation (we take FLUSH and RO, and
 * VERSION_1 on a modern device; a legacy device has no FEATURES_OK step),
 * queue setup, DRIVER_OK.
 *
 * The queue has QNUM descriptors split into NSLOT fixed triples: request
 * slot s owns descriptors 3s (16-byte header, device-readable), 3s+1 (the
 * data) and 3s+2 (status byte, device-writable). The head index 3s comes
 * back in the used ring, so the completion finds its slot by division. The
 * queue memory is one physically contiguous 8 KiB area (a two-page
 * allocation of the buddy allocator, kalloc_pages, made once when a disk is
 * found) in the legacy layout
 * (descriptors, available ring, then the used ring at the next page), which
 * the modern transport accepts as three addresses; the kernel maps RAM at
 * VA == PA, so kernel addresses are bus addresses.
 *
 * A caller fills a struct blkreq and calls vblk_start(), which waits for a
 * free slot, publishes the chain and notifies; vblk_wait() then sleeps on
 * the request until the interrupt handler (vblk_intr) has collected it from
 * the used ring. Before the first process exists (boot) there is nobody to
 * put to sleep, so both functions poll the used ring instead: that is the
 * polled mode, used once at boot to read block 0. vblk.lock guards the
 * queue, the slots and every blkreq in flight; its order is vblk.lock then
 * proc_lock (sleep and wakeup take proc_lock while it is held).
 */
#include "kernel.h"
#include "spinlock.h"
#include "proc.h"
#include "virtio.h"

#define QNUM 32
#define NSLOT (QNUM / 3)
#define USED_OFFSET 4096

#define QMEM_PAGES 2
static uint8 *qmem;            /* QMEM_PAGES contiguous frames (kalloc_pages) */
static struct virtio_blk_req_hdr hdrs[NSLOT];
static volatile uint8 statuses[NSLOT];

static struct {
    struct spinlock lock;
    uint64 base;               /* MMIO base of the slot, 0 = no disk */
    int slot, version, irq;
    uint64 sectors;
    uint64 features;           /* negotiated */
    struct blkreq *req[NSLOT]; /* request occupying each slot, or 0 */
    int nfree;
    uint16 avail_idx;          /* next free entry of the available ring */
    uint16 used_seen;          /* used ring entries already collected */
    uint64 submitted, completed, max_inflight;
} vblk;

static volatile uint32 *reg(uint32 off) { return (volatile uint32 *)(vblk.base + off); }
static struct vring_desc *descs(void) { return (struct vring_desc *)qmem; }
static volatile uint16 *avail(void) { return (volatile uint16 *)(qmem + QNUM * 16); }
static volatile uint16 *used_idx(void) { return (volatile uint16 *)(qmem + USED_OFFSET + 2); }
static volatile struct vring_used_elem *used_ring(void)
{
    return (volatile struct vring_used_elem *)(qmem + USED_OFFSET + 4);
}

/* Slot n's base if it holds a block device, else 0. */
static uint64 probe_slot(int n)
{
    volatile uint32 *r = (volatile uint32 *)(VIRTIO_BASE + n * VIRTIO_STRIDE);
    if (r[VIO_MAGIC / 4] != VIRTIO_MAGIC || r[VIO_DEVICE_ID / 4] != VIRTIO_DEV_BLOCK)
        return 0;
    uint32 v = r[VIO_VERSION / 4];
    return v == 1 || v == 2 ? (uint64)r : 0;
}

static uint64 device_features(void)
{
    *reg(VIO_DEVICE_FEATURES_SEL) = 0;
    uint64 f = *reg(VIO_DEVICE_FEATURES);
    if (vblk.version == 2) {
        *reg(VIO_DEVICE_FEATURES_SEL) = 1;
        f |= (uint64)*reg(VIO_DEVICE_FEATURES) << 32;
    }
    return f;
}

/* Feature negotiation; 0 on success. */
static int negotiate(void)
{
    uint64 want = (1UL << VIRTIO_BLK_F_FLUSH) | (1UL << VIRTIO_BLK_F_RO);
    if (vblk.version == 2)
        want |= 1UL << VIRTIO_F_VERSION_1;
    uint64 offered = device_features();
    if (vblk.version == 2 && !(offered & (1UL << VIRTIO_F_VERSION_1)))
        return -1;
    vblk.features = offered & want;
    *reg(VIO_DRIVER_FEATURES_SEL) = 0;
    *reg(VIO_DRIVER_FEATURES) = (uint32)vblk.features;
    if (vblk.version == 1)
        return 0;
    *reg(VIO_DRIVER_FEATURES_SEL) = 1;
    *reg(VIO_DRIVER_FEATURES) = (uint32)(vblk.features >> 32);
    *reg(VIO_STATUS) = VIO_S_ACKNOWLEDGE | VIO_S_DRIVER | VIO_S_FEATURES_OK;
    return (*reg(VIO_STATUS) & VIO_S_FEATURES_OK) ? 0 : -1;
}

static void set_addr(uint32 low, uint64 a)
{
    *reg(low) = (uint32)a;
    *reg(low + 4) = (uint32)(a >> 32);
}

/* Announces queue 0 to the device; 0 on success. */
static int setup_queue(void)
{
    *reg(VIO_QUEUE_SEL) = 0;
    if (*reg(VIO_QUEUE_NUM_MAX) < QNUM)
        return -1;
    if (!qmem && !(qmem = kalloc_pages(QMEM_PAGES)))
        return -1;
    memset(qmem, 0, QMEM_PAGES * PGSIZE);
    *reg(VIO_QUEUE_NUM) = QNUM;
    uint64 q = (uint64)qmem;
    if (vblk.version == 1) {
        *reg(VIO_GUEST_PAGE_SIZE) = PGSIZE;
        *reg(VIO_QUEUE_ALIGN) = USED_OFFSET;
        *reg(VIO_QUEUE_PFN) = (uint32)(q >> PGSHIFT);
        return 0;
    }
    set_addr(VIO_QUEUE_DESC_LOW, q);
    set_addr(VIO_QUEUE_DRIVER_LOW, (uint64)avail());
    set_addr(VIO_QUEUE_DEVICE_LOW, q + USED_OFFSET);
    *reg(VIO_QUEUE_READY) = 1;
    return 0;
}

int vblk_init(void)
{
    spin_init(&vblk.lock, "vblk");
    for (int n = 0; n < VIRTIO_SLOTS && !vblk.base; n++)
        if ((vblk.base = probe_slot(n)) != 0)
            vblk.slot = n;
    if (!vblk.base)
        return -1;
    vblk.version = (int)*reg(VIO_VERSION);
    *reg(VIO_STATUS) = 0;
    *reg(VIO_STATUS) = VIO_S_ACKNOWLEDGE;
    *reg(VIO_STATUS) = VIO_S_ACKNOWLEDGE | VIO_S_DRIVER;
    if (negotiate() < 0 || setup_queue() < 0) {
        *reg(VIO_STATUS) = VIO_S_FAILED;
        kprintf("virtio-blk: slot %d: initialisation failed\n", vblk.slot);
        vblk.base = 0;
        return -1;
    }
    vblk.sectors = *reg(VIO_CONFIG) | ((uint64)*reg(VIO_CONFIG + 4) << 32);
    vblk.irq = VIRTIO_IRQ_BASE + vblk.slot;
    vblk.nfree = NSLOT;
    *reg(VIO_STATUS) = *reg(VIO_STATUS) | VIO_S_DRIVER_OK;
    plic_enable(vblk.irq);
    return 0;
}

int vblk_present(void) { return vblk.base != 0; }
uint64 vblk_sectors(void) { return vblk.sectors; }
int vblk_irq(void) { return vblk.base ? vblk.irq : -1; }
int vblk_version(void) { return vblk.version; }
int vblk_slot(void) { return vblk.slot; }
int vblk_readonly(void) { return (vblk.features >> VIRTIO_BLK_F_RO) & 1; }
int vblk_can_flush(void) { return (vblk.features >> VIRTIO_BLK_F_FLUSH) & 1; }
uint64 vblk_max_inflight(void) { return vblk.max_inflight; }

/* Moves every used-ring entry to its request; caller holds vblk.lock. */
static void collect(void)
{
    *reg(VIO_INTERRUPT_ACK) = *reg(VIO_INTERRUPT_STATUS) & 3;
    __sync_synchronize();
    while (vblk.used_seen != *used_idx()) {
        __sync_synchronize();
        uint32 id = used_ring()[vblk.used_seen % QNUM].id;
        vblk.used_seen++;
        int s = (int)(id / 3);
        struct blkreq *r = s < NSLOT ? vblk.req[s] : 0;
        if (!r)
            panic("virtio-blk: completion for idle descriptor %d", id);
        r->status = statuses[s] == VIRTIO_BLK_S_OK ? 0 : -1;
        r->done = 1;
        vblk.req[s] = 0;
        vblk.nfree++;
        vblk.completed++;
        trace_blk_complete(s, r->type, r->sector, statuses[s]);
        wakeup(r);
    }
    wakeup(&vblk.nfree);
}

void vblk_intr(void)
{
    acquire(&vblk.lock);
    collect();
    release(&vblk.lock);
}

static int alloc_slot(void)
{
    for (int s = 0; s < NSLOT; s++)
        if (!vblk.req[s])
            return s;
    return -1;
}

/* Fills slot s's descriptors for r (FLUSH has no data descriptor). */
static void fill_slot(int s, struct blkreq *r)
{
    struct vring_desc *d = descs();
    int h = 3 * s, st = 3 * s + 2;
    hdrs[s].type = (uint32)r->type;
    hdrs[s].reserved = 0;
    hdrs[s].sector = r->sector;
    statuses[s] = 0xff;
    d[h] = (struct vring_desc){(uint64)&hdrs[s], sizeof hdrs[s], VRING_DESC_F_NEXT, (uint16)(h + 1)};
    if (r->type == VIRTIO_BLK_T_FLUSH) {
        d[h].next = (uint16)st;
    } else {
        uint16 fl = VRING_DESC_F_NEXT | (r->type == VIRTIO_BLK_T_IN ? VRING_DESC_F_WRITE : 0);
        d[h + 1] = (struct vring_desc){(uint64)r->data, r->len, fl, (uint16)st};
    }
    d[st] = (struct vring_desc){(uint64)&statuses[s], 1, VRING_DESC_F_WRITE, 0};
}

void vblk_start(struct blkreq *r)
{
    if (!vblk.base)
        panic("vblk_start: no disk");
    acquire(&vblk.lock);
    int s;
    while ((s = alloc_slot()) < 0) {
        if (myproc())
            sleep(&vblk.nfree, &vblk.lock);
        else
            collect();
    }
    r->done = 0;
    vblk.req[s] = r;
    vblk.nfree--;
    fill_slot(s, r);
    volatile uint16 *a = avail();
    a[2 + vblk.avail_idx % QNUM] = (uint16)(3 * s);
    __sync_synchronize();
    a[1] = ++vblk.avail_idx;
    __sync_synchronize();
    vblk.submitted++;
    if (NSLOT - vblk.nfree > (int)vblk.max_inflight)
        vblk.max_inflight = (uint64)(NSLOT - vblk.nfree);
    trace_blk_submit(s, r->type, r->sector, r->len);
    *reg(VIO_QUEUE_NOTIFY) = 0;
    release(&vblk.lock);
}

int vblk_wait(struct blkreq *r)
{
    acquire(&vblk.lock);
    while (!r->done) {
        if (myproc())
            sleep(r, &vblk.lock);
        else
            collect();
    }
    release(&vblk.lock);
    return r->status;
}

int vblk_rw(int type, uint64 sector, void *data, uint32 len)
{
    struct blkreq r = {.type = type, .sector = sector, .data = data, .len = len};
    vblk_start(&r);
    return vblk_wait(&r);
}
