/*
 * fsbench.c — file-system throughput in guest time: `fsbench [MIB [FILES]]`
 * (defaults 2 MiB, 200 files) on a file system made by mkfs -f.
 *
 *   seq write   MIB of 4 KiB writes to /bench/seq, then fsync
 *   seq read    the file back in 4 KiB reads
 *   rand write  as many 4 KiB writes at random block offsets, then fsync
 *   rand read   as many 4 KiB reads at random block offsets
 *   creates     FILES empty files in /bench/d, then sync
 *
 * Times are guest ticks (uptime, 10 ms each; on our emulator guest time is
 * the instruction count, on QEMU the host clock), so the figures compare
 * the same program on both machines. Write amplification is the blocks the
 * disk wrote (struct blkinfo) times 4 KiB over the bytes programs wrote
 * through write() (struct fsinfo), over the whole run. One line per figure:
 *
 *   fsbench: seq write 2048 KiB in 12 ticks: 1706 KiB/s
 *   ...
 *   fsbench: write amplification 1.52 (disk 6225 KiB / programs 4096 KiB)
 */
#include "user.h"

static char buf[4096];
static unsigned long rng = 88172645463325252UL;

static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void report(const char *what, long kib, long t0, const char *unit)
{
    long dt = uptime() - t0;
    long rate = dt > 0 ? kib * 100 / dt : 0;
    printf("fsbench: %s %ld %s in %ld ticks: %ld %s/s\n", what, kib, unit, dt, dt > 0 ? rate : -1, unit);
}

static int rw(int fd, long nblocks, int write_, int random)
{
    for (long i = 0; i < nblocks; i++) {
        long b = random ? (long)(next() % (unsigned long)nblocks) : i;
        if (random && lseek(fd, b * 4096, SEEK_SET) < 0)
            return -1;
        buf[0] = (char)i;
        int r = write_ ? write(fd, buf, 4096) : read(fd, buf, 4096);
        if (r != 4096)
            return r < 0 ? r : -1;
    }
    return write_ ? fsync(fd) : 0;
}

static int phase(const char *what, int flags, long nblocks, int write_, int random)
{
    int fd = open("/bench/seq", flags);
    long t0 = uptime();
    int r = fd < 0 ? fd : rw(fd, nblocks, write_, random);
    if (fd >= 0)
        close(fd);
    if (r < 0) {
        printf("fsbench: FAIL %s: %s\n", what, errstr(r));
        return 1;
    }
    report(what, nblocks * 4, t0, "KiB");
    return 0;
}

static int creates(int n)
{
    char name[32] = "/bench/d/f";
    long t0 = uptime();
    for (int i = 0; i < n; i++) {
        name[10] = (char)('a' + i / 676), name[11] = (char)('a' + i / 26 % 26), name[12] = (char)('a' + i % 26);
        int fd = open(name, O_WRONLY | O_CREAT);
        if (fd < 0) {
            printf("fsbench: FAIL create %s: %s\n", name, errstr(fd));
            return 1;
        }
        close(fd);
    }
    sync();
    report("creates", n, t0, "files");
    return 0;
}

int main(int argc, char **argv)
{
    long mib = argc > 1 ? atoi(argv[1]) : 2, files = argc > 2 ? atoi(argv[2]) : 200, nb = mib * 256;
    struct blkinfo b0, b1;
    struct fsinfo f0, f1;
    if (mkdir("/bench") < 0 || mkdir("/bench/d") < 0 || fsinfo(&f0) < 0 || blkinfo(&b0) < 0) {
        printf("fsbench: FAIL needs a fresh file system (mkfs -f)\n");
        return 1;
    }
    memset(buf, 'b', sizeof buf);
    if (phase("seq write", O_WRONLY | O_CREAT | O_TRUNC, nb, 1, 0) || phase("seq read", O_RDONLY, nb, 0, 0) ||
        phase("rand write", O_WRONLY, nb, 1, 1) || phase("rand read", O_RDONLY, nb, 0, 1) || creates((int)files))
        return 1;
    fsinfo(&f1);
    blkinfo(&b1);
    long disk = (long)(b1.disk_writes - b0.disk_writes) * 4, prog = (long)(f1.user_bytes - f0.user_bytes) / 1024;
    printf("fsbench: write amplification %ld.%02ld (disk %ld KiB / programs %ld KiB)\n", disk / (prog ? prog : 1),
           disk * 100 / (prog ? prog : 1) % 100, disk, prog);
    return 0;
}
