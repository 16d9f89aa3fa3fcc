/*
 * sysproc.c — the system calls themselves: argument decoding on top of the
 * process, console, exec and statistics code. Each sys_* reads its arguments
 * with argraw() and returns the value that lands in the caller's a0.
 */
#include "kernel.h"
#include "proc.h"
#include "file.h"
#include "../lib/syscall_nr.h"

uint64 argraw(int n);

int64 sys_fork(void) { return proc_fork(); }
int64 sys_exit(void) { proc_exit((int)argraw(0)); }
int64 sys_wait(void) { return proc_wait(argraw(0)); }
int64 sys_getpid(void) { return myproc()->pid; }
int64 sys_kill(void) { return proc_kill((int)argraw(0)); }
int64 sys_uptime(void) { return (int64)ticks; }
int64 sys_pstat(void) { proc_dump(); return 0; }

int64 sys_yield(void)
{
    yield(SW_YIELD);
    return 0;
}

/* Sleeps for n ticks; -1 if killed while sleeping. */
int64 sys_sleep(void)
{
    int64 n = (int64)argraw(0);
    struct proc *p = myproc();
    acquire(&proc_lock);
    uint64 t0 = ticks;
    while ((int64)(ticks - t0) < n) {
        if (p->killed) {
            release(&proc_lock);
            return -1;
        }
        sleep((void *)&ticks, &proc_lock);
    }
    release(&proc_lock);
    return 0;
}

/* read and write go through the descriptor table (file.c): 0, 1, 2 are the console. */
int64 sys_read(void) { return fd_read((int)argraw(0), argraw(1), (int)argraw(2)); }
int64 sys_write(void) { return fd_write((int)argraw(0), argraw(1), (int)argraw(2)); }

int64 sys_poweroff(void)
{
    int code = (int)argraw(0);
    kprintf("tiny-os: power off (code %d)\n", code);
    machine_halt(code == 0, code);
}

int64 sys_sysinfo(void)
{
    struct sysinfo si;
    kalloc_stats(&si.free_pages, &si.used_pages);
    acquire(&proc_lock);
    si.nproc = proc_count();
    si.ticks = ticks;
    si.quantum = sched_quantum;
    si.switches = cpu0.switches;
    release(&proc_lock);
    if (copyout(myproc()->pagetable, argraw(0), &si, sizeof si) < 0)
        return user_fault(argraw(0), "sysinfo");
    return 0;
}

int64 sys_kstress(void)
{
    return kstress_run((int)argraw(0), (int)argraw(1));
}

int64 sys_quantum(void)
{
    int64 n = (int64)argraw(0), old = (int64)sched_quantum;
    if (n > 0)
        sched_quantum = (uint64)n;
    return old;
}

/*
 * Copies the user argv array (at most MAXARG strings) into kernel memory:
 * strings go into page, pointers into argv (NULL-terminated). Returns 0, or
 * -1 after killing the caller if any pointer is bad.
 */
static int fetch_argv(uint64 uargv, char *page, char **argv)
{
    pagetable_t pt = myproc()->pagetable;
    int i = 0;
    for (; uargv != 0 && i < MAXARG; i++) {
        uint64 uarg;
        if (copyin(pt, &uarg, uargv + 8 * i, 8) < 0)
            return user_fault(uargv + 8 * i, "exec");
        if (uarg == 0)
            break;
        if (copyinstr(pt, page + i * MAXARGLEN, uarg, MAXARGLEN) < 0)
            return user_fault(uarg, "exec");
        argv[i] = page + i * MAXARGLEN;
    }
    argv[i] = 0;
    return 0;
}

int64 sys_exec(void)
{
    char name[256], *argv[MAXARG + 1];      /* a path: FS_PATH_MAX */
    uint64 uname = argraw(0);
    if (copyinstr(myproc()->pagetable, name, uname, sizeof name) < 0)
        return user_fault(uname, "exec");
    char *page = kalloc();
    if (!page)
        return -1;
    int64 ret = fetch_argv(argraw(1), page, argv) == 0 ? exec(name, argv) : -1;
    kfree(page);
    return ret;
}
