/*
 * ulib.c — the user-space runtime: program entry and a few helpers.
 *
 * _start is the ELF entry point. The kernel's exec puts argc in a0 and argv
 * in a1 and a 16-byte aligned stack in sp, which is exactly a C call, so
 * _start is an ordinary C function that calls main and exits with its
 * result. printf formats into a buffer and issues one write per call, so a
 * line from one process is never split by another process's output.
 */
#include "user.h"
#include "../lib/fmt.h"

const char *progname;

__attribute__((section(".text.start"))) void _start(int argc, char **argv)
{
    progname = argc > 0 ? argv[0] : 0;
    exit(main(argc, argv));
}

int printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    n = n < (int)sizeof buf - 1 ? n : (int)sizeof buf - 1;
    return write(1, buf, n);
}

/* printf to descriptor fd (2 for error messages), one write per call. */
int dprintf(int fd, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    n = n < (int)sizeof buf - 1 ? n : (int)sizeof buf - 1;
    return write(fd, buf, n);
}

/* Reads one line (without the newline); returns its length, -1 at EOF. */
int readline(char *buf, int max)
{
    int n = read(0, buf, max - 1);
    if (n <= 0)
        return -1;
    if (buf[n - 1] == '\n')
        n--;
    buf[n] = 0;
    return n;
}

int atoi(const char *s)
{
    int n = 0, neg = *s == '-';
    for (s += neg; *s >= '0' && *s <= '9'; s++)
        n = n * 10 + (*s - '0');
    return neg ? -n : n;
}

/* The name of a negative error code of lib/syscall_nr.h. */
const char *errstr(int err)
{
    static const char *names[] = {"0", "EINVAL", "ENOENT", "EIO", "ENOSPC", "EBADF", "EEXIST",
                                  "ENOTDIR", "EISDIR", "ENOTEMPTY", "ENAMETOOLONG", "EFAULT",
                                  "EMFILE", "ENFILE", "ENODEV", "EXDEV", "EFBIG", "EPIPE"};
    return err < 0 && -err < (int)(sizeof names / sizeof names[0]) ? names[-err] : "error";
}
