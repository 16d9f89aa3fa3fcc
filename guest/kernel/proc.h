/*
 * proc.h — the process control block, the per-CPU state and the trapframe.
 *
 * A process is a kernel stack (always), plus, for user processes, a page table
 * and a trapframe page. Kernel threads (used by the boot self-test and the
 * kstress test) have no page table and run entirely in S-mode.
 *
 * Locking: one table-wide lock, proc_lock, guards every field that another
 * process may read or write: state, chan, killed, xstatus, parent and the
 * statistics. The remaining fields are private to the running process.
 */
#ifndef TINYOS_PROC_H
#define TINYOS_PROC_H
#include "param.h"
#include "spinlock.h"

struct file;

/* Callee-saved registers saved by swtch(). */
struct context {
    uint64 ra, sp;
    uint64 s[12];
};

/*
 * Saved user registers plus the few kernel values the trampoline needs to
 * enter the kernel. Offsets are used by trampoline.S: keep them in sync
 * (TF_* constants there). One page per process, mapped at TRAPFRAME.
 */
struct trapframe {
    uint64 kernel_satp;   /*   0 */
    uint64 kernel_sp;     /*   8 */
    uint64 kernel_trap;   /*  16 */
    uint64 epc;           /*  24 */
    uint64 regs[32];      /*  32: x0..x31 by number (regs[0] unused) */
};
#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A7 17

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

/* Why the CPU left a process: the reason argument of trace_sched_switch. */
enum switch_reason { SW_YIELD = 1, SW_PREEMPT, SW_SLEEP, SW_EXIT, SW_IDLE };

struct pstats {
    uint64 runs;          /* times the scheduler switched to this process */
    uint64 preempted;     /* involuntary switches (quantum expired) */
    uint64 voluntary;     /* yield + sleep */
    uint64 ticks;         /* timer ticks that found it running */
    uint64 start_tick;
};

struct proc {
    enum procstate state;
    int pid;
    int killed;
    int xstatus;
    void *chan;                 /* sleeping on this channel, if SLEEPING */
    struct proc *parent;
    uint64 slice_ticks;         /* ticks used in the current time slice */
    struct pstats st;
    /* private to the process */
    int slot;                   /* index in the table: picks the kernel stack */
    uint64 kstack;              /* top of the kernel stack */
    pagetable_t pagetable;      /* user page table, 0 for kernel threads */
    uint64 brk;                 /* end of the heap [HEAP_BASE, brk) (sysheap.c) */
    struct trapframe *trapframe;
    struct context ctx;
    void (*kfn)(uint64);        /* kernel thread body */
    uint64 karg;
    char name[PROC_NAME_LEN];
    struct file *ofile[NOFILE]; /* open descriptors (file.c) */
    uint64 cwd_subvol, cwd_ino; /* working directory (fspath.c) */
    int pgid;                   /* process group: ^C kills the console's foreground group (job.c) */
};

struct cpu {
    struct proc *proc;          /* running process or 0 */
    struct context sched_ctx;   /* swtch() here to enter the scheduler */
    int noff;                   /* depth of push_off() nesting */
    int intena;                 /* were interrupts enabled before push_off()? */
    int last_pid;               /* process that ran last (0 = idle) */
    int last_reason;            /* why it stopped running */
    uint64 switches;
    uint64 idle_entries;
};

extern struct cpu cpu0;
extern struct proc proc_table[NPROC];
extern struct spinlock proc_lock;

#endif
