/*
 * pipe.c — kernel pipes (FD_PIPE) and descriptor duplication: what a shell
 * needs for `a | b | c` and for redirection (system calls 70-72).
 *
 * A pipe is one page: a small header and a ring of PIPE_SIZE bytes.
 *
 *   pipe(fds) ──> struct file {FD_PIPE, readable} ──┐
 *                 struct file {FD_PIPE, writable} ──┴─> struct pipe (one page)
 *                                                        data[nread % SIZE ..
 *                                                             nwrite % SIZE)
 *
 * nread and nwrite only grow; nwrite - nread bytes are buffered. A reader
 * sleeps on &nread while the ring is empty and some writer is open; it gets
 * 0 (EOF) once the ring is empty and every write end is closed. A writer
 * sleeps on &nwrite while the ring is full; when no read end is open it gets
 * EPIPE (or the count it managed to write before the readers went away).
 * Reads return what is buffered (at least one byte), writes block until all
 * n bytes went in. A killed process wakes up and returns -1 at once.
 *
 * Each end is a struct file: fork and dup share it (file.c counts
 * references), and only the last close of an end calls pipe_close, which
 * marks that side closed, wakes the other side and frees the page when both
 * sides are gone. Bytes move through a small kernel buffer so that copyin
 * and copyout run under the pipe's spinlock without ever sleeping.
 */
#include "kernel.h"
#include "proc.h"
#include "file.h"

uint64 argraw(int n);

#define PIPE_SIZE (PGSIZE - 64)

struct pipe {
    struct spinlock lock;
    uint64 nread, nwrite;
    int readopen, writeopen;
    char data[PIPE_SIZE];
};

_Static_assert(sizeof(struct pipe) <= PGSIZE, "a pipe is one page");

/* Sleeps on chan unless p was killed; -1 if it was. */
static int pipe_wait(struct pipe *pi, void *chan)
{
    if (proc_killed(myproc()))
        return -1;
    sleep(chan, &pi->lock);
    return 0;
}

static int64 pipe_read(struct file *f, uint64 ubuf, int n)
{
    struct pipe *pi = f->pipe;
    char chunk[64];
    acquire(&pi->lock);
    while (pi->nread == pi->nwrite && pi->writeopen)
        if (pipe_wait(pi, &pi->nread) < 0) {
            release(&pi->lock);
            return -1;
        }
    int got = 0;
    while (got < n && pi->nread != pi->nwrite) {
        int k = 0;
        for (; k < (int)sizeof chunk && got + k < n && pi->nread != pi->nwrite; k++)
            chunk[k] = pi->data[pi->nread++ % PIPE_SIZE];
        if (copyout(myproc()->pagetable, ubuf + got, chunk, (uint64)k) < 0) {
            release(&pi->lock);
            return user_fault(ubuf + got, "read");
        }
        got += k;
    }
    wakeup(&pi->nwrite);
    release(&pi->lock);
    return got;
}

/* Waits for room in the ring; EPIPE without readers, -1 if killed. */
static int wait_room(struct pipe *pi)
{
    while (pi->nwrite - pi->nread == PIPE_SIZE) {
        if (!pi->readopen)
            return EPIPE;
        wakeup(&pi->nread);
        if (pipe_wait(pi, &pi->nwrite) < 0)
            return -1;
    }
    return pi->readopen ? 0 : EPIPE;
}

static int64 pipe_write(struct file *f, uint64 ubuf, int n)
{
    struct pipe *pi = f->pipe;
    char chunk[64];
    int done = 0;
    acquire(&pi->lock);
    while (done < n) {
        int r = wait_room(pi);
        if (r < 0) {
            release(&pi->lock);
            return done > 0 ? done : r;
        }
        int k = n - done < (int)sizeof chunk ? n - done : (int)sizeof chunk;
        uint64 room = PIPE_SIZE - (pi->nwrite - pi->nread);
        k = (uint64)k < room ? k : (int)room;
        if (copyin(myproc()->pagetable, chunk, ubuf + done, (uint64)k) < 0) {
            release(&pi->lock);
            return user_fault(ubuf + done, "write");
        }
        for (int i = 0; i < k; i++)
            pi->data[pi->nwrite++ % PIPE_SIZE] = chunk[i];
        done += k;
    }
    wakeup(&pi->nread);
    release(&pi->lock);
    return done;
}

const struct fileops pipe_ops = {pipe_read, pipe_write};

/* The last descriptor of one end went away (file.c: file_close). */
void pipe_close(struct pipe *pi, int writable)
{
    acquire(&pi->lock);
    if (writable) {
        pi->writeopen = 0;
        wakeup(&pi->nread);
    } else {
        pi->readopen = 0;
        wakeup(&pi->nwrite);
    }
    int gone = !pi->readopen && !pi->writeopen;
    release(&pi->lock);
    if (gone)
        kfree(pi);
}

/* Two files on a new pipe; 0, or ENFILE when out of files or memory. */
static int pipe_alloc(struct file **rf, struct file **wf)
{
    struct pipe *pi = kalloc();
    *rf = pi ? file_alloc(FD_PIPE) : 0;
    *wf = *rf ? file_alloc(FD_PIPE) : 0;
    if (!*wf) {
        if (*rf)
            file_close(*rf);   /* its pipe pointer is still 0: nothing to release */
        if (pi)
            kfree(pi);
        return ENFILE;
    }
    memset(pi, 0, sizeof *pi);
    spin_init(&pi->lock, "pipe");
    pi->readopen = pi->writeopen = 1;
    (*rf)->pipe = (*wf)->pipe = pi;
    (*rf)->readable = 1;
    (*wf)->writable = 1;
    return 0;
}

/* int pipe(int fds[2]): fds[0] reads, fds[1] writes. */
int64 sys_pipe(void)
{
    struct file *rf, *wf;
    int r = pipe_alloc(&rf, &wf);
    if (r)
        return r;
    int fds[2] = {fd_alloc(rf), -1};
    if (fds[0] >= 0)
        fds[1] = fd_alloc(wf);
    if (fds[1] < 0 || copyout(myproc()->pagetable, argraw(0), fds, sizeof fds) < 0) {
        if (fds[0] >= 0)
            fd_close(fds[0]);
        else
            file_close(rf);
        if (fds[1] >= 0)
            fd_close(fds[1]);
        else
            file_close(wf);
        return fds[1] < 0 ? EMFILE : EFAULT;
    }
    return 0;
}

/* int dup(int fd): the lowest free descriptor, sharing fd's open file. */
int64 sys_dup(void)
{
    struct file *f = fd_get((int)argraw(0));
    if (!f)
        return EBADF;
    int fd = fd_alloc(file_dup(f));
    if (fd < 0)
        file_close(f);
    return fd;
}

/* int dup2(int fd, int to): descriptor `to` now shares fd's open file; `to`. */
int64 sys_dup2(void)
{
    int from = (int)argraw(0), to = (int)argraw(1);
    struct file *f = fd_get(from);
    if (!f || to < 0 || to >= NOFILE)
        return EBADF;
    if (from == to)
        return to;
    fd_close(to);
    myproc()->ofile[to] = file_dup(f);
    return to;
}
