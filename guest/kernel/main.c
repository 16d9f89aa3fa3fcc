/*
 * main.c — S-mode kernel initialisation, entered from start() by mret.
 *
 * Order matters: the console first (so panics can speak), then the frame
 * allocator, the kernel page table (which needs frames) and paging, then
 * traps and the PLIC, and finally the process table and the first process.
 * Interrupts stay off until the scheduler enables them.
 */
#include "kernel.h"

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
    uart_enable_rx();
    uint64 nfree, nused;
    kalloc_stats(&nfree, &nused);
    kprintf("tiny-os: %ld pages free, %ld used, tick %d Hz, quantum %ld ticks\n", nfree, nused,
            TICK_HZ, sched_quantum);
    user_init();
    scheduler();
}
