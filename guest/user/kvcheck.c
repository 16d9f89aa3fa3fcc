/*
 * kvcheck.c — checks that the store holds exactly one committed state of a
 * kvstress run (the crash-state oracle; workload and marker: kvwork.h).
 *
 *   kvcheck [MIN]
 *
 * Mounts the store, reads the commit marker (key 0), recomputes the model
 * of that kvstress run after the operations the marker covers, and compares
 * every key's value and the whole key set. Without a marker the store must
 * be empty: the state mkfs left (commit 0). Prints
 *
 *   kvcheck: PASS commit C gen G keys N
 *   kvcheck: FAIL <what> (...)
 *
 * and exits 0 or 1. A checker of a crash state compares C with the commits
 * the crashed run had completed ("kvstress: commit C gen G" lines): C must
 * be the last one completed before the power cut or a later one. Given MIN,
 * kvcheck does that itself: a store whose commit is below MIN lost a commit
 * the run had reported durable ("FAIL lost a reported commit (C, MIN)").
 */
#include "kvwork.h"

static struct kvw_model model;
static unsigned char got[16384], want[16384];

static int fail(const char *what, long a, long b)
{
    printf("kvcheck: FAIL %s (%ld, %ld)\n", what, a, b);
    return 1;
}

static int check_marker(const struct kv_marker *mk, int n)
{
    if (n != sizeof *mk || mk->magic != KVW_MARKER_MAGIC || mk->keys < 1 || mk->keys > KVW_MAX_KEYS)
        return fail("bad commit marker (length, magic or keys)", n, 0);
    kvw_init(&model, mk->seed, (int)mk->keys);
    for (unsigned long i = 0; i < mk->ops; i++)
        kvw_step(&model);
    return 0;
}

static int compare(void)
{
    for (int k = 1; k <= model.keys; k++) {
        const char *why = kvw_verify_key(&model, (unsigned long)k, got, want);
        if (why)
            return fail(why, k, model.version[k]);
    }
    const char *why = kvw_verify_keyset(&model, 1);
    return why ? fail(why, 0, 0) : 0;
}

/* The store holds commit c: fails if that is older than the reported min. */
static int check_durable(long c, long min)
{
    return c < min ? fail("lost a reported commit", c, min) : 0;
}

int main(int argc, char **argv)
{
    long min = argc > 1 ? atoi(argv[1]) : 0;
    static struct kv_marker mk;
    long gen = kv_mount();
    if (gen < 0)
        return fail("mount", gen, 0);
    int n = kv_get(0, &mk, sizeof mk);
    unsigned long next;
    if (n == KV_ENOENT) {
        int r = kv_next(0, &next);
        if (r != KV_ENOENT)
            return fail("no commit marker but the store is not empty", r, (long)next);
        if (check_durable(0, min))
            return 1;
        printf("kvcheck: PASS commit 0 gen %ld keys 0\n", gen);
        return 0;
    }
    if (n < 0)
        return fail("reading the commit marker", n, 0);
    if (check_marker(&mk, n) || compare() || check_durable((long)mk.commit, min))
        return 1;
    struct kvstat st;
    kv_stat(&st);
    printf("kvcheck: PASS commit %ld gen %ld keys %ld\n", mk.commit, gen, st.nkeys);
    return 0;
}
