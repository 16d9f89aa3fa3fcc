/*
 * start.c — M-mode setup, run once on hart 0 before dropping to S-mode.
 *
 * After reset we are in M-mode with paging off. start():
 *   1. delegates every exception and the supervisor interrupts to S-mode,
 *   2. opens physical memory to S/U through one all-covering PMP entry,
 *   3. lets S-mode read the time CSR (mcounteren),
 *   4. programs the CLINT timer and installs the M-mode timer vector
 *      (mtimer.S), which turns each MTIP into an S-mode SSIP,
 *   5. "returns" with mret into main() in S-mode.
 * It also keeps the device tree's address (a1) for kalloc_init.
 * Nothing else ever runs in M-mode.
 */
#include "kernel.h"

void main(void);
void mtrapvec(void);

/* Layout shared with mtimer.S. */
struct mscratch {
    uint64 save[3];
    uint64 mtimecmp_addr;
    uint64 interval;
    uint64 mtime_addr;
};

static struct mscratch mscratch0;

static void timer_init_m(void)
{
    volatile uint64 *mtime = (volatile uint64 *)CLINT_MTIME;
    volatile uint64 *mtimecmp = (volatile uint64 *)CLINT_MTIMECMP(0);
    mscratch0.mtimecmp_addr = (uint64)mtimecmp;
    mscratch0.interval = MTIME_HZ / TICK_HZ;
    mscratch0.mtime_addr = (uint64)mtime;
    *mtimecmp = *mtime + mscratch0.interval;
    w_mscratch((uint64)&mscratch0);
    w_mtvec((uint64)mtrapvec);
    w_mie(r_mie() | MIE_MTIE);
}

uint64 boot_dtb;

/* a0 = hart id, a1 = the device tree, as _entry received them. */
void start(uint64 hartid, uint64 dtb)
{
    (void)hartid;
    boot_dtb = dtb; /* read by kalloc_init for the size of RAM */
    w_mstatus((r_mstatus() & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S);
    w_mepc((uint64)main);
    w_satp(0);
    w_medeleg(0xffff);
    w_mideleg(SIE_SSIE | SIE_STIE | SIE_SEIE);
    w_sie(SIE_SSIE | SIE_SEIE);   /* ticks arrive as SSIP; STIP is unused */
    w_pmpaddr0(0x3fffffffffffffUL);
    w_pmpcfg0(0xf);               /* TOR, R W X: all of memory */
    w_mcounteren(0x7);            /* cycle, time, instret readable below M */
    timer_init_m();
    asm volatile("mret");
}
