/*
 * blkpattern.h — the self-describing block format shared by blkharness
 * and blkbench (header-only: every .c file in user/ is a program).
 *
 * A 4 KiB block is 8 sectors of 512 bytes. Every sector starts with its own
 * header (magic "TBLK", sector index, block number, generation), so that a
 * block whose sectors come from different writes (a torn write) is seen as
 * such; the rest of each sector is a pseudo-random pattern derived from
 * (block, generation, sector, word); the last 8 bytes of the block are an
 * FNV-1a checksum of everything before them. Verification classifies a bad
 * block as exactly one of:
 *   stale     every sector is an intact copy of an older generation, or the
 *             block was never written (all zero)
 *   newer     an intact copy of a later generation than expected
 *   torn      the sectors carry different generations (or some are zero)
 *   misplaced intact headers naming another block number
 *   checksum  headers agree with what is expected but the contents do not
 *   garbage   a non-zero sector without a valid header
 */
#ifndef TINYOS_BLKPATTERN_H
#define TINYOS_BLKPATTERN_H
#include "user.h"

#define BLK 4096
#define SECTOR_WORDS 64
#define BLK_WORDS (BLK / 8)
#define BLK_MAGIC 0x4b4c4254UL

enum verdict { V_OK, V_STALE, V_NEWER, V_TORN, V_MISPLACED, V_CHECKSUM, V_GARBAGE, V_NKINDS };

static inline uint64 mix64(uint64 x)
{
    x += 0x9E3779B97F4A7C15UL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
    return x ^ (x >> 31);
}

static inline uint64 fnv64(const uint64 *w, int n)
{
    uint64 h = 0xcbf29ce484222325UL;
    for (int i = 0; i < n; i++)
        h = (h ^ w[i]) * 0x100000001b3UL;
    return h;
}

static inline uint64 pattern_word(uint64 block, uint64 gen, int s, int i)
{
    return mix64((block << 40) ^ (gen << 12) ^ (uint64)(s * SECTOR_WORDS + i));
}

/* Fills w (BLK_WORDS words) with block's contents for generation gen. */
static inline void pattern_fill(uint64 *w, uint64 block, uint64 gen)
{
    for (int s = 0; s < 8; s++) {
        uint64 *sec = w + s * SECTOR_WORDS;
        sec[0] = BLK_MAGIC | ((uint64)s << 32);
        sec[1] = block;
        sec[2] = gen;
        for (int i = 3; i < SECTOR_WORDS; i++)
            sec[i] = pattern_word(block, gen, s, i);
    }
    w[BLK_WORDS - 1] = fnv64(w, BLK_WORDS - 1);
}

static inline int sector_zero(const uint64 *sec)
{
    for (int i = 0; i < SECTOR_WORDS; i++)
        if (sec[i])
            return 0;
    return 1;
}

static inline int sector_header_ok(const uint64 *sec, int s)
{
    return sec[0] == (BLK_MAGIC | ((uint64)s << 32));
}

/* Everything a verdict needs: sector generations (-1 zero, -2 garbage). */
struct block_report {
    enum verdict v;
    long gens[8];
    uint64 holds;               /* block number in the headers */
    uint64 stored, computed;    /* checksums */
};

static inline void scan_sectors(const uint64 *w, struct block_report *r)
{
    r->holds = (uint64)-1;
    for (int s = 0; s < 8; s++) {
        const uint64 *sec = w + s * SECTOR_WORDS;
        if (sector_zero(sec))
            r->gens[s] = -1;
        else if (!sector_header_ok(sec, s))
            r->gens[s] = -2;
        else {
            r->gens[s] = (long)sec[2];
            r->holds = sec[1];
        }
    }
}

/* Classifies the block read as w, expected to be block at generation gen. */
static inline enum verdict pattern_check(const uint64 *w, uint64 block, uint64 gen,
                                         struct block_report *r)
{
    scan_sectors(w, r);
    r->v = V_OK;
    for (int s = 0; s < 8; s++) {
        if (r->gens[s] == -2)
            return r->v = V_GARBAGE;
        if (r->gens[s] != r->gens[0])
            return r->v = V_TORN;
    }
    if (r->gens[0] == -1)
        return r->v = V_STALE;      /* never written */
    if (r->holds != block)
        return r->v = V_MISPLACED;
    if ((uint64)r->gens[0] != gen)
        return r->v = (uint64)r->gens[0] < gen ? V_STALE : V_NEWER;
    r->stored = w[BLK_WORDS - 1];
    r->computed = fnv64(w, BLK_WORDS - 1);
    for (int s = 0; s < 8 && r->stored == r->computed; s++)
        for (int i = 3; i < SECTOR_WORDS; i++)
            if (w[s * SECTOR_WORDS + i] != pattern_word(block, gen, s, i) &&
                !(s == 7 && i == SECTOR_WORDS - 1))
                return r->v = V_CHECKSUM;
    return r->v = r->stored == r->computed ? V_OK : V_CHECKSUM;
}

#endif
