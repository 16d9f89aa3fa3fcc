/*
 * cat.c — prints files: `cat path ...`. An I/O error (a block that fails
 * its checksum, say) is reported by name and the exit status is 1.
 */
#include "user.h"

static int cat(const char *path)
{
    static char buf[4096];
    int fd = open(path, O_RDONLY), n;
    if (fd < 0) {
        printf("cat: %s: %s\n", path, errstr(fd));
        return 1;
    }
    while ((n = read(fd, buf, sizeof buf)) > 0)
        write(1, buf, n);
    close(fd);
    if (n < 0)
        printf("cat: %s: %s\n", path, errstr(n));
    return n < 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++)
        bad |= cat(argv[i]);
    return bad;
}
