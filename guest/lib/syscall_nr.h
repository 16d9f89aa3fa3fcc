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
#define SYS_kv_format 22  /* int kv_format(int node_max, int leaf_limit): mkfs; 0 or KV_E* */
#define SYS_kv_mount  23  /* long kv_mount(void): (re)mount the newest valid superblock; its gen */
#define SYS_kv_put    24  /* int kv_put(unsigned long key, const void *val, int len) */
#define SYS_kv_get    25  /* int kv_get(unsigned long key, void *buf, int max): value length */
#define SYS_kv_del    26  /* int kv_del(unsigned long key) */
#define SYS_kv_next   27  /* int kv_next(unsigned long key, unsigned long *next): first key > key */
#define SYS_kv_commit 28  /* long kv_commit(void): make the transaction durable; its gen */
#define SYS_kv_stat   29  /* int kv_stat(struct kvstat *out) */
/* Files (kernel/sysfs.c, file.c; guest/README.md "Files"). Paths are absolute or relative to the
   working directory, with "." and ".."; results are >= 0 or a negative E* code below. */
#define SYS_open     30   /* int open(const char *path, int flags): O_* below; a descriptor */
#define SYS_close    31   /* int close(int fd) */
#define SYS_lseek    32   /* long lseek(int fd, long off, int whence): SEEK_*; the new offset */
#define SYS_fstat    33   /* int fstat(int fd, struct stat *st) */
#define SYS_stat     34   /* int stat(const char *path, struct stat *st) */
#define SYS_mkdir    35   /* int mkdir(const char *path) */
#define SYS_rmdir    36   /* int rmdir(const char *path): empty directories only */
#define SYS_unlink   37   /* int unlink(const char *path): files only */
#define SYS_rename   38   /* int rename(const char *from, const char *to): atomic, replaces a file */
#define SYS_chdir    39   /* int chdir(const char *path) */
#define SYS_getcwd   40   /* int getcwd(char *buf, int n): length of the path */
#define SYS_readdir  41   /* int readdir(int fd, struct dirent *d): 1 = an entry, 0 = the end */
#define SYS_fsync    42   /* int fsync(int fd): commits; the file survives any crash after it */
#define SYS_sync     43   /* long sync(void): commits; the generation */
#define SYS_mkfs     44   /* int mkfs(int node_max, int leaf_limit): store + file system */
#define SYS_ftruncate 45  /* int ftruncate(int fd, long size) */
#define SYS_snapshot 46   /* int snapshot(const char *subvol, const char *newpath) */
#define SYS_reflink  47   /* int reflink(const char *from, const char *to): clone a file's extents */
#define SYS_fsinfo   48   /* int fsinfo(struct fsinfo *out) */
#define SYS_subvol   49   /* int subvol(const char *path): a new empty subvolume */
/* Memory (kernel/sysheap.c). */
#define SYS_sbrk      60  /* long sbrk(long n): move the break n bytes; the old break or -1 */
/* Pipes, descriptors, jobs and the shell (kernel/pipe.c, job.c; guest/README.md "Shell"). */
#define SYS_pipe     70   /* int pipe(int fds[2]): fds[0] reads, fds[1] writes */
#define SYS_dup      71   /* int dup(int fd): the lowest free descriptor on the same open file */
#define SYS_dup2     72   /* int dup2(int fd, int to): `to` on fd's open file (closed first); to */
#define SYS_setpgid  73   /* int setpgid(int pid, int pgid): 0 = self / the pid; self or a child */
#define SYS_fgpgrp   74   /* int fgpgrp(int pgid): the console's foreground group (^C kills it); old */
#define SYS_waitnb   75   /* int waitnb(int *status): reap a zombie child without blocking: its pid,
                             0 if children run, -1 if none */
#define SYS_procs    76   /* int procs(struct procinfo *out, int max): live processes; how many filled */
/* The debugger exercise (docs/debugging.md). */
#define SYS_kbug     90   /* long kbug(int op, const char *label): kernel/kbug.c, a deliberate bug */
#define SYS_COUNT    91

/* Errors of the kv_* calls (kernel/syskv.c). -1 is "bad argument or not mounted". */
#define KV_ENOENT (-2)    /* no such key */
#define KV_EIO    (-3)    /* a block failed its checks (the kernel says which) or the disk failed */
#define KV_ENOSPC (-4)    /* no free block (or no contiguous run for a data extent) */

/* Errors of every call that takes a descriptor or a path (the file calls, read, write). */
#define EINVAL      (-1)  /* bad argument ("." or ".." as a name to create or remove, bad flags) */
#define ENOENT      (-2)  /* no such file or directory */
#define EIO         (-3)  /* a block failed its checks (the kernel says which) or the disk failed */
#define ENOSPC      (-4)  /* the disk is full */
#define EBADF       (-5)  /* not an open descriptor, or not open for that */
#define EEXIST      (-6)  /* the name exists */
#define ENOTDIR     (-7)  /* a path component is not a directory */
#define EISDIR      (-8)  /* a directory where a file is needed */
#define ENOTEMPTY   (-9)  /* rmdir of a directory with entries */
#define ENAMETOOLONG (-10) /* a name over 59 bytes or a path over 255 */
#define EFAULT      (-11) /* a bad user pointer (the process is not killed) */
#define EMFILE      (-12) /* no free descriptor in the process */
#define ENFILE      (-13) /* no free open-file slot in the kernel */
#define ENODEV      (-14) /* no file system on the disk (run mkfs -f), or no disk */
#define EXDEV       (-15) /* rename or reflink across subvolumes */
#define EFBIG       (-16) /* beyond the largest file size */
#define EPIPE       (-17) /* write to a pipe whose read ends are all closed */

/* open flags (Linux's values) */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR   2
#define O_CREAT  0x40
#define O_TRUNC  0x200
#define O_APPEND 0x400
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

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

/* Filled by SYS_kv_stat (mounted store only). */
struct kvstat {
    unsigned long gen;          /* last committed transaction */
    unsigned long nblocks;      /* blocks the store spans */
    unsigned long used_blocks;  /* allocated now (running transaction included) */
    unsigned long pinned;       /* freed in the running transaction, reusable after commit */
    unsigned long nkeys;
    unsigned long height;       /* levels of the kv tree (1 = a single leaf) */
    unsigned long free_height;  /* levels of the free-space tree */
    unsigned long node_max, leaf_limit;
    unsigned long super_slot;   /* slot of the superblock mounted or last written */
    unsigned long commits;      /* commits since mount */
    unsigned long last_writes;  /* blocks written by the last commit (before its superblock) */
    unsigned long cow_copies;   /* blocks copied on write since mount */
};

#define T_FILE 1
#define T_DIR 2
#define T_SUBVOL 3              /* dirent only: the root of another subvolume */

/* Filled by SYS_stat and SYS_fstat. */
struct stat {
    unsigned long ino;
    unsigned long subvol;       /* the subvolume (FS tree) holding the inode */
    unsigned long type;         /* T_FILE or T_DIR */
    unsigned long nlink;
    unsigned long size;         /* bytes (directories: entries) */
    unsigned long blocks;       /* 4 KiB blocks mapped (files) */
    unsigned long extents;      /* file extent items */
    unsigned long mtime;        /* guest ticks */
};

/* Filled by SYS_procs, one per process slot in use. */
struct procinfo {
    int pid, ppid, pgid;
    int state;                  /* 1 used, 2 sleep, 3 runnable, 4 running, 5 zombie */
    char name[16];
    unsigned long runs, ticks;  /* times scheduled, ticks found running */
};

/* Filled by SYS_readdir. */
struct dirent {
    unsigned long ino;          /* subvolume id for T_SUBVOL */
    unsigned long type;
    char name[64];
};

/* Filled by SYS_fsinfo (df). */
struct fsinfo {
    unsigned long gen, nblocks, used_blocks, free_blocks;
    unsigned long commits, last_writes, cow_copies;
    unsigned long data_writes;  /* data blocks written since mount */
    unsigned long user_bytes;   /* bytes programs wrote through write() since mount */
    unsigned long disk_writes;  /* blocks the disk wrote since boot (struct blkinfo) */
    unsigned long commit_ticks; /* the periodic commit interval */
};
#endif

#endif
