/*
 * kvtests.c — the in-guest tests of the key/value store: `kvtests` runs every
 * test of the table in order (each formats the disk first, so they do not
 * depend on each other) and prints one line per test; the last line is
 * "ALL TESTS PASSED" only if all passed. `kvtests NAME` runs one test.
 *
 * Needs a disk of 8..16 MiB (the no_space test fills it). Tests that need
 * the checker or the damage tool run the real programs (fsck, kvcorrupt,
 * kvstress) as children and look at their exit status.
 */
#include "kvdisk.h"
#include "testtable.h"

static uint8 buf[KV_VALUE_MAX + 16], want[KV_VALUE_MAX + 16];

static int run(char *a0, char *a1, char *a2, char *a3)
{
    char *argv[] = {a0, a1, a2, a3, 0};
    int pid = fork(), status = -99;
    if (pid == 0) {
        exec(a0, argv);
        exit(127);
    }
    if (pid < 0 || wait(&status) != pid)
        return -98;
    return status;
}

static void fill(uint8 *p, int n, int salt)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8)(i * 7 + salt + (i >> 8));
}

static struct kvstat kvstat_now(void)
{
    struct kvstat st = {0};
    kv_stat(&st);
    return st;
}

static int t_crc32c(void)
{
    return crc32c(0, "123456789", 9) == 0xE3069283u && crc32c(0, "", 0) == 0 ? 0 : 1;
}

static int t_format_mount(void)
{
    if (kv_format(3, 4032) != -1 || kv_format(100, 512) != -1)
        return 1;
    if (kv_format(100, 4032) != 0 || kv_mount() != 1)
        return 2;
    struct kvstat st = kvstat_now();
    if (st.gen != 1 || st.used_blocks != KV_FIRST_BLOCK + 2 || st.nkeys != 0 || st.height != 1)
        return 3;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 4;
}

static int t_put_get_del(void)
{
    unsigned long next;
    if (kv_format(100, 4032) != 0 || kv_put(5, "hello", 5) != 0)
        return 1;
    if (kv_get(5, buf, sizeof buf) != 5 || memcmp(buf, "hello", 5) != 0 || kv_get(6, buf, 8) != KV_ENOENT)
        return 2;
    if (kv_del(5) != 0 || kv_del(5) != KV_ENOENT || kv_get(5, buf, 8) != KV_ENOENT)
        return 3;
    kv_put(30, "c", 1), kv_put(10, "a", 1), kv_put(20, "b", 1);
    if (kv_next(0, &next) != 0 || next != 10 || kv_next(10, &next) != 0 || next != 20 ||
        kv_next(20, &next) != 0 || next != 30 || kv_next(30, &next) != KV_ENOENT)
        return 4;
    return kvstat_now().nkeys == 3 ? 0 : 5;
}

static int t_value_sizes(void)
{
    static const int sizes[] = {0, 1, 100, KV_INLINE_MAX, KV_INLINE_MAX + 1, 4095, 4096, 4097, KV_VALUE_MAX};
    if (kv_format(100, 4032) != 0)
        return 1;
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
        fill(want, sizes[i], (int)i);
        if (kv_put(i, want, sizes[i]) != 0)
            return 2;
    }
    if (kv_put(99, want, KV_VALUE_MAX + 1) != -1 || kv_commit() != 2)
        return 3;
    blkinval();
    if (kv_mount() != 2)
        return 4;
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
        fill(want, sizes[i], (int)i);
        if (kv_get(i, buf, sizeof buf) != sizes[i] || memcmp(buf, want, sizes[i]) != 0)
            return 10 + (int)i;
    }
    memset(buf, 0xee, 64);
    if (kv_get(ARRAY_SIZE(sizes) - 1, buf, 10) != KV_VALUE_MAX || buf[10] != 0xee || memcmp(buf, want, 10))
        return 5;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 6;
}

/* Only committed changes survive a remount; commits rotate the superblock slot. */
static int t_uncommitted_lost(void)
{
    if (kv_format(100, 4032) != 0 || kv_put(1, "one", 3) != 0 || kv_commit() != 2)
        return 1;
    if (kvstat_now().super_slot != 2 || kv_put(2, "two", 3) != 0 || kv_del(1) != 0)
        return 2;
    if (kv_mount() != 2 || kv_get(1, buf, 8) != 3 || kv_get(2, buf, 8) != KV_ENOENT)
        return 3;
    if (kv_commit() != 3 || kvstat_now().super_slot != 0 || kv_commit() != 4 || kvstat_now().super_slot != 1)
        return 4;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 5;
}

/* Blocks freed in a transaction stay pinned until its commit; blocks born in it are freed at once. */
static int t_deferred_free(void)
{
    fill(want, KV_VALUE_MAX, 1);
    if (kv_format(100, 4032) != 0 || kv_put(1, want, KV_VALUE_MAX) != 0 || kv_commit() != 2)
        return 1;
    struct kvstat a = kvstat_now();
    if (a.pinned != 0 || kv_put(1, want, KV_VALUE_MAX) != 0)
        return 2;
    struct kvstat b = kvstat_now();
    if (b.pinned < 4 || kv_put(1, want, KV_VALUE_MAX) != 0)
        return 3;
    struct kvstat c = kvstat_now();
    if (c.pinned != b.pinned || c.used_blocks != b.used_blocks || kv_commit() != 3)
        return 4;
    struct kvstat d = kvstat_now();
    if (d.pinned != 0 || d.used_blocks != a.used_blocks)
        return 5;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 6;
}

/* Thousands of keys in a narrow tree: splits and merges at every level, then back to empty. */
static int t_grow_shrink(void)
{
    if (kv_format(4, 1024) != 0)
        return 1;
    for (int k = 1; k <= 1500; k++) {
        fill(want, 100, k);
        if (kv_put((unsigned long)k * 7919 % 1501, want, 100) != 0 || (k % 100 == 0 && kv_commit() < 0))
            return 2;
    }
    if (kvstat_now().height < 5 || kvstat_now().nkeys != 1500 || run("fsck", 0, 0, 0) != 0)
        return 3;
    for (int k = 1; k <= 1500; k++) {
        unsigned long key = (unsigned long)k * 7919 % 1501;
        fill(want, 100, k);
        if (kv_get(key, buf, sizeof buf) != 100 || memcmp(buf, want, 100) != 0)
            return 4;
    }
    for (int k = 1; k <= 1500; k++) {
        if (kv_del((unsigned long)(k * 31 % 1501)) != 0 || (k % 150 == 0 && kv_commit() < 0))
            return 5;
    }
    kv_commit();
    struct kvstat st = kvstat_now();
    if (st.height != 1 || st.nkeys != 0 || st.used_blocks != KV_FIRST_BLOCK + 2)
        return 6;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 7;
}

static int t_kvstress(void)
{
    if (kv_format(5, 1024) != 0 || run("kvstress", "11", "1500", "-q") != 0)
        return 1;
    return run("fsck", 0, 0, 0) == 0 && run("kvcheck", 0, 0, 0) == 0 ? 0 : 2;
}

/* A damaged block gives KV_EIO to the caller and aborts the transaction; nothing panics. */
static int t_corrupt_read(void)
{
    if (kv_format(100, 4032) != 0)
        return 1;
    for (int k = 1; k <= 20; k++)
        kv_put(k, "value", 5);
    if (kv_commit() != 2 || run("kvcorrupt", "leaf", 0, 0) != 0)
        return 2;
    if (kv_get(1, buf, 8) != KV_EIO || kv_put(3, "x", 1) != KV_EIO)
        return 3;
    return run("fsck", 0, 0, 0) == 1 ? 0 : 4;
}

/* Every kind of planted damage makes fsck fail (and an undamaged store passes). */
static int t_fsck_catches(void)
{
    static char *modes[] = {"leaf", "order", "stale", "data", "leak", "double"};
    for (unsigned i = 0; i < ARRAY_SIZE(modes); i++) {
        if (kv_format(8, 1024) != 0 || run("kvstress", "5", "300", "-q") != 0 || run("fsck", 0, 0, 0) != 0)
            return 1;
        if (run("kvcorrupt", modes[i], 0, 0) != 0 || run("fsck", 0, 0, 0) != 1)
            return 10 + (int)i;
    }
    return 0;
}

/* A torn or damaged newest superblock: mount takes the previous one, whose tree is intact. */
static int t_super_fallback(void)
{
    if (kv_format(100, 4032) != 0 || kv_put(1, "a", 1) != 0 || kv_commit() != 2 || kv_put(2, "b", 1) != 0 ||
        kv_commit() != 3 || run("kvcorrupt", "super", 0, 0) != 0)
        return 1;
    if (kv_mount() != 2 || kv_get(1, buf, 8) != 1 || kv_get(2, buf, 8) != KV_ENOENT)
        return 2;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 3;
}

/* Filling the disk: KV_ENOSPC, the transaction is aborted, the last commit is intact. */
static int t_no_space(void)
{
    struct blkinfo bi;
    if (blkinfo(&bi) < 0 || bi.nblocks > 4096 || kv_format(100, 4032) != 0)
        return 1;
    fill(want, KV_VALUE_MAX, 3);
    int r = 0;
    unsigned long k;
    for (k = 1; k < 2000 && r == 0; k++)
        if ((r = kv_put(k, want, KV_VALUE_MAX)) == 0 && k % 50 == 0)
            r = kv_commit() < 0 ? -1 : 0;
    struct kvstat st = kvstat_now();
    if (r != KV_ENOSPC || st.gen < 2 || st.nkeys != (st.gen - 1) * 50)
        return 2;
    if (kv_get(st.nkeys, buf, sizeof buf) != KV_VALUE_MAX || kv_get(st.nkeys + 1, buf, 8) != KV_ENOENT)
        return 3;
    return run("fsck", 0, 0, 0) == 0 ? 0 : 4;
}

static int bad_put(void) { return kv_put(1, (void *)0x10, 100); }
static int bad_get(void) { return kv_get(1, (void *)0x80000000UL, 8); }

static int killed(int (*fn)(void))
{
    int pid = fork(), status = 0;
    if (pid == 0)
        exit(fn() == 12345 ? 0 : 3);
    return wait(&status) == pid && status == -1;
}

static int t_bad_pointers(void)
{
    if (kv_format(100, 4032) != 0 || kv_put(1, "x", 1) != 0)
        return 1;
    if (!killed(bad_put) || !killed(bad_get))
        return 2;
    return kv_get(1, buf, 8) == 1 ? 0 : 3;
}

static const struct test tests[] = {
    {"crc32c", t_crc32c},
    {"format_mount", t_format_mount},
    {"put_get_del", t_put_get_del},
    {"value_sizes", t_value_sizes},
    {"uncommitted_lost", t_uncommitted_lost},
    {"deferred_free", t_deferred_free},
    {"grow_shrink", t_grow_shrink},
    {"kvstress", t_kvstress},
    {"corrupt_read", t_corrupt_read},
    {"fsck_catches", t_fsck_catches},
    {"super_fallback", t_super_fallback},
    {"no_space", t_no_space},
    {"bad_pointers", t_bad_pointers},
};

int main(int argc, char **argv)
{
    struct test_counts c = run_table(tests, ARRAY_SIZE(tests), argc > 1 ? argv[1] : 0, "kvtest", "step");
    printf("%d of %d tests passed\n", c.passed, c.ran);
    return table_verdict(c, 1);
}
