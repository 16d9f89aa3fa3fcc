/*
 * cat.c — prints files: `cat [path ...]`; with no path it copies its
 * standard input (a pipe, a redirected file, the console) until end of
 * input. An I/O error (a block that fails its checksum, say) is reported by
 * name and the exit status is 1; so is a failed write (EPIPE: the reader of
 * a pipe went away), after which cat stops.
 */
#include "user.h"

/* Copies fd to standard output; 0, or the first error. */
static int copy(int fd)
{
    static char buf[4096];
    int n, w = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if ((w = write(1, buf, n)) < 0)
            return w;
    return n;
}

static int cat(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        dprintf(2, "cat: %s: %s\n", path, errstr(fd));
        return 1;
    }
    int r = copy(fd);
    close(fd);
    if (r < 0)
        dprintf(2, "cat: %s: %s\n", path, errstr(r));
    return r < 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc == 1) {
        int r = copy(0);
        if (r < 0)
            dprintf(2, "cat: %s\n", errstr(r));
        return r < 0;
    }
    for (int i = 1; i < argc && !bad; i++)
        bad |= cat(argv[i]);
    return bad;
}
