/*
 * sched.c — the round-robin scheduler, sched/yield, and sleep/wakeup.
 *
 * The scheduler runs on the boot stack in its own context (cpu0.sched_ctx).
 * It scans the table circularly, starting after the slot that ran last, and
 * switches to the first RUNNABLE process. A process gives the CPU back
 * through sched(), always holding proc_lock and nothing else; the lock is
 * held across the switch and released by whoever runs next (the scheduler,
 * or forkret for a new process). That is what makes sleep/wakeup free of
 * lost wakeups: a sleeper marks itself SLEEPING under proc_lock before it
 * drops the lock that protects its condition, and wakeup() needs proc_lock.
 *
 * When nothing is runnable the scheduler executes WFI with interrupts
 * disabled: WFI still wakes on a pending enabled interrupt, and nothing can
 * slip in between "no one is runnable" and the WFI. An idle machine sleeps
 * until the next tick or UART byte instead of spinning.
 *
 * Every switch fires trace_sched_switch(prev, next, reason, tick), where
 * reason says why prev stopped (enum switch_reason); pid 0 is "idle".
 */
#include "kernel.h"
#include "proc.h"

struct cpu cpu0;
static int rr_next;

static struct proc *pick_next(void)
{
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = &proc_table[(rr_next + i) % NPROC];
        if (p->state == RUNNABLE) {
            rr_next = (p->slot + 1) % NPROC;
            return p;
        }
    }
    return 0;
}

static void run(struct proc *p)
{
    trace_sched_switch(cpu0.last_pid, p->pid, cpu0.last_reason, ticks);
    p->state = RUNNING;
    p->slice_ticks = 0;
    p->st.runs++;
    cpu0.switches++;
    cpu0.proc = p;
    swtch(&cpu0.sched_ctx, &p->ctx);
    cpu0.proc = 0;
}

static void note_idle(void)
{
    if (cpu0.last_pid == 0)
        return;
    trace_sched_switch(cpu0.last_pid, 0, cpu0.last_reason, ticks);
    cpu0.last_pid = 0;
    cpu0.last_reason = SW_IDLE;
    cpu0.idle_entries++;
}

void scheduler(void)
{
    cpu0.proc = 0;
    for (;;) {
        intr_off();
        acquire(&proc_lock);
        struct proc *p = pick_next();
        if (p) {
            run(p);
            release(&proc_lock);
            intr_on();          /* let pending interrupts in between switches */
            continue;
        }
        note_idle();
        release(&proc_lock);    /* interrupts stay off: intena was 0 */
        wfi();
        intr_on();              /* take whatever woke us */
    }
}

/* Switches to the scheduler; caller holds only proc_lock and set p->state. */
void sched(int reason)
{
    struct proc *p = myproc();
    if (!holding(&proc_lock))
        panic("sched: proc_lock not held");
    if (cpu0.noff != 1)
        panic("sched: %d locks held", cpu0.noff);
    if (p->state == RUNNING)
        panic("sched: process still RUNNING");
    if (intr_get())
        panic("sched: interrupts enabled");
    if (reason == SW_PREEMPT)
        p->st.preempted++;
    else if (reason == SW_YIELD || reason == SW_SLEEP)
        p->st.voluntary++;
    cpu0.last_pid = p->pid;
    cpu0.last_reason = reason;
    int intena = cpu0.intena;
    swtch(&p->ctx, &cpu0.sched_ctx);
    cpu0.intena = intena;
}

void yield(int reason)
{
    struct proc *p = myproc();
    acquire(&proc_lock);
    p->state = RUNNABLE;
    sched(reason);
    release(&proc_lock);
}

/* Atomically releases lk and sleeps on chan; reacquires lk before returning. */
void sleep(void *chan, struct spinlock *lk)
{
    struct proc *p = myproc();
    if (lk != &proc_lock) {
        acquire(&proc_lock);
        release(lk);
    }
    p->chan = chan;
    p->state = SLEEPING;
    trace_sleep(p->pid, (uint64)chan);
    sched(SW_SLEEP);
    p->chan = 0;
    if (lk != &proc_lock) {
        release(&proc_lock);
        acquire(lk);
    }
}

/* Wakes every process sleeping on chan; caller holds proc_lock. */
void wakeup_locked(void *chan)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->state == SLEEPING && p->chan == chan) {
            p->state = RUNNABLE;
            trace_wakeup(p->pid, (uint64)chan);
        }
    }
}

void wakeup(void *chan)
{
    acquire(&proc_lock);
    wakeup_locked(chan);
    release(&proc_lock);
}
