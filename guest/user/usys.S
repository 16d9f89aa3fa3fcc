# usys.S — user-side system call stubs: number in a7, ecall, result in a0.
# One stub per entry of lib/syscall_nr.h.
#include "../lib/syscall_nr.h"

        .macro  SYSCALL name, num
        .globl  \name
        .section .text
\name:
        li      a7, \num
        ecall
        ret
        .endm

        SYSCALL fork, SYS_fork
        SYSCALL exit, SYS_exit
        SYSCALL wait, SYS_wait
        SYSCALL getpid, SYS_getpid
        SYSCALL kill, SYS_kill
        SYSCALL sleep, SYS_sleep
        SYSCALL uptime, SYS_uptime
        SYSCALL yield, SYS_yield
        SYSCALL read, SYS_read
        SYSCALL write, SYS_write
        SYSCALL exec, SYS_exec
        SYSCALL poweroff, SYS_poweroff
        SYSCALL pstat, SYS_pstat
        SYSCALL sysinfo, SYS_sysinfo
        SYSCALL kstress, SYS_kstress
        SYSCALL quantum, SYS_quantum
        SYSCALL blkread, SYS_blkread
        SYSCALL blkwrite, SYS_blkwrite
        SYSCALL blksync, SYS_blksync
        SYSCALL blkinval, SYS_blkinval
        SYSCALL blkinfo, SYS_blkinfo
        SYSCALL kv_format, SYS_kv_format
        SYSCALL kv_mount, SYS_kv_mount
        SYSCALL kv_put, SYS_kv_put
        SYSCALL kv_get, SYS_kv_get
        SYSCALL kv_del, SYS_kv_del
        SYSCALL kv_next, SYS_kv_next
        SYSCALL kv_commit, SYS_kv_commit
        SYSCALL kv_stat, SYS_kv_stat
        SYSCALL open, SYS_open
        SYSCALL close, SYS_close
        SYSCALL lseek, SYS_lseek
        SYSCALL fstat, SYS_fstat
        SYSCALL stat, SYS_stat
        SYSCALL mkdir, SYS_mkdir
        SYSCALL rmdir, SYS_rmdir
        SYSCALL unlink, SYS_unlink
        SYSCALL rename, SYS_rename
        SYSCALL chdir, SYS_chdir
        SYSCALL getcwd, SYS_getcwd
        SYSCALL readdir, SYS_readdir
        SYSCALL fsync, SYS_fsync
        SYSCALL sync, SYS_sync
        SYSCALL mkfs, SYS_mkfs
        SYSCALL ftruncate, SYS_ftruncate
        SYSCALL snapshot, SYS_snapshot
        SYSCALL reflink, SYS_reflink
        SYSCALL fsinfo, SYS_fsinfo
        SYSCALL subvol, SYS_subvol
        SYSCALL sbrk, SYS_sbrk
        SYSCALL kbug, SYS_kbug
        SYSCALL pipe, SYS_pipe
        SYSCALL dup, SYS_dup
        SYSCALL dup2, SYS_dup2
        SYSCALL setpgid, SYS_setpgid
        SYSCALL fgpgrp, SYS_fgpgrp
        SYSCALL waitnb, SYS_waitnb
        SYSCALL procs, SYS_procs
