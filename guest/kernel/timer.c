/*
 * timer.c — the S-mode side of the clock: the tick counter and time slices.
 *
 * The M-mode handler (mtimer.S) raises SSIP TICK_HZ times per second; trap.c
 * clears it and calls timer_tick(). A tick advances `ticks`, charges the
 * running process one tick of its time slice, wakes sleepers waiting on
 * &ticks, and fires the timer tracepoint. Whether the slice is used up
 * (slice_ticks >= sched_quantum) is decided by the trap code, which then
 * preempts with yield(SW_PREEMPT).
 */
#include "kernel.h"
#include "proc.h"

volatile uint64 ticks;
uint64 sched_quantum = DEFAULT_QUANTUM;

void timer_tick(void)
{
    acquire(&proc_lock);
    ticks++;
    struct proc *p = cpu0.proc;
    if (p) {
        p->st.ticks++;
        p->slice_ticks++;
    }
    trace_timer_tick(ticks, p ? p->pid : 0);
    wakeup_locked((void *)&ticks);
    release(&proc_lock);
}

/* CLINT mtime through the time CSR (mcounteren.TM lets S-mode read it). */
uint64 timer_now(void)
{
    return r_time();
}
