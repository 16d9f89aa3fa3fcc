/*
 * kvwork.h — the deterministic key/value workload shared by kvstress (which
 * runs it against the store) and kvcheck (which recomputes it to check a
 * store found after a crash).
 *
 * The workload is a pure function of (seed, keys): operation i is drawn
 * from a xorshift64* stream and never depends on what the store answered,
 * so the expected content after any number of operations can be recomputed
 * without a disk. An operation puts a new version of a random key (value
 * length: 60% 0..99 bytes, 25% 100..192 (still inline), 15% 193..16384, a
 * data extent) or deletes a random key. A value's bytes are a function of
 * (seed, key, version, length).
 *
 * Commit marker: before each commit kvstress puts key 0 = struct kv_marker
 * (the seed, the commit number and how many operations it covers), so the
 * committed state with marker (c, ops) is exactly the model after ops
 * operations plus that marker. A store without key 0 must be empty (the
 * state mkfs left).
 */
#ifndef TINYOS_KVWORK_H
#define TINYOS_KVWORK_H
#include "user.h"

#define KVW_MAX_KEYS 4096
#define KVW_MARKER_MAGIC 0x6b76776f726b3031UL

struct kv_marker {
    unsigned long magic, seed, commit, ops, every, keys;
};

struct kvw_model {
    unsigned long rng, seed;
    int keys;
    unsigned char present[KVW_MAX_KEYS + 1];
    unsigned int version[KVW_MAX_KEYS + 1];
    unsigned short len[KVW_MAX_KEYS + 1];
};

struct kvw_op {
    int del;
    unsigned long key;
    int len;
    int existed;                      /* the key was present before the operation */
};

static unsigned long kvw_next(unsigned long *s)
{
    unsigned long x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DUL;
}

static void kvw_init(struct kvw_model *m, unsigned long seed, int keys)
{
    memset(m, 0, sizeof *m);
    m->seed = seed;
    m->rng = seed * 0x9E3779B97F4A7C15UL + 0x1234567UL;
    m->keys = keys;
}

static int kvw_len(struct kvw_model *m)
{
    unsigned long p = kvw_next(&m->rng) % 100, r = kvw_next(&m->rng);
    if (p < 60)
        return (int)(r % 100);
    if (p < 85)
        return 100 + (int)(r % 93);
    return 193 + (int)(r % (16384 - 193 + 1));
}

/* Draws the next operation and applies it to the model. */
static struct kvw_op kvw_step(struct kvw_model *m)
{
    struct kvw_op op;
    op.key = 1 + kvw_next(&m->rng) % (unsigned long)m->keys;
    op.del = kvw_next(&m->rng) % 100 < 30;
    op.len = op.del ? 0 : kvw_len(m);
    op.existed = m->present[op.key];
    if (op.del) {
        m->present[op.key] = 0;
    } else {
        m->present[op.key] = 1;
        m->version[op.key]++;
        m->len[op.key] = (unsigned short)op.len;
    }
    return op;
}

/* The bytes of (key, version) of length len. */
static void kvw_value(const struct kvw_model *m, unsigned long key, unsigned char *buf, int len)
{
    unsigned long s = m->seed ^ (key << 20) ^ ((unsigned long)m->version[key] << 44) ^ (unsigned long)len;
    s = s ? s : 1;
    for (int i = 0; i < len; i += 8) {
        unsigned long v = kvw_next(&s);
        for (int j = 0; j < 8 && i + j < len; j++)
            buf[i + j] = (unsigned char)(v >> (8 * j));
    }
}

/* Compares the store's value of key with the model: 0, or a reason. */
static const char *kvw_verify_key(const struct kvw_model *m, unsigned long key, unsigned char *got,
                                  unsigned char *want)
{
    int n = kv_get(key, got, 16384);
    if (!m->present[key])
        return n == KV_ENOENT ? 0 : n < 0 ? "get of a deleted key failed" : "deleted key is present";
    if (n < 0)
        return n == KV_ENOENT ? "key missing" : "get failed";
    if (n != m->len[key])
        return "wrong value length";
    kvw_value(m, key, want, n);
    return memcmp(got, want, n) == 0 ? 0 : "wrong value bytes";
}

/* Every key of the store is 0 (if marker) or present in the model, and vice versa: 0 or a reason. */
static const char *kvw_verify_keyset(const struct kvw_model *m, int marker)
{
    unsigned long k = 0, next;
    int seen = 0, expect = 0, r;
    for (int i = 1; i <= m->keys; i++)
        expect += m->present[i];
    while ((r = kv_next(k, &next)) == 0) {
        if (next > (unsigned long)m->keys || !m->present[next])
            return "store holds a key the model does not";
        seen++;
        k = next;
    }
    if (r != KV_ENOENT)
        return "kv_next failed";
    static unsigned char probe[8];
    if (!marker && kv_get(0, probe, sizeof probe) != KV_ENOENT)
        return "unexpected marker key 0";
    return seen == expect ? 0 : "store lacks keys the model has";
}

#endif
