/*
 * proc.c — the process table and the life of a process.
 *
 *   proc_alloc ──> USED ──(fork / kthread_create)──> RUNNABLE <──> RUNNING
 *                                  SLEEPING <──(sleep/wakeup, sched.c)──┘
 *   RUNNING ──proc_exit──> ZOMBIE ──parent's proc_wait──> UNUSED
 *
 * Every slot owns a kernel stack (mapped once at boot by vm.c). A fresh
 * process first runs forkret(), which finishes the scheduler's switch and
 * then either runs its kernel-thread body or returns to user mode.
 * Exit keeps the slot (and its memory) as a ZOMBIE until the parent reaps it;
 * children of an exiting process are handed to init, which reaps orphans.
 * kill only sets a flag (and wakes a sleeper): the victim notices it at the
 * next user/kernel boundary and exits there, never in the middle of a
 * kernel operation.
 */
#include "kernel.h"
#include "proc.h"
#include "file.h"
#include "../lib/fsfmt.h"

struct proc proc_table[NPROC];
struct spinlock proc_lock;
static struct proc *initproc;
static int next_pid = 1;

static const char *state_names[] = {"unused", "used", "sleep", "runnable", "running", "zombie"};

void proc_init(void)
{
    spin_init(&proc_lock, "proc");
    for (int i = 0; i < NPROC; i++) {
        proc_table[i].slot = i;
        proc_table[i].kstack = KSTACK_TOP(i);
        proc_table[i].state = UNUSED;
    }
}

struct proc *myproc(void)
{
    push_off();
    struct proc *p = cpu0.proc;
    pop_off();
    return p;
}

/* The first code a new process runs, entered from the scheduler's swtch. */
static void forkret(void)
{
    release(&proc_lock);
    struct proc *p = myproc();
    if (p->kfn) {
        intr_on();            /* kernel threads run preemptibly */
        p->kfn(p->karg);
        proc_exit(0);
    }
    usertrapret();
}

static void reset_slot(struct proc *p, int pid)
{
    p->pid = pid;
    p->killed = p->xstatus = 0;
    p->chan = 0;
    p->parent = 0;
    p->slice_ticks = 0;
    memset(&p->st, 0, sizeof p->st);
    p->st.start_tick = ticks;
    p->pagetable = 0;
    p->brk = 0;
    p->trapframe = 0;
    p->kfn = 0;
    p->karg = 0;
    p->name[0] = 0;
    memset(p->ofile, 0, sizeof p->ofile);
    p->cwd_subvol = FS_TOP_SUBVOL;
    p->cwd_ino = FS_ROOT_INO;
    p->pgid = pid;
    memset(&p->ctx, 0, sizeof p->ctx);
    p->ctx.ra = (uint64)forkret;
    p->ctx.sp = p->kstack;
}

/* Claims an UNUSED slot (state USED, not yet runnable); 0 if the table is full. */
struct proc *proc_alloc(void)
{
    acquire(&proc_lock);
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->state == UNUSED) {
            reset_slot(p, next_pid++);
            p->state = USED;
            release(&proc_lock);
            return p;
        }
    }
    release(&proc_lock);
    return 0;
}

/* Releases the slot's memory; caller holds proc_lock or owns p exclusively. */
static void proc_free(struct proc *p)
{
    if (p->pagetable)
        uvm_free(p->pagetable);
    if (p->trapframe)
        kfree(p->trapframe);
    p->pagetable = 0;
    p->trapframe = 0;
    p->pid = 0;
    p->parent = 0;
    p->state = UNUSED;
}

/* Makes a USED process runnable under the given parent. */
static void proc_start(struct proc *p, struct proc *parent)
{
    acquire(&proc_lock);
    p->parent = parent;
    p->state = RUNNABLE;
    trace_proc_create(p->pid, parent ? parent->pid : 0, p->name);
    release(&proc_lock);
}

int kthread_create(void (*fn)(uint64), uint64 arg, const char *name)
{
    struct proc *p = proc_alloc();
    if (!p)
        return -1;
    p->kfn = fn;
    p->karg = arg;
    strncpy_z(p->name, name, sizeof p->name);
    proc_start(p, myproc());
    return p->pid;
}

/*
 * init's kernel half: boot self-tests that need processes, then exec init:
 * /bin/init when the disk holds a file system (disk_has_fs: main.c looked
 * at the superblocks), else (or if that fails) the embedded boot prompt.
 */
static void init_main(uint64 arg)
{
    (void)arg;
    char *argv[] = {"init", 0}, *disk_argv[] = {"/bin/init", 0};
    selftest_boot();
    fd_console_init(myproc());
    if ((!disk_has_fs || exec("/bin/init", disk_argv) < 0) && exec("init", argv) < 0)
        panic("init: cannot exec the init program");
    myproc()->kfn = 0;
    usertrapret();
}

void user_init(void)
{
    int pid = kthread_create(init_main, 0, "init");
    initproc = &proc_table[0];
    if (pid != 1 || initproc->pid != 1)
        panic("user_init: init is not pid 1");
}

int proc_fork(void)
{
    struct proc *p = myproc(), *np = proc_alloc();
    if (!np)
        return -1;
    np->trapframe = kalloc();
    if (!np->trapframe || !(np->pagetable = uvm_create((uint64)np->trapframe)) ||
        uvm_copy(p->pagetable, np->pagetable) < 0) {
        acquire(&proc_lock);
        proc_free(np);
        release(&proc_lock);
        return -1;
    }
    memcpy(np->trapframe, p->trapframe, sizeof *p->trapframe);
    np->trapframe->regs[REG_A0] = 0;     /* fork returns 0 in the child */
    memcpy(np->name, p->name, sizeof p->name);
    np->brk = p->brk;                    /* uvm_copy copied the heap pages */
    fd_fork(p, np);
    np->pgid = p->pgid;
    int pid = np->pid;
    proc_start(np, p);
    return pid;
}

/* Hands p's children to init; caller holds proc_lock. */
static void reparent(struct proc *p)
{
    for (struct proc *q = proc_table; q < &proc_table[NPROC]; q++) {
        if (q->parent == p) {
            q->parent = initproc;
            if (q->state == ZOMBIE)
                wakeup_locked(initproc);
        }
    }
}

void proc_exit(int status)
{
    struct proc *p = myproc();
    if (p == initproc)
        panic("init exited with status %d", status);
    fd_exit(p);
    acquire(&proc_lock);
    reparent(p);
    if (p->parent)
        wakeup_locked(p->parent);
    p->xstatus = status;
    p->state = ZOMBIE;
    trace_proc_exit(p->pid, (uint64)(int64)status);
    sched(SW_EXIT);
    panic("proc_exit: zombie %d ran again", p->pid);
}

/* Frees zombie q after copying its status out; caller holds proc_lock. */
static int reap(struct proc *p, struct proc *q, uint64 ustatus)
{
    int pid = q->pid;
    if (ustatus && copyout(p->pagetable, ustatus, &q->xstatus, sizeof q->xstatus) < 0)
        return -2;
    proc_free(q);
    return pid;
}

/* Reaps one zombie child; its status goes to user address ustatus (if != 0). */
int proc_wait(uint64 ustatus)
{
    struct proc *p = myproc();
    int ret = -1;
    acquire(&proc_lock);
    for (;;) {
        int have_kids = 0;
        for (struct proc *q = proc_table; q < &proc_table[NPROC]; q++) {
            if (q->parent != p || q->state == UNUSED)
                continue;
            have_kids = 1;
            if (q->state == ZOMBIE) {
                ret = reap(p, q, ustatus);
                goto out;
            }
        }
        if (!have_kids || p->killed)
            goto out;
        sleep(p, &proc_lock);
    }
out:
    release(&proc_lock);
    return ret == -2 ? user_fault(ustatus, "wait") : ret;
}

/* Reaps one zombie child without sleeping: its pid, 0 if children still run, -1 if none. */
int proc_waitnb(uint64 ustatus)
{
    struct proc *p = myproc();
    int ret = -1;
    acquire(&proc_lock);
    for (struct proc *q = proc_table; q < &proc_table[NPROC]; q++) {
        if (q->parent != p || q->state == UNUSED)
            continue;
        if (q->state == ZOMBIE) {
            ret = reap(p, q, ustatus);
            break;
        }
        ret = 0;
    }
    release(&proc_lock);
    return ret == -2 ? user_fault(ustatus, "waitnb") : ret;
}

/* Marks pid for death; init (pid 1) cannot be killed. */
int proc_kill(int pid)
{
    if (pid == 1)
        return -1;
    acquire(&proc_lock);
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE) {
            p->killed = 1;
            if (p->state == SLEEPING)
                p->state = RUNNABLE;   /* it re-checks killed where it slept */
            release(&proc_lock);
            return 0;
        }
    }
    release(&proc_lock);
    return -1;
}

int proc_killed(struct proc *p)
{
    return *(volatile int *)&p->killed;
}

void proc_setkilled(struct proc *p)
{
    acquire(&proc_lock);
    p->killed = 1;
    release(&proc_lock);
}

int proc_count(void)
{
    int n = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        n += p->state != UNUSED;
    return n;
}

/* A readable name for what a sleeper waits on. */
static const char *chan_name(void *chan)
{
    if (chan == 0)
        return "-";
    if (chan == (void *)&ticks)
        return "ticks";
    if ((struct proc *)chan >= proc_table && (struct proc *)chan < &proc_table[NPROC])
        return "child-exit";
    return "other";
}

/* The process table with scheduler statistics (the pstat system call). */
void proc_dump(void)
{
    uint64 nfree, nused;
    kalloc_stats(&nfree, &nused);
    kprintf("tick %ld: %ld switches, idle %ld times, quantum %ld, pages free %ld used %ld\n",
            ticks, cpu0.switches, cpu0.idle_entries, sched_quantum, nfree, nused);
    kprintf("%-5s %-5s %-9s %-12s %8s %8s %8s %8s  %s\n", "pid", "ppid", "state", "name", "runs",
            "preempt", "volunt", "ticks", "chan");
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->state == UNUSED)
            continue;
        kprintf("%-5d %-5d %-9s %-12s %8ld %8ld %8ld %8ld  %s\n", p->pid, p->parent ? p->parent->pid : 0,
                state_names[p->state], p->name, p->st.runs, p->st.preempted, p->st.voluntary,
                p->st.ticks, chan_name(p->chan));
    }
}
