/*
 * user.h — what a tiny-os user program can call: the system calls (usys.S)
 * and the small user library (ulib.c, lib/string.c, lib/fmt.c).
 */
#ifndef TINYOS_USER_H
#define TINYOS_USER_H
#include "../lib/types.h"
#include "../lib/string.h"
#include "../lib/syscall_nr.h"

/* system calls */
int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);
int getpid(void);
int kill(int pid);
int sleep(int ticks);
long uptime(void);
int yield(void);
int read(int fd, void *buf, int n);
int write(int fd, const void *buf, int n);
int exec(const char *name, char **argv);
void poweroff(int code) __attribute__((noreturn));
int pstat(void);
int sysinfo(struct sysinfo *out);
int kstress(int threads, int rounds);
int quantum(int ticks);
long kbug(int op, const char *label);
int blkread(long block, void *buf);
int blkwrite(long block, const void *buf);
int blksync(void);
int blkinval(void);
int blkinfo(struct blkinfo *out);
int kv_format(int node_max, int leaf_limit);
long kv_mount(void);
int kv_put(unsigned long key, const void *val, int len);
int kv_get(unsigned long key, void *buf, int max);
int kv_del(unsigned long key);
int kv_next(unsigned long key, unsigned long *next);
long kv_commit(void);
int kv_stat(struct kvstat *out);
int open(const char *path, int flags);
int close(int fd);
long lseek(int fd, long off, int whence);
int fstat(int fd, struct stat *st);
int stat(const char *path, struct stat *st);
int mkdir(const char *path);
int rmdir(const char *path);
int unlink(const char *path);
int rename(const char *from, const char *to);
int chdir(const char *path);
int getcwd(char *buf, int n);
int readdir(int fd, struct dirent *d);
int fsync(int fd);
long sync(void);
int mkfs(int node_max, int leaf_limit);
int ftruncate(int fd, long size);
int snapshot(const char *subvol, const char *newpath);
int reflink(const char *from, const char *to);
int fsinfo(struct fsinfo *out);
int subvol(const char *path);
int pipe(int fds[2]);
int dup(int fd);
int dup2(int fd, int to);
int setpgid(int pid, int pgid);
int fgpgrp(int pgid);
int waitnb(int *status);
int procs(struct procinfo *out, int max);
const char *errstr(int err);
long sbrk(long n);

/* malloc.c — the heap allocator (its design note draws the block layout) */
struct mallstat {
    unsigned long heap_bytes;     /* [lo, hi): what malloc holds from sbrk */
    unsigned long used_blocks, used_bytes;   /* bytes: as requested */
    unsigned long free_blocks, free_bytes, largest_free;
    unsigned long listed;         /* blocks on the free list (== free_blocks) */
};
void *malloc(unsigned long n);
void free(void *p);
void *calloc(unsigned long n, unsigned long size);
void *realloc(void *p, unsigned long n);
void malloc_check(struct mallstat *st);

/* ulib.c */
extern const char *progname;     /* argv[0], for messages */
int printf(const char *fmt, ...);
int dprintf(int fd, const char *fmt, ...);
int readline(char *buf, int max);
int atoi(const char *s);
int main(int argc, char **argv);

#endif
