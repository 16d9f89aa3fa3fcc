/*
 * wc.c — counts lines, words and bytes: `wc [-l|-w|-c] [path ...]`,
 * standard input without a path. Prints "lines words bytes [name]" per input
 * (only one count with -l, -w or -c), and a total line for several paths.
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

static void show(const struct counts *c, int only, const char *name)
{
    if (only)
        printf("%ld%s%s\n", only == 'l' ? c->lines : only == 'w' ? c->words : c->bytes,
               name ? " " : "", name ? name : "");
    else
        printf("%ld %ld %ld%s%s\n", c->lines, c->words, c->bytes, name ? " " : "", name ? name : "");
}

int main(int argc, char **argv)
{
    int l = argc > 1 && argv[1][0] == '-' && argv[1][1] && !argv[1][2], bad = 0;
    int only = l ? argv[1][1] : 0;
    if (only && only != 'l' && only != 'w' && only != 'c') {
        dprintf(2, "usage: wc [-l|-w|-c] [path ...]\n");
        return 1;
    }
    struct counts total = {0}, c;
    if (argc == 1 + l) {
        c = total;
        bad = count(0, &c) < 0;
        show(&c, only, 0);
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
        show(&c, only, argv[i]);
        total.lines += c.lines, total.words += c.words, total.bytes += c.bytes;
    }
    if (argc - 1 - l > 1)
        show(&total, only, "total");
    return bad;
}
