/*
 * reflink.c — copies a file: `reflink FROM TO` shares FROM's data extents
 * (a clone: no data is copied, each extent gains a reference); `reflink -c
 * FROM TO` copies the bytes instead. Either way TO is committed (fsync)
 * before the program prints the blocks the disk wrote for the copy, so the
 * two figures compare: a reflink's count does not depend on the file's
 * size, a copy's grows with it. Writing to either file afterwards changes
 * only that file (copy on write breaks the sharing for the blocks written).
 */
#include "user.h"

static char buf[16384];

static int copy(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = in < 0 ? in : open(to, O_WRONLY | O_CREAT | O_TRUNC), n = 0;
    if (in < 0 || out < 0)
        return in < 0 ? in : out;
    while ((n = read(in, buf, sizeof buf)) > 0 && (n = write(out, buf, n)) > 0)
        ;
    close(in);
    close(out);
    return n;
}

int main(int argc, char **argv)
{
    struct blkinfo a, b;
    struct stat st;
    int bytes = argc == 4 && strcmp(argv[1], "-c") == 0;
    if (argc != 3 + bytes) {
        printf("usage: reflink [-c] FROM TO\n");
        return 2;
    }
    const char *from = argv[1 + bytes], *to = argv[2 + bytes];
    sync();
    blkinfo(&a);
    int r = bytes ? copy(from, to) : reflink(from, to);
    long g = r < 0 ? 0 : sync();
    blkinfo(&b);
    if (r < 0 || g < 0 || (r = stat(to, &st)) < 0) {
        printf("reflink: %s -> %s: %s\n", from, to, errstr(r < 0 ? r : (int)g));
        return 1;
    }
    printf("reflink: %s %s -> %s: %ld bytes, %ld blocks written\n", bytes ? "copied" : "cloned", from, to,
           st.size, b.disk_writes - a.disk_writes);
    return 0;
}
