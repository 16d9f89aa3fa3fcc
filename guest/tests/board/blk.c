/*
 * blk.c - the virtio-blk device through the small driver in vblk.h (virtio-mmio version 2,
 * slot 0, interrupt driven, one 512-byte request at a time). Checks: capacity, reads of a
 * known pattern (see mkdisk.py), a write + flush + read-back of sector 1 (left changed on the
 * image for the host to check), GET_ID, an out-of-range read (IOERR) and an unknown type
 * (UNSUPP).
 */
#include "vblk.h"

#define SECTORS 64

static u8 buf[512];

static int request(u32 type, u64 sector, u32 data_len, int device_writes, u32 *used_len)
{
    return vblk_request(type, sector, buf, data_len, device_writes, used_len);
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
    if (check(vblk_init(), "virtio-blk found and initialised"))
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
