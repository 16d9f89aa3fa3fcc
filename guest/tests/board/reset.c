/*
 * reset.c - what the board looks like at the first instruction, as on QEMU 7.2: mtimecmp
 * reads 0, so mtime >= mtimecmp and MTIP is already pending in mip (QEMU recomputes the
 * timer line at reset); the UART idles with an empty transmitter; the seven empty
 * virtio-mmio slots answer magic "virt", version 2 (QEMU with force-legacy=false), device 0.
 */
#include "board.h"

int main(void)
{
    u64 mip = csr_read(mip);
    u64 cmp = mmio_r64(CLINT_MTIMECMP);
    int bad = 0;
    puts("reset: mip="); puthex(mip);
    puts(" mtimecmp="); puthex(cmp);
    putc('\n');
    bad += check(cmp == 0, "mtimecmp resets to 0");
    bad += check((mip & (1UL << 7)) != 0, "MTIP pending at reset (mtime >= mtimecmp = 0)");
    bad += check(mmio_r8(UART_BASE + 5) == 0x60, "UART LSR = THRE|TEMT");
    bad += check(mmio_r8(UART_BASE + 2) == 0x01, "UART IIR = no interrupt");
    for (int n = 1; n < 8; n++) {
        u64 slot = VIRTIO_BASE + 0x1000 * n;
        bad += check(mmio_r32(slot) == 0x74726976 && mmio_r32(slot + 4) == 2
                     && mmio_r32(slot + 8) == 0
                     && mmio_r32(slot + 12) == 0x554D4551, "empty virtio slot");
    }
    return bad;
}
