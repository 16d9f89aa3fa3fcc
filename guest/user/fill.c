/*
 * fill.c — writes a file of a given size with a pattern: `fill PATH KIB
 * [SEED]`: byte i is (i * 7 + SEED + i / 4096) mod 251, so every block
 * differs; `fill -v PATH KIB [SEED]` reads the file back and checks every
 * byte (and the size). Ends with fsync. Prints "fill: PASS ..." or
 * "fill: FAIL ...".
 */
#include "user.h"

#define CHUNK (128 * 1024)            /* bytes per write: one 32-block extent */

static unsigned char buf[CHUNK];

static void pattern(long off, int seed, int n)
{
    for (int i = 0; i < n; i++)
        buf[i] = (unsigned char)(((off + i) * 7 + seed + (off + i) / 4096) % 251);
}

static int verify(const char *path, long kib, int seed)
{
    static unsigned char got[4096];
    struct stat st;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) < 0 || (long)st.size != kib * 1024) {
        printf("fill: FAIL %s: %s or size %ld\n", path, errstr(fd), fd < 0 ? 0 : (long)st.size);
        return 1;
    }
    for (long off = 0; off < kib * 1024; off += 4096) {
        int want = kib * 1024 - off < 4096 ? (int)(kib * 1024 - off) : 4096, n = read(fd, got, want);
        pattern(off, seed, 4096);
        if (n != want || memcmp(got, buf, want) != 0) {
            printf("fill: FAIL %s: bytes differ in the block at %ld (read %d: %s)\n", path, off, n, errstr(n));
            return 1;
        }
    }
    close(fd);
    printf("fill: PASS %s verified %ld KiB seed %d\n", path, kib, seed);
    return 0;
}

int main(int argc, char **argv)
{
    int check = argc > 1 && strcmp(argv[1], "-v") == 0;
    if (argc < 3 + check) {
        printf("usage: fill [-v] PATH KIB [SEED]\n");
        return 2;
    }
    const char *path = argv[1 + check];
    long kib = atoi(argv[2 + check]);
    int seed = argc > 3 + check ? atoi(argv[3 + check]) : 0;
    if (check)
        return verify(path, kib, seed);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC), r = fd;
    for (long off = 0; r >= 0 && off < kib * 1024; off += CHUNK) {
        int n = kib * 1024 - off < CHUNK ? (int)(kib * 1024 - off) : CHUNK;
        pattern(off, seed, n);
        r = write(fd, buf, n);
    }
    if (r >= 0)
        r = fsync(fd);
    close(fd);
    if (r < 0) {
        printf("fill: FAIL %s: %s\n", path, errstr(r));
        return 1;
    }
    printf("fill: PASS %s wrote %ld KiB seed %d\n", path, kib, seed);
    return 0;
}
