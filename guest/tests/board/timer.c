/*
 * timer.c - the CLINT timer through the M-mode trap vector. Arms mtimecmp 10000 ticks
 * (1 ms at 10 MHz) ahead, sleeps in WFI and counts interrupts in the handler, which checks
 * mcause and disarms the timer by writing all-ones to mtimecmp. Three rounds; each must wake
 * no earlier than its deadline. Also checks a machine software interrupt raised through
 * CLINT msip.
 */
#include "board.h"

#define TICKS 10000UL

static volatile int timer_hits;
static volatile int soft_hits;
static volatile u64 last_cause;

__attribute__((interrupt("machine"), aligned(4))) static void trap(void)
{
    u64 cause = csr_read(mcause);
    last_cause = cause;
    if (cause == (MCAUSE_INT | 7)) {
        mmio_w64(CLINT_MTIMECMP, ~0UL);
        timer_hits++;
    } else if (cause == (MCAUSE_INT | 3)) {
        mmio_w32(CLINT_MSIP, 0);
        soft_hits++;
    } else {
        puts("timer: unexpected trap ");
        puthex(cause);
        putc('\n');
        board_exit(99);
    }
}

static int one_round(int round)
{
    u64 start = mmio_r64(CLINT_MTIME);
    u64 deadline = start + TICKS;
    mmio_w64(CLINT_MTIMECMP, deadline);
    wait_until(&timer_hits, round);
    u64 now = mmio_r64(CLINT_MTIME);
    return check(now >= deadline && last_cause == (MCAUSE_INT | 7), "timer woke after its deadline");
}

int main(void)
{
    int bad = 0;
    mmio_w64(CLINT_MTIMECMP, ~0UL);
    csr_write(mtvec, (u64)trap);
    csr_write(mie, MIE_MTIE | MIE_MSIE);
    csr_set(mstatus, MSTATUS_MIE);
    for (int r = 1; r <= 3; r++)
        bad += one_round(r);
    mmio_w32(CLINT_MSIP, 1);
    wait_until(&soft_hits, 1);
    bad += check(soft_hits == 1 && mmio_r32(CLINT_MSIP) == 0, "software interrupt via msip");
    u64 t0 = csr_read(time);
    u64 m0 = mmio_r64(CLINT_MTIME);
    bad += check(t0 <= m0 && m0 - t0 < 1000, "time CSR follows CLINT mtime");
    puts("timer: ");
    putdec(timer_hits);
    puts(" timer interrupts\n");
    return bad;
}
