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
