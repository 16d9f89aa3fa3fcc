/*
 * syscall.c — the system call dispatcher and argument helpers.
 *
 * ABI (lib/syscall_nr.h): number in a7, arguments in a0..a5, result in a0.
 * syscall() fires the enter/exit tracepoints around the table call. Unknown
 * numbers return -1 with a message. A bad user pointer is never a kernel
 * fault: the copy helpers return -1, and the system call then calls
 * user_fault(), which reports one line and kills the process (it exits on
 * its way back to user mode, see usertrap).
 */
#include "kernel.h"
#include "proc.h"
#include "../lib/syscall_nr.h"

int64 sys_fork(void), sys_exit(void), sys_wait(void), sys_getpid(void), sys_kill(void);
int64 sys_sleep(void), sys_uptime(void), sys_yield(void), sys_read(void), sys_write(void);
int64 sys_exec(void), sys_poweroff(void), sys_pstat(void), sys_sysinfo(void);
int64 sys_kstress(void), sys_quantum(void);
int64 sys_blkread(void), sys_blkwrite(void), sys_blksync(void), sys_blkinval(void);
int64 sys_blkinfo(void);
int64 sys_kv_format(void), sys_kv_mount(void), sys_kv_put(void), sys_kv_get(void);
int64 sys_kv_del(void), sys_kv_next(void), sys_kv_commit(void), sys_kv_stat(void);
int64 sys_open(void), sys_close(void), sys_lseek(void), sys_fstat(void), sys_stat(void);
int64 sys_mkdir(void), sys_rmdir(void), sys_unlink(void), sys_rename(void), sys_chdir(void);
int64 sys_getcwd(void), sys_readdir(void), sys_fsync(void), sys_sync(void), sys_mkfs(void);
int64 sys_ftruncate(void), sys_snapshot(void), sys_reflink(void), sys_fsinfo(void), sys_subvol(void);
int64 sys_sbrk(void);
int64 sys_kbug(void);
int64 sys_pipe(void), sys_dup(void), sys_dup2(void), sys_setpgid(void), sys_fgpgrp(void), sys_waitnb(void);
int64 sys_procs(void);

static int64 (*const syscalls[SYS_COUNT])(void) = {
    [SYS_fork] = sys_fork,       [SYS_exit] = sys_exit,       [SYS_wait] = sys_wait,
    [SYS_getpid] = sys_getpid,   [SYS_kill] = sys_kill,       [SYS_sleep] = sys_sleep,
    [SYS_uptime] = sys_uptime,   [SYS_yield] = sys_yield,     [SYS_read] = sys_read,
    [SYS_write] = sys_write,     [SYS_exec] = sys_exec,       [SYS_poweroff] = sys_poweroff,
    [SYS_pstat] = sys_pstat,     [SYS_sysinfo] = sys_sysinfo, [SYS_kstress] = sys_kstress,
    [SYS_quantum] = sys_quantum, [SYS_blkread] = sys_blkread, [SYS_blkwrite] = sys_blkwrite,
    [SYS_blksync] = sys_blksync, [SYS_blkinval] = sys_blkinval, [SYS_blkinfo] = sys_blkinfo,
    [SYS_kv_format] = sys_kv_format, [SYS_kv_mount] = sys_kv_mount, [SYS_kv_put] = sys_kv_put,
    [SYS_kv_get] = sys_kv_get,   [SYS_kv_del] = sys_kv_del,   [SYS_kv_next] = sys_kv_next,
    [SYS_kv_commit] = sys_kv_commit, [SYS_kv_stat] = sys_kv_stat,
    [SYS_open] = sys_open,       [SYS_close] = sys_close,     [SYS_lseek] = sys_lseek,
    [SYS_fstat] = sys_fstat,     [SYS_stat] = sys_stat,       [SYS_mkdir] = sys_mkdir,
    [SYS_rmdir] = sys_rmdir,     [SYS_unlink] = sys_unlink,   [SYS_rename] = sys_rename,
    [SYS_chdir] = sys_chdir,     [SYS_getcwd] = sys_getcwd,   [SYS_readdir] = sys_readdir,
    [SYS_fsync] = sys_fsync,     [SYS_sync] = sys_sync,       [SYS_mkfs] = sys_mkfs,
    [SYS_ftruncate] = sys_ftruncate, [SYS_snapshot] = sys_snapshot, [SYS_reflink] = sys_reflink,
    [SYS_fsinfo] = sys_fsinfo,   [SYS_subvol] = sys_subvol,
    [SYS_sbrk] = sys_sbrk,
    [SYS_kbug] = sys_kbug,
    [SYS_pipe] = sys_pipe,       [SYS_dup] = sys_dup,         [SYS_dup2] = sys_dup2,
    [SYS_setpgid] = sys_setpgid, [SYS_fgpgrp] = sys_fgpgrp,   [SYS_waitnb] = sys_waitnb,
    [SYS_procs] = sys_procs,
};

/* Raw value of argument register a<n> of the current system call. */
uint64 argraw(int n)
{
    return myproc()->trapframe->regs[REG_A0 + n];
}

int user_fault(uint64 uaddr, const char *what)
{
    struct proc *p = myproc();
    kprintf("pid %d (%s): killed: bad pointer %p passed to %s\n", p->pid, p->name, uaddr, what);
    proc_setkilled(p);
    return -1;
}

void syscall(void)
{
    struct proc *p = myproc();
    struct trapframe *tf = p->trapframe;
    uint64 num = tf->regs[REG_A7];
    int64 ret;
    trace_syscall_enter(p->pid, num, tf->regs[REG_A0], tf->regs[REG_A0 + 1], tf->regs[REG_A0 + 2]);
    if (num < SYS_COUNT && syscalls[num]) {
        ret = syscalls[num]();
    } else {
        kprintf("pid %d (%s): unknown system call %ld\n", p->pid, p->name, num);
        ret = -1;
    }
    tf->regs[REG_A0] = (uint64)ret;
    trace_syscall_exit(p->pid, num, (uint64)ret);
}
