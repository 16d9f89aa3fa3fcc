/*
 * vblk.h - the minimal virtio-blk driver the board programs share (blk.c, blkcut.c): the
 * virtio-mmio version 2 transport in slot 0 (0x10001000, PLIC source 1), interrupt driven.
 * vblk_init() negotiates VERSION_1 + FLUSH and sets up one 8-entry split virtqueue; each
 * request is one descriptor chain
 *   header (16 bytes, device-readable) -> data (device-readable or -writable) -> status (1 byte)
 * in descriptors 0..2, so only one request is outstanding at a time: vblk_submit() queues it
 * and notifies, vblk_wait() sleeps (wait_until on the interrupt count) until the used-buffer
 * interrupt. Included by exactly one .c file per program (the functions are static).
 */
#ifndef VBLK_H
#define VBLK_H
#include "board.h"

#define VIO(off) (VIRTIO_BASE + (off))
#define QN 8
#define ST_ACK 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define F_FLUSH (1u << 9)
#define D_NEXT 1
#define D_WRITE 2
#define VBLK_IN 0
#define VBLK_OUT 1
#define VBLK_FLUSH 4
#define VBLK_GET_ID 8

struct desc { u64 addr; u32 len; u16 flags; u16 next; };
struct avail { u16 flags; u16 idx; u16 ring[QN]; u16 used_event; };
struct used_elem { u32 id; u32 len; };
struct used { u16 flags; u16 idx; struct used_elem ring[QN]; u16 avail_event; };
struct req { u32 type; u32 reserved; u64 sector; };

static struct desc desc[QN] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static struct req hdr;
static volatile u8 status;
static volatile int irqs;
static int irqs_before;
static u16 used_before;

/* External interrupts only: acknowledge the device's interrupt and count it. */
__attribute__((interrupt("machine"), aligned(4))) static void vblk_trap(void)
{
    u64 cause = csr_read(mcause);
    if (cause != (MCAUSE_INT | 11)) {
        puts("blk: unexpected trap ");
        puthex(cause);
        putc('\n');
        board_exit(99);
    }
    u32 irq = mmio_r32(PLIC_CLAIM(0));
    if (irq == 1) {
        mmio_w32(VIO(0x064), mmio_r32(VIO(0x060)));
        irqs++;
    }
    mmio_w32(PLIC_CLAIM(0), irq);
}

static void vblk_irq_setup(void)
{
    mmio_w32(PLIC_PRIORITY(1), 1);
    mmio_w32(PLIC_ENABLE(0), 1u << 1);
    csr_write(mtvec, (u64)vblk_trap);
    csr_write(mie, MIE_MEIE);
    csr_set(mstatus, MSTATUS_MIE);
}

static int vblk_features(void)
{
    mmio_w32(VIO(0x070), 0);
    mmio_w32(VIO(0x070), ST_ACK | ST_DRIVER);
    mmio_w32(VIO(0x014), 1);
    if ((mmio_r32(VIO(0x010)) & 1) == 0)   /* VIRTIO_F_VERSION_1 is bit 32 */
        return 0;
    mmio_w32(VIO(0x024), 0);
    mmio_w32(VIO(0x020), F_FLUSH);
    mmio_w32(VIO(0x024), 1);
    mmio_w32(VIO(0x020), 1);
    mmio_w32(VIO(0x070), ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    return (mmio_r32(VIO(0x070)) & ST_FEATURES_OK) != 0;
}

/* Returns 1 if a modern virtio-blk answered in slot 0 and is ready for requests. */
static int vblk_init(void)
{
    if (mmio_r32(VIO(0)) != 0x74726976 || mmio_r32(VIO(4)) != 2 || mmio_r32(VIO(8)) != 2)
        return 0;
    vblk_irq_setup();
    if (!vblk_features())
        return 0;
    mmio_w32(VIO(0x030), 0);
    if (mmio_r32(VIO(0x044)) != 0 || mmio_r32(VIO(0x034)) < QN)
        return 0;
    mmio_w32(VIO(0x038), QN);
    mmio_w32(VIO(0x080), (u64)desc);
    mmio_w32(VIO(0x084), (u64)desc >> 32);
    mmio_w32(VIO(0x090), (u64)&avail);
    mmio_w32(VIO(0x094), (u64)&avail >> 32);
    mmio_w32(VIO(0x0a0), (u64)&used);
    mmio_w32(VIO(0x0a4), (u64)&used >> 32);
    mmio_w32(VIO(0x044), 1);
    mmio_w32(VIO(0x070), ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    return 1;
}

/* Queues one request on descriptors 0..2 and notifies; the device may finish it any time later. */
static void vblk_submit(u32 type, u64 sector, void *data, u32 data_len, int device_writes)
{
    hdr.type = type;
    hdr.sector = sector;
    status = 0xFF;
    desc[0] = (struct desc){(u64)&hdr, sizeof hdr, D_NEXT, 1};
    desc[1] = (struct desc){(u64)data, data_len, D_NEXT | (device_writes ? D_WRITE : 0), 2};
    desc[2] = (struct desc){(u64)&status, 1, D_WRITE, 0};
    if (data_len == 0)
        desc[0].next = 2;
    irqs_before = irqs;
    used_before = used.idx;
    avail.ring[avail.idx % QN] = 0;
    __sync_synchronize();
    avail.idx++;
    __sync_synchronize();
    mmio_w32(VIO(0x050), 0);
}

/* Sleeps until the submitted request completes; returns its status (-1: bad used ring). */
static int vblk_wait(u32 *used_len)
{
    wait_until(&irqs, irqs_before + 1);
    __sync_synchronize();
    if (used.idx != (u16)(used_before + 1) || used.ring[used_before % QN].id != 0)
        return -1;
    *used_len = used.ring[used_before % QN].len;
    return status;
}

/* Runs one request to completion: its status byte, the used length in *used_len. */
static int vblk_request(u32 type, u64 sector, void *data, u32 data_len, int device_writes, u32 *used_len)
{
    vblk_submit(type, sector, data, data_len, device_writes);
    return vblk_wait(used_len);
}
#endif
