/*
 * wc.c — counts lines, words and bytes: `wc [-l] [path ...]`, standard
 * input without a path. Prints "lines words bytes [name]" per input (only
 * the line count with -l), and a total line for several paths.
 */
#include "user.h"

struct counts {
    long lines, words, bytes;
};

/* Counts fd into c; 0, or a read error. */
static int count(int fd, struct counts *c)
{
    static char buf[4096];
    int n, inword = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (int i = 0; i < n; i++) {
            char ch = buf[i];
            int blank = ch == ' ' || ch == '\t' || ch == '\n';
            c->lines += ch == '\n';
            c->words += !blank && !inword;
            inword = !blank;
        }
        c->bytes += n;
    }
    return n;
}

static void show(const struct counts *c, int lines_only, const char *name)
{
    if (lines_only)
        printf("%ld%s%s\n", c->lines, name ? " " : "", name ? name : "");
    else
        printf("%ld %ld %ld%s%s\n", c->lines, c->words, c->bytes, name ? " " : "", name ? name : "");
}

int main(int argc, char **argv)
{
    int l = argc > 1 && strcmp(argv[1], "-l") == 0, bad = 0;
    struct counts total = {0}, c;
    if (argc == 1 + l) {
        c = total;
        bad = count(0, &c) < 0;
        show(&c, l, 0);
        return bad;
    }
    for (int i = 1 + l; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        c = (struct counts){0};
        int r = fd < 0 ? fd : count(fd, &c);
        if (fd >= 0)
            close(fd);
        if (r < 0) {
            dprintf(2, "wc: %s: %s\n", argv[i], errstr(r));
            bad = 1;
            continue;
        }
        show(&c, l, argv[i]);
        total.lines += c.lines, total.words += c.words, total.bytes += c.bytes;
    }
    if (argc - 1 - l > 1)
        show(&total, l, "total");
    return bad;
}
