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
