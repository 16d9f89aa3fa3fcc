/*
 * job.c — process groups and the console's foreground group: how Ctrl-C
 * reaches the program a shell is running (system calls 73-75).
 *
 * Every process has a pgid, inherited by fork; a new process starts in the
 * group of its parent (init's is 1). A shell puts each job it starts in a
 * group of its own (setpgid(0, 0) in the child, named after the job's first
 * process; the other processes of a pipeline join it) and, for a foreground
 * job, tells the console with fgpgrp(pgid); back at its prompt it sets 0.
 *
 * When ^C arrives (console.c) and a foreground group is set, job_interrupt
 * kills every process of that group (init never: it cannot be killed) the
 * way kill() does: a flag that the victim notices at its next kernel
 * boundary, a sleeper made runnable so it notices now. There are no signals:
 * the shell sees its child exit with status -1 like any killed process.
 * Background jobs are in other groups and keep running.
 *
 * procs (76) copies the process table out for ps: a program can print it
 * to a pipe or a file, unlike pstat, which prints on the console.
 */
#include "kernel.h"
#include "proc.h"
#include "../lib/syscall_nr.h"

uint64 argraw(int n);

/* Kills every live process of group pgid; how many. Takes proc_lock. */
int job_interrupt(int pgid)
{
    int n = 0;
    acquire(&proc_lock);
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->pgid != pgid || p->pid == 1 || p->state == UNUSED || p->state == ZOMBIE)
            continue;
        p->killed = 1;
        if (p->state == SLEEPING)
            p->state = RUNNABLE;   /* it re-checks killed where it slept */
        n++;
    }
    release(&proc_lock);
    return n;
}

/* int setpgid(int pid, int pgid): pid 0 = the caller, pgid 0 = pid; the caller or its child. */
int64 sys_setpgid(void)
{
    struct proc *me = myproc();
    int pid = (int)argraw(0), pgid = (int)argraw(1), r = -1;
    pid = pid ? pid : me->pid;
    pgid = pgid ? pgid : pid;
    if (pgid < 0)
        return -1;
    acquire(&proc_lock);
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->pid == pid && p->state != UNUSED && (p == me || p->parent == me)) {
            p->pgid = pgid;
            r = 0;
        }
    release(&proc_lock);
    return r;
}

/* int fgpgrp(int pgid): the group ^C kills (0 = none); the previous one. */
int64 sys_fgpgrp(void)
{
    int pgid = (int)argraw(0);
    return pgid < 0 ? -1 : console_fgpgrp(pgid);
}

int64 sys_waitnb(void) { return proc_waitnb(argraw(0)); }

/* Fills one struct procinfo from p; caller holds proc_lock. */
static void info_of(const struct proc *p, struct procinfo *pi)
{
    memset(pi, 0, sizeof *pi);
    pi->pid = p->pid;
    pi->ppid = p->parent ? p->parent->pid : 0;
    pi->pgid = p->pgid;
    pi->state = (int)p->state;
    strncpy_z(pi->name, p->name, sizeof pi->name);
    pi->runs = p->st.runs;
    pi->ticks = p->st.ticks;
}

/* int procs(struct procinfo *out, int max): the live processes, at most max; how many. */
int64 sys_procs(void)
{
    uint64 uout = argraw(0);
    int max = (int)argraw(1), n = 0;
    struct procinfo pi;
    for (int i = 0; i < NPROC && n < max; i++) {
        acquire(&proc_lock);
        int live = proc_table[i].state != UNUSED;
        if (live)
            info_of(&proc_table[i], &pi);
        release(&proc_lock);
        if (live && copyout(myproc()->pagetable, uout + n * sizeof pi, &pi, sizeof pi) < 0)
            return user_fault(uout + n * sizeof pi, "procs");
        n += live;
    }
    return n;
}
