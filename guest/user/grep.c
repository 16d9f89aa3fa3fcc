/*
 * grep.c — prints the lines that contain a fixed string: `grep [-v] [-c]
 * STRING [path ...]` (standard input without a path). -v selects the lines
 * without it, -c prints only how many lines were selected. Exit status 0 if
 * some line was selected, 1 if none, 2 on an error. Lines longer than 1 KiB
 * are matched in 1 KiB pieces.
 */
#include "user.h"

static int invert, count_only;
static long selected;

static int contains(const char *line, int n, const char *pat, int m)
{
    for (int i = 0; i + m <= n; i++)
        if (memcmp(line + i, pat, m) == 0)
            return 1;
    return 0;
}

static int emit(const char *line, int n, const char *pat)
{
    if (contains(line, n, pat, strlen(pat)) == invert)
        return 0;
    selected++;
    return count_only ? 0 : write(1, line, n) < 0 ? -1 : 0;
}

/* Splits fd into lines and matches each; 0 or an error. */
static int scan(int fd, const char *pat)
{
    static char buf[1024], line[1024];
    int n, len = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (int i = 0; i < n; i++) {
            line[len++] = buf[i];
            if ((buf[i] == '\n' || len == (int)sizeof line) && emit(line, len, pat) < 0)
                return -1;
            if (buf[i] == '\n' || len == (int)sizeof line)
                len = 0;
        }
    if (n == 0 && len > 0)
        return emit(line, len, pat);
    return n;
}

int main(int argc, char **argv)
{
    int i = 1, bad = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        invert |= strcmp(argv[i], "-v") == 0;
        count_only |= strcmp(argv[i], "-c") == 0;
    }
    if (i >= argc) {
        dprintf(2, "usage: grep [-v] [-c] STRING [path ...]\n");
        return 2;
    }
    const char *pat = argv[i++];
    if (i == argc)
        bad = scan(0, pat) < 0;
    for (; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        int r = fd < 0 ? fd : scan(fd, pat);
        if (fd >= 0)
            close(fd);
        if (r < 0)
            dprintf(2, "grep: %s: %s\n", argv[i], errstr(r)), bad = 1;
    }
    if (count_only)
        printf("%ld\n", selected);
    return bad ? 2 : selected ? 0 : 1;
}
