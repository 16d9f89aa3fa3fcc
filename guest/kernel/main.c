/*
 * main.c — S-mode kernel initialisation, entered from start() by mret.
 *
 * Order matters: the console first (so panics can speak), then the frame
 * allocator, the kernel page table (which needs frames) and paging, then
 * traps and the PLIC, the process table, the disk (polled: there is no
 * process to put to sleep yet), and finally the first process.
 * Interrupts stay off until the scheduler enables them.
 */
#include "kernel.h"
#include "buf.h"
#include "virtio.h"
#include "../lib/kvfmt.h"

int disk_has_fs;

/*
 * Does any superblock slot look like a file system's (magic, type, version 2,
 * an FS root tree)? A hint read by polling, before any process exists: it
 * decides whether init comes from /bin/init. Checksums are the mount's job.
 */
static int probe_fs(uint8 *buf)
{
    for (int slot = 0; slot < KV_SUPER_SLOTS; slot++) {
        const struct kv_super *s = (const struct kv_super *)buf;
        if (vblk_rw(VIRTIO_BLK_T_IN, KV_SUPER_BLOCK(slot) * SECTORS_PER_BLOCK, buf, BSIZE) == 0 &&
            s->h.magic == KV_MAGIC && s->h.type == KV_BT_SUPER && s->version >= 2 &&
            s->fsroot[0].blockno != 0)
            return 1;
    }
    return 0;
}

/* Finds the disk and reads block 0 by polling (no process exists yet). */
static void disk_init(void)
{
    static uint8 probe[BSIZE] __attribute__((aligned(16)));
    binit();
    if (vblk_init() < 0) {
        kprintf("tiny-os: no disk\n");
        return;
    }
    int r = vblk_rw(VIRTIO_BLK_T_IN, 0, probe, BSIZE);
    kprintf("tiny-os: disk in virtio-mmio slot %d (version %d%s), %ld blocks of 4 KiB%s\n",
            vblk_slot(), vblk_version(), vblk_version() == 1 ? ", legacy" : "",
            vblk_sectors() / SECTORS_PER_BLOCK, r == 0 ? "" : ", block 0 unreadable");
    disk_has_fs = probe_fs(probe);
}

void main(void)
{
    uart_init();
    console_init();
    kprintf("\ntiny-os: booting (RV64, S-mode, hart 0)\n");
    kalloc_init();
    kvm_init();
    kvm_inithart();
    trap_init();
    plic_init();
    proc_init();
    disk_init();
    uart_enable_rx();
    uint64 nfree, nused;
    kalloc_stats(&nfree, &nused);
    kprintf("tiny-os: %ld pages free, %ld used, tick %d Hz, quantum %ld ticks\n", nfree, nused,
            TICK_HZ, sched_quantum);
    user_init();
    scheduler();
}
