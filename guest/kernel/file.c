/*
 * file.c — open files and the per-process descriptor tables.
 *
 *   proc.ofile[fd] ──> struct file { type, ref, mode, offset, inode }
 *                           │
 *                           └─ fileops[type]: read, write  (FD_CONSOLE here,
 *                              FD_INODE in sysfs.c, FD_PIPE in pipe.c)
 *
 * A struct file is one open: its access mode and offset are shared by every
 * descriptor that refers to it (after fork), and it is freed when the last
 * one is closed. Every user process starts with descriptors 0 (console,
 * read) and 1, 2 (console, write), set up for init and inherited by fork,
 * so the console read and write calls of every existing program keep
 * working unchanged. Exit closes every descriptor.
 *
 * The table lock (a spinlock) guards ref counts and the table; a file's
 * offset is changed by the system calls under the store's sleeplock.
 */
#include "kernel.h"
#include "proc.h"
#include "file.h"

static struct spinlock ftable_lock;
static int ftable_ready;
static struct file ftable[NFILE];
static struct file console_in = {.type = FD_CONSOLE, .ref = 1, .readable = 1};
static struct file console_out = {.type = FD_CONSOLE, .ref = 1, .writable = 1};

static int64 console_fread(struct file *f, uint64 ubuf, int n)
{
    (void)f;
    return console_read(ubuf, n);
}

static int64 console_fwrite(struct file *f, uint64 ubuf, int n)
{
    (void)f;
    return console_write(ubuf, n);
}

static const struct fileops console_ops = {console_fread, console_fwrite};
extern const struct fileops inode_ops;     /* sysfs.c */
extern const struct fileops pipe_ops;      /* pipe.c */

static const struct fileops *ops(struct file *f)
{
    if (f->type == FD_PIPE)
        return &pipe_ops;
    return f->type == FD_CONSOLE ? &console_ops : f->type == FD_INODE ? &inode_ops : 0;
}

static void lock_table(void)
{
    if (!ftable_ready) {
        spin_init(&ftable_lock, "ftable");
        ftable_ready = 1;
    }
    acquire(&ftable_lock);
}

/* A free struct file with one reference; 0 if the table is full. */
struct file *file_alloc(int type)
{
    lock_table();
    for (struct file *f = ftable; f < &ftable[NFILE]; f++)
        if (f->ref == 0) {
            memset(f, 0, sizeof *f);
            f->type = type;
            f->ref = 1;
            release(&ftable_lock);
            return f;
        }
    release(&ftable_lock);
    return 0;
}

struct file *file_dup(struct file *f)
{
    lock_table();
    f->ref++;
    release(&ftable_lock);
    return f;
}

void file_close(struct file *f)
{
    lock_table();
    if (f->ref > 0)
        f->ref--;
    struct pipe *pi = f->ref == 0 && f->type == FD_PIPE ? f->pipe : 0;
    int writable = f->writable;         /* read under the lock: the slot may be reused */
    release(&ftable_lock);
    if (pi)
        pipe_close(pi, writable);       /* the last descriptor of this end */
}

/* Installs f in the lowest free descriptor of the current process. */
int fd_alloc(struct file *f)
{
    struct proc *p = myproc();
    for (int fd = 0; fd < NOFILE; fd++)
        if (!p->ofile[fd]) {
            p->ofile[fd] = f;
            return fd;
        }
    return EMFILE;
}

struct file *fd_get(int fd)
{
    struct proc *p = myproc();
    return fd >= 0 && fd < NOFILE ? p->ofile[fd] : 0;
}

int fd_close(int fd)
{
    struct file *f = fd_get(fd);
    if (!f)
        return EBADF;
    myproc()->ofile[fd] = 0;
    file_close(f);
    return 0;
}

/* Descriptors 0, 1, 2 on the console (init, before its exec). */
void fd_console_init(struct proc *p)
{
    p->ofile[0] = file_dup(&console_in);
    p->ofile[1] = file_dup(&console_out);
    p->ofile[2] = file_dup(&console_out);
}

void fd_fork(struct proc *from, struct proc *to)
{
    for (int fd = 0; fd < NOFILE; fd++)
        to->ofile[fd] = from->ofile[fd] ? file_dup(from->ofile[fd]) : 0;
    to->cwd_subvol = from->cwd_subvol;
    to->cwd_ino = from->cwd_ino;
}

void fd_exit(struct proc *p)
{
    for (int fd = 0; fd < NOFILE; fd++)
        if (p->ofile[fd]) {
            file_close(p->ofile[fd]);
            p->ofile[fd] = 0;
        }
}

int64 fd_read(int fd, uint64 ubuf, int n)
{
    struct file *f = fd_get(fd);
    if (!f || !f->readable)
        return EBADF;
    return n < 0 ? EINVAL : ops(f)->read(f, ubuf, n);
}

int64 fd_write(int fd, uint64 ubuf, int n)
{
    struct file *f = fd_get(fd);
    if (!f || !f->writable)
        return EBADF;
    return n < 0 ? EINVAL : ops(f)->write(f, ubuf, n);
}
