/*
 * install.c — fills a new file system from a pack staged on the raw disk:
 * how the default disk image gets its /bin (guest/README.md, "The default
 * disk"). `install [block]` (default 6144, i.e. 24 MiB into the disk).
 *
 * The host writes the pack (guest/Makefile, from the build's stripped
 * programs) into a blank image at that block; this program, run at the boot
 * prompt, reads the whole pack into memory with blkread, formats the disk
 * with a file system (mkfs: the pack's blocks are free space from then on),
 * creates /bin and /tmp, writes every file, and commits (sync). The file
 * system is written by the kernel's own code: the host never needs to know
 * the format. Pack layout (text headers, raw bytes):
 *
 *   "tinyos-pack 1 <total bytes>\n" (padded with spaces to 64 bytes)
 *   "<size> <path>\n" <size bytes>       (one per file)
 *   "end\n"
 *
 * Prints "install: PASS <n> files, <bytes> bytes" or "install: FAIL ...".
 */
#include "user.h"

#define PACK_MAX (3 << 20)

static char pack[PACK_MAX];

static int fail(const char *what, const char *detail)
{
    printf("install: FAIL %s%s%s\n", what, detail ? " " : "", detail ? detail : "");
    return 1;
}

/* Reads the pack starting at disk block b; its length, or -1. */
static long read_pack(long b)
{
    if (blkread(b, pack) < 0 || memcmp(pack, "tinyos-pack 1 ", 14) != 0)
        return -1;
    long total = atoi(pack + 14);
    if (total <= 0 || total > PACK_MAX - 4096)
        return -1;
    for (long off = 4096; off < total; off += 4096)
        if (blkread(b + off / 4096, pack + off) < 0)
            return -1;
    pack[total] = 0;
    return total;
}

static int write_file(const char *path, const char *data, int size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC), w = 0;
    if (fd < 0)
        return fd;
    for (int off = 0; off < size && w >= 0; off += w)
        w = write(fd, data + off, size - off > 65536 ? 65536 : size - off);
    close(fd);
    return w < 0 ? w : 0;
}

/* Walks the entries after the header; files written, or -1 after a message. */
static int unpack(long total, long *bytes)
{
    char *p = pack, *end = pack + total;
    int n = 0;
    while (p < end && *p++ != '\n')
        ;
    while (p < end && *p == ' ')
        p++;                    /* the header is padded to 64 bytes */
    while (p < end && memcmp(p, "end\n", 4) != 0) {
        int size = atoi(p);
        char *path = p;
        while (p < end && *p != ' ')
            p++;
        path = ++p;
        while (p < end && *p != '\n')
            p++;
        if (p >= end || size < 0 || size > end - p - 1)
            return fail("corrupt pack", 0), -1;
        *p++ = 0;
        int r = write_file(path, p, size);
        if (r < 0)
            return fail(path, errstr(r)), -1;
        p += size, n++, *bytes += size;
    }
    return n;
}

int main(int argc, char **argv)
{
    long b = argc > 1 ? atoi(argv[1]) : 6144, bytes = 0, total = read_pack(b);
    if (total < 0)
        return fail("no pack at block", argv[1] ? argv[1] : "6144");
    int r = mkfs(100, 4032);
    if (r < 0)
        return fail("mkfs:", errstr(r));
    if ((r = mkdir("/bin")) < 0 || (r = mkdir("/tmp")) < 0)
        return fail("mkdir:", errstr(r));
    int n = unpack(total, &bytes);
    if (n < 0)
        return 1;
    long gen = sync();
    if (gen < 0)
        return fail("sync:", errstr((int)gen));
    printf("install: PASS %d files, %ld bytes, generation %ld\n", n, bytes, gen);
    return 0;
}
