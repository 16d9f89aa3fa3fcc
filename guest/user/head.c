/*
 * head.c — prints the first lines: `head [-n N] [path]` (default 10 lines,
 * standard input without a path). Stops reading as soon as it has them, so
 * in `a | head` the writer a then gets EPIPE.
 */
#include "user.h"

int main(int argc, char **argv)
{
    static char buf[512];
    int i = 1, want = 10, fd = 0, n;
    if (argc > 2 && strcmp(argv[1], "-n") == 0)
        want = atoi(argv[2]), i = 3;
    if (i < argc && (fd = open(argv[i], O_RDONLY)) < 0) {
        dprintf(2, "head: %s: %s\n", argv[i], errstr(fd));
        return 1;
    }
    while (want > 0 && (n = read(fd, buf, sizeof buf)) > 0) {
        int k = 0;
        while (k < n && want > 0)
            want -= buf[k++] == '\n';
        if (write(1, buf, k) < 0)
            return 1;
    }
    return 0;
}
