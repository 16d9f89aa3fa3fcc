/*
 * kvstress.c — random inserts, updates and deletes against the key/value
 * store, checked against an in-memory model (the workload: kvwork.h).
 *
 *   kvstress SEED OPS [EVERY [KEYS]] [-q]
 *
 * Runs OPS operations of the workload SEED on keys 1..KEYS (default 64),
 * committing every EVERY operations (default 10) and once more at the end.
 * Every put is read back at once; every 10th commit the whole store is
 * compared with the model (each key's value, and the key set through
 * kv_next); every 25th commit the store is remounted from the disk with
 * the cache emptied first, and compared again. Before each commit key 0
 * receives the commit marker (kvwork.h), so that kvcheck can tell which
 * committed state a crashed disk holds. The store must be empty at the
 * start (mkfs). Each commit prints "kvstress: commit C gen G" (not with -q);
 * the last line is
 *
 *   kvstress: PASS seed S ops N commits C gen G keys K used U
 *   kvstress: FAIL <what> (op I key K ...)
 *
 * and the exit status is 0 or 1.
 */
#include "kvwork.h"

static struct kvw_model model;
static unsigned char vbuf[16384], got[16384];
static int quiet;

static int fail(const char *what, long op, unsigned long key, long err)
{
    printf("kvstress: FAIL %s (op %ld key %ld error %ld)\n", what, op, key, err);
    return 1;
}

static int apply(const struct kvw_op *op, long i)
{
    if (op->del) {
        int r = kv_del(op->key);
        int expect = op->existed ? 0 : KV_ENOENT;
        return r == expect ? 0 : fail("delete", i, op->key, r);
    }
    kvw_value(&model, op->key, vbuf, op->len);
    int r = kv_put(op->key, vbuf, op->len);
    if (r != 0)
        return fail("put", i, op->key, r);
    const char *why = kvw_verify_key(&model, op->key, got, vbuf);
    return why ? fail(why, i, op->key, 0) : 0;
}

static int verify_all(long i)
{
    for (int k = 1; k <= model.keys; k++) {
        const char *why = kvw_verify_key(&model, (unsigned long)k, got, vbuf);
        if (why)
            return fail(why, i, (unsigned long)k, 0);
    }
    const char *why = kvw_verify_keyset(&model, 1);
    return why ? fail(why, i, 0, 0) : 0;
}

static long commit(long commits, long ops, long every, long i)
{
    struct kv_marker mk = {KVW_MARKER_MAGIC, model.seed, (unsigned long)commits, (unsigned long)ops,
                           (unsigned long)every, (unsigned long)model.keys};
    int r = kv_put(0, &mk, sizeof mk);
    long gen = r == 0 ? kv_commit() : r;
    if (gen < 0)
        return fail("commit", i, 0, gen), -1;
    if (!quiet)
        printf("kvstress: commit %ld gen %ld\n", commits, gen);
    return gen;
}

static int remount(long i)
{
    blkinval();
    long g = kv_mount();
    return g < 0 ? fail("remount", i, 0, g) : verify_all(i);
}

static int store_empty(void)
{
    unsigned long next;
    return kv_next(0, &next) == KV_ENOENT && kv_get(0, got, 8) == KV_ENOENT;
}

/* Runs the workload; 0 on success (every failure has printed its FAIL line). */
static int stress(long ops, long every, long *commits, long *gen)
{
    for (long i = 1; i <= ops; i++) {
        struct kvw_op op = kvw_step(&model);
        if (apply(&op, i))
            return 1;
        if (i % every != 0 && i != ops)
            continue;
        if ((*gen = commit(++*commits, i, every, i)) < 0)
            return 1;
        if ((*commits % 10 == 0 || i == ops) && verify_all(i))
            return 1;
        if (*commits % 25 == 0 && remount(i))
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    quiet = argc > 1 && strcmp(argv[argc - 1], "-q") == 0;
    argc -= quiet;
    if (argc < 3) {
        printf("usage: kvstress SEED OPS [EVERY [KEYS]] [-q]\n");
        return 1;
    }
    long seed = atoi(argv[1]), ops = atoi(argv[2]), commits = 0, gen = 0;
    long every = argc > 3 ? atoi(argv[3]) : 10, keys = argc > 4 ? atoi(argv[4]) : 64;
    struct kvstat st;
    if (every < 1 || keys < 1 || keys > KVW_MAX_KEYS || ops < 0)
        return fail("bad arguments", 0, 0, 0);
    if (kv_stat(&st) != 0 && kv_mount() < 0)
        return fail("no store (run mkfs)", 0, 0, 0);
    if (!store_empty())
        return fail("store not empty (run mkfs)", 0, 0, 0);
    kvw_init(&model, (unsigned long)seed, (int)keys);
    if (stress(ops, every, &commits, &gen))
        return 1;
    kv_stat(&st);
    printf("kvstress: PASS seed %ld ops %ld commits %ld gen %ld keys %ld used %ld\n", seed, ops, commits,
           gen, st.nkeys, st.used_blocks);
    return 0;
}
