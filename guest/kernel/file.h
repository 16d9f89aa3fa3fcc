/*
 * file.h — open files and descriptors (file.c). A new kind of file (a pipe)
 * adds an FD_* type and a struct fileops row in file.c's ops().
 */
#ifndef TINYOS_FILE_H
#define TINYOS_FILE_H
#include "../lib/types.h"
#include "../lib/syscall_nr.h"

#define NFILE 64                      /* open files in the whole system */

enum { FD_NONE, FD_CONSOLE, FD_INODE, FD_PIPE };

struct file {
    int type;
    int ref;                          /* descriptors referring to it */
    int readable, writable, append;
    uint64 off;                       /* FD_INODE: byte offset; directories: last listed seq */
    uint64 subvol, ino;               /* FD_INODE: the inode */
    struct pipe *pipe;                /* FD_PIPE: the pipe (pipe.c) */
};

struct fileops {
    int64 (*read)(struct file *f, uint64 ubuf, int n);
    int64 (*write)(struct file *f, uint64 ubuf, int n);
};

struct proc;
struct pipe;
void pipe_close(struct pipe *pi, int writable);   /* pipe.c */
struct file *file_alloc(int type);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
int fd_alloc(struct file *f);
struct file *fd_get(int fd);
int fd_close(int fd);
void fd_console_init(struct proc *p);
void fd_fork(struct proc *from, struct proc *to);
void fd_exit(struct proc *p);
int64 fd_read(int fd, uint64 ubuf, int n);
int64 fd_write(int fd, uint64 ubuf, int n);

#endif
