/*
 * blk.c - a minimal virtio-blk driver over the virtio-mmio version 2 transport in slot 0
 * (0x10001000, PLIC source 1), interrupt driven. It negotiates VERSION_1 + FLUSH, sets up
 * one 8-entry split virtqueue, and runs each request as a descriptor chain
 *   header (16 bytes, device-readable) -> data (512 bytes) -> status (1 byte, writable)
 * then sleeps until the used-buffer interrupt. Checks: capacity, reads of a known pattern
 * (see mkdisk.py), a write + flush + read-back of sector 1 (left changed on the image for
 * the host to check), GET_ID, an out-of-range read (IOERR) and an unknown type (UNSUPP).
 */
#include "board.h"

#define VIO(off) (VIRTIO_BASE + (off))
#define QN 8
#define SECTORS 64
#define ST_ACK 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define F_FLUSH (1u << 9)
#define D_NEXT 1
#define D_WRITE 2

struct desc { u64 addr; u32 len; u16 flags; u16 next; };
struct avail { u16 flags; u16 idx; u16 ring[QN]; u16 used_event; };
struct used_elem { u32 id; u32 len; };
struct used { u16 flags; u16 idx; struct used_elem ring[QN]; u16 avail_event; };
struct req { u32 type; u32 reserved; u64 sector; };

static struct desc desc[QN] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static struct req hdr;
static u8 buf[512];
static volatile u8 status;
static volatile int irqs;

__attribute__((interrupt("machine"), aligned(4))) static void trap(void)
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

static int init(void)
{
    if (mmio_r32(VIO(0)) != 0x74726976 || mmio_r32(VIO(4)) != 2 || mmio_r32(VIO(8)) != 2)
        return 0;
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
    if ((mmio_r32(VIO(0x070)) & ST_FEATURES_OK) == 0)
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

/* Runs one request; returns its status byte and stores the used length in *used_len. */
static int request(u32 type, u64 sector, u32 data_len, int device_writes, u32 *used_len)
{
    hdr.type = type;
    hdr.sector = sector;
    status = 0xFF;
    desc[0] = (struct desc){(u64)&hdr, sizeof hdr, D_NEXT, 1};
    desc[1] = (struct desc){(u64)buf, data_len, D_NEXT | (device_writes ? D_WRITE : 0), 2};
    desc[2] = (struct desc){(u64)&status, 1, D_WRITE, 0};
    if (data_len == 0)
        desc[0].next = 2;
    int before = irqs;
    u16 used_before = used.idx;
    avail.ring[avail.idx % QN] = 0;
    __sync_synchronize();
    avail.idx++;
    __sync_synchronize();
    mmio_w32(VIO(0x050), 0);
    wait_until(&irqs, before + 1);
    __sync_synchronize();
    if (used.idx != (u16)(used_before + 1) || used.ring[used_before % QN].id != 0)
        return -1;
    *used_len = used.ring[used_before % QN].len;
    return status;
}

static int pattern_ok(u64 sector)
{
    for (int i = 0; i < 512; i++)
        if (buf[i] != (u8)(31 * sector + sector * 512 + i))
            return 0;
    return 1;
}

int main(void)
{
    int bad = 0;
    u32 n;
    mmio_w32(PLIC_PRIORITY(1), 1);
    mmio_w32(PLIC_ENABLE(0), 1u << 1);
    csr_write(mtvec, (u64)trap);
    csr_write(mie, MIE_MEIE);
    csr_set(mstatus, MSTATUS_MIE);
    if (check(init(), "virtio-blk found and initialised"))
        return 1;
    u64 cap = mmio_r32(VIO(0x100)) | (u64)mmio_r32(VIO(0x104)) << 32;
    bad += check(cap == SECTORS, "capacity is 64 sectors");
    bad += check(request(0, 0, 512, 1, &n) == 0 && n == 513 && pattern_ok(0), "read sector 0");
    bad += check(request(0, 5, 512, 1, &n) == 0 && pattern_ok(5), "read sector 5");
    for (int i = 0; i < 512; i++)
        buf[i] = 0xA5 ^ i;
    bad += check(request(1, 1, 512, 0, &n) == 0 && n == 1, "write sector 1");
    bad += check(request(4, 0, 0, 0, &n) == 0, "flush");
    for (int i = 0; i < 512; i++)
        buf[i] = 0;
    int st = request(0, 1, 512, 1, &n);
    int same = 1;
    for (int i = 0; i < 512; i++)
        same &= buf[i] == (u8)(0xA5 ^ i);
    bad += check(st == 0 && same, "read back sector 1");
    bad += check(request(8, 0, 20, 1, &n) == 0, "GET_ID");
    bad += check(request(0, SECTORS, 512, 1, &n) == 1, "read past the end -> IOERR");
    bad += check(request(99, 0, 0, 0, &n) == 2, "unknown type -> UNSUPP");
    puts("blk: ");
    putdec(irqs);
    puts(" interrupts\n");
    return bad;
}
