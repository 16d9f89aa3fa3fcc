/*
 * syscall_nr.h — the system call numbers: the ABI between user programs and
 * the kernel. A user program puts the number in a7 and the arguments in
 * a0..a5, executes ecall, and finds the result in a0 (negative = error).
 * Shared by kernel/syscall.c (the dispatch table) and user/usys.S (the stubs).
 */
#ifndef TINYOS_SYSCALL_NR_H
#define TINYOS_SYSCALL_NR_H

#define SYS_fork      1   /* int fork(void) */
#define SYS_exit      2   /* void exit(int status) */
#define SYS_wait      3   /* int wait(int *status) */
#define SYS_getpid    4   /* int getpid(void) */
#define SYS_kill      5   /* int kill(int pid) */
#define SYS_sleep     6   /* int sleep(int ticks) */
#define SYS_uptime    7   /* long uptime(void): ticks since boot */
#define SYS_yield     8   /* int yield(void) */
#define SYS_read      9   /* int read(int fd, void *buf, int n) */
#define SYS_write    10   /* int write(int fd, const void *buf, int n) */
#define SYS_exec     11   /* int exec(const char *name, char **argv) */
#define SYS_poweroff 12   /* void poweroff(int code): 0 = pass */
#define SYS_pstat    13   /* int pstat(void): print the process table with statistics */
#define SYS_sysinfo  14   /* int sysinfo(struct sysinfo *out) */
#define SYS_kstress  15   /* int kstress(int threads, int rounds): kernel stress test */
#define SYS_quantum  16   /* int quantum(int ticks): set the time slice, returns the old one */
#define SYS_blkread  17   /* int blkread(long block, void *buf): 4 KiB through the cache */
#define SYS_blkwrite 18   /* int blkwrite(long block, const void *buf): delayed write */
#define SYS_blksync  19   /* int blksync(void): write back every dirty block, flush */
#define SYS_blkinval 20   /* int blkinval(void): drop clean cached blocks; count */
#define SYS_blkinfo  21   /* int blkinfo(struct blkinfo *out): disk and cache counters */
#define SYS_COUNT    22

#ifndef __ASSEMBLER__
/* Filled by SYS_sysinfo. */
struct sysinfo {
    unsigned long free_pages;
    unsigned long used_pages;
    unsigned long nproc;       /* processes not UNUSED */
    unsigned long ticks;
    unsigned long quantum;     /* ticks per time slice */
    unsigned long switches;    /* context switches since boot */
};

/* Filled by SYS_blkinfo (which returns -1, filling nothing, without a disk). */
struct blkinfo {
    unsigned long nblocks;     /* 4 KiB blocks on the disk */
    unsigned long version;     /* virtio-mmio transport: 1 = legacy, 2 = modern */
    unsigned long slot;        /* virtio-mmio slot 0..7 (PLIC source 1 + slot) */
    unsigned long readonly;
    unsigned long flush;       /* device honours FLUSH */
    unsigned long nbuf;        /* buffers in the cache */
    unsigned long hits, misses, evictions, writebacks;
    unsigned long disk_reads, disk_writes, flushes;
    unsigned long max_inflight; /* most requests in the queue at once */
};
#endif

#endif
