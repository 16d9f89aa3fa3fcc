/*
 * cp.c — copies a file: `cp FROM TO` (TO may be a directory: TO/basename).
 * The copy is a reflink when it can be (the reflink system call clones
 * FROM's extents: no data is copied, blocks are shared copy-on-write); across
 * subvolumes (EXDEV) or onto an existing file it falls back to reading and
 * writing the bytes. `cp -n FROM TO` never reflinks (for comparisons).
 */
#include "user.h"

static int copy_bytes(const char *from, const char *to)
{
    static char buf[4096];
    int in = open(from, O_RDONLY), out = -1, n = 0, w = 0;
    if (in < 0)
        return in;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC);
    if (out < 0) {
        close(in);
        return out;
    }
    while ((n = read(in, buf, sizeof buf)) > 0 && (w = write(out, buf, n)) == n)
        ;
    close(in);
    close(out);
    return n < 0 ? n : w < 0 ? w : 0;
}

/* TO, or TO/basename(FROM) when TO is a directory. */
static const char *target(const char *from, const char *to, char *buf, int max)
{
    struct stat st;
    if (stat(to, &st) < 0 || st.type != T_DIR)
        return to;
    const char *base = from;
    for (const char *s = from; *s; s++)
        if (*s == '/' && s[1])
            base = s + 1;
    int n = strlen(to), m = strlen(base);
    if (n + m + 2 > max)
        return to;
    memcpy(buf, to, n);
    buf[n] = '/';
    memcpy(buf + n + 1, base, m + 1);
    return buf;
}

int main(int argc, char **argv)
{
    char path[256];
    int nolink = argc > 1 && strcmp(argv[1], "-n") == 0;
    if (argc != 3 + nolink) {
        dprintf(2, "usage: cp [-n] FROM TO\n");
        return 1;
    }
    const char *from = argv[1 + nolink], *to = target(from, argv[2 + nolink], path, sizeof path);
    int r = nolink ? -1 : reflink(from, to);
    if (r < 0 && (nolink || r == EXDEV || r == EEXIST))
        r = copy_bytes(from, to);
    if (r < 0)
        dprintf(2, "cp: %s -> %s: %s\n", from, to, errstr(r));
    return r < 0;
}
