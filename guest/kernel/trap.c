/*
 * trap.c — every way into the kernel after boot: interrupts, exceptions and
 * system calls, from S-mode (kerneltrap via kernelvec.S) and from U-mode
 * (usertrap via the trampoline's uservec).
 *
 * Interrupts: SSIP is the clock (raised by the M-mode timer, see mtimer.S),
 * SEIP is the PLIC (the UART and the disk). A tick may end the running
 * process's time slice: then the trap handler preempts it with yield().
 * Exceptions from the kernel are bugs: panic with the trap's CSRs. Exceptions
 * from user mode kill the process with a one-line report; the kernel goes on.
 * usertrapret() is the only way back to user mode: it fills the trapframe's
 * kernel fields for the next trap and jumps to the trampoline's userret.
 */
#include "kernel.h"
#include "proc.h"

extern char kernelvec[], trampoline[], uservec[], userret[];

static const char *exception_names[16] = {
    "instruction address misaligned", "instruction access fault",
    "illegal instruction", "breakpoint", "load address misaligned",
    "load access fault", "store/AMO address misaligned", "store/AMO access fault",
    "environment call from U-mode", "environment call from S-mode", "reserved (10)",
    "environment call from M-mode", "instruction page fault", "load page fault",
    "reserved (14)", "store/AMO page fault",
};

const char *trap_cause_name(uint64 scause)
{
    uint64 code = scause & ~SCAUSE_INTR;
    if (scause & SCAUSE_INTR) {
        switch (code) {
        case 1: return "supervisor software interrupt (timer tick)";
        case 5: return "supervisor timer interrupt";
        case 9: return "supervisor external interrupt";
        default: return "unknown interrupt";
        }
    }
    return code < 16 ? exception_names[code] : "unknown exception";
}

void trap_init(void)
{
    w_stvec((uint64)kernelvec);
}

/* Handles an interrupt: 1 = device, 2 = clock tick, 0 = not an interrupt. */
static int devintr(uint64 scause)
{
    if ((scause & SCAUSE_INTR) && scause != (SCAUSE_INTR | IRQ_S_EXT) &&
        scause != (SCAUSE_INTR | IRQ_S_SOFT))
        panic("unexpected interrupt: %s", trap_cause_name(scause));
    if (scause == (SCAUSE_INTR | IRQ_S_EXT)) {
        int irq = plic_claim();
        if (irq == UART0_IRQ)
            uart_intr();
        else if (irq && irq == vblk_irq())
            vblk_intr();
        else if (irq)
            kprintf("trap: unexpected irq %d\n", irq);
        if (irq)
            plic_complete(irq);
        return 1;
    }
    if (scause == (SCAUSE_INTR | IRQ_S_SOFT)) {
        w_sip(r_sip() & ~SIP_SSIP);
        timer_tick();
        return 2;
    }
    return 0;
}

/* After a tick: preempt the running process if its slice is used up. */
static void maybe_preempt(void)
{
    struct proc *p = myproc();
    if (p && p->state == RUNNING && p->slice_ticks >= sched_quantum)
        yield(SW_PREEMPT);
}

void kerneltrap(void)
{
    uint64 sepc = r_sepc(), sstatus = r_sstatus(), scause = r_scause();
    if ((sstatus & SSTATUS_SPP) == 0)
        panic("kerneltrap: not from supervisor mode");
    if (intr_get())
        panic("kerneltrap: interrupts enabled");
    int which = devintr(scause);
    if (which == 0)
        panic_trap("exception in kernel mode", scause, sepc, r_stval(), r_fp());
    if (which == 2)
        maybe_preempt();
    w_sepc(sepc);        /* yield() may have run other traps meanwhile */
    w_sstatus(sstatus);
}

static void user_exception(struct proc *p, uint64 scause)
{
    kprintf("pid %d (%s): killed: %s at pc=%p stval=%p\n", p->pid, p->name,
            trap_cause_name(scause), r_sepc(), r_stval());
    proc_setkilled(p);
}

void usertrap(void)
{
    if (r_sstatus() & SSTATUS_SPP)
        panic("usertrap: not from user mode");
    w_stvec((uint64)kernelvec);
    struct proc *p = myproc();
    p->trapframe->epc = r_sepc();
    uint64 scause = r_scause();
    int which = 0;
    if (scause == EXC_ECALL_U) {
        if (proc_killed(p))
            proc_exit(-1);
        p->trapframe->epc += 4;
        intr_on();
        syscall();
    } else if ((which = devintr(scause)) == 0) {
        user_exception(p, scause);
    }
    if (proc_killed(p))
        proc_exit(-1);
    if (which == 2)
        maybe_preempt();
    usertrapret();
}

void usertrapret(void)
{
    struct proc *p = myproc();
    intr_off();
    w_stvec(TRAMPOLINE + (uservec - trampoline));
    p->trapframe->kernel_satp = r_satp();
    p->trapframe->kernel_sp = p->kstack;
    p->trapframe->kernel_trap = (uint64)usertrap;
    w_sstatus((r_sstatus() & ~SSTATUS_SPP) | SSTATUS_SPIE);
    w_sepc(p->trapframe->epc);
    void (*ret)(uint64) = (void (*)(uint64))(TRAMPOLINE + (userret - trampoline));
    ret(MAKE_SATP(p->pagetable));
    __builtin_unreachable();
}
