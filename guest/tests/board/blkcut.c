/*
 * blkcut.c - the drive's write cache seen from the guest, for the power-cut tests
 * (dev.tinyos.core.machine.PowerCutTest). It prints a marker at each stage so the host can
 * cut the power there:
 *   1. write sector 1 (all 0x11) and FLUSH           -> on the image whatever happens next
 *   2. write sector 2 (all 0x22), no flush; read it back (the guest reads its own write)
 *   3. submit a write of sector 3 (all 0x33), print "blkcut: in flight", then wait for it
 *   4. print "blkcut: unflushed", spin a while (room for a cut), then exit through the
 *      finisher (a clean shutdown writes sectors 2 and 3 back).
 * On the image: sector 1 always; sectors 2 and 3 only after a clean shutdown.
 */
#include "vblk.h"

static u8 buf[512];

static void fill(u8 v)
{
    for (int i = 0; i < 512; i++)
        buf[i] = v;
}

static int all(u8 v)
{
    for (int i = 0; i < 512; i++)
        if (buf[i] != v)
            return 0;
    return 1;
}

static void spin(long n)
{
    for (volatile long i = 0; i < n; i++)
        ;
}

int main(void)
{
    int bad = 0;
    u32 n;
    if (check(vblk_init(), "virtio-blk found and initialised"))
        return 1;
    fill(0x11);
    bad += check(vblk_request(VBLK_OUT, 1, buf, 512, 0, &n) == 0, "write sector 1");
    bad += check(vblk_request(VBLK_FLUSH, 0, buf, 0, 0, &n) == 0, "flush");
    fill(0x22);
    bad += check(vblk_request(VBLK_OUT, 2, buf, 512, 0, &n) == 0, "write sector 2 (not flushed)");
    fill(0);
    bad += check(vblk_request(VBLK_IN, 2, buf, 512, 1, &n) == 0 && all(0x22), "read sector 2 back");
    fill(0x33);
    vblk_submit(VBLK_OUT, 3, buf, 512, 0);
    puts("blkcut: in flight\n");
    bad += check(vblk_wait(&n) == 0, "write sector 3 (not flushed)");
    puts("blkcut: unflushed\n");
    spin(20000);
    puts("blkcut: clean shutdown\n");
    return bad;
}
