/*
 * kvdisk.h — reading the key/value store's raw blocks from user space
 * (through blkread), for the programs that inspect or damage the format
 * without the kernel's help: fsck, kvcorrupt, kvtests. The format itself is
 * lib/kvfmt.h; this file only finds and checks superblocks and headers.
 */
#ifndef TINYOS_KVDISK_H
#define TINYOS_KVDISK_H
#include "user.h"
#include "../lib/kvfmt.h"
#include "../lib/crc32c.h"

#define KVD static __attribute__((unused))

KVD uint32 kvd_csum(const void *block)
{
    return crc32c(0, (const uint8 *)block + 4, KV_BSIZE - 4);
}

KVD void kvd_seal(void *block)
{
    ((struct kv_header *)block)->csum = kvd_csum(block);
}

/* The common header checks: 0 or the name of the failed check. */
KVD const char *kvd_check(const void *block, uint64 blockno)
{
    const struct kv_header *h = block;
    if (h->magic != KV_MAGIC)
        return "magic";
    if (h->csum != kvd_csum(block))
        return "checksum";
    if (h->blockno != blockno)
        return "logical address";
    return 0;
}

/* Superblock of slot into sb: 0, or the failed check. */
KVD const char *kvd_super(int slot, struct kv_super *sb)
{
    static uint8 b[KV_BSIZE];
    if (blkread((long)KV_SUPER_BLOCK(slot), b) < 0)
        return "unreadable";
    const char *why = kvd_check(b, KV_SUPER_BLOCK(slot));
    memcpy(sb, b, sizeof *sb);
    if (!why && sb->h.type != KV_BT_SUPER)
        why = "block type";
    if (!why && sb->h.level != slot)
        why = "slot";
    if (!why && (sb->version < KV_VERSION_MIN || sb->version > KV_VERSION))
        why = "version";
    return why;
}

/* The valid superblock with the highest generation; its slot, or -1. */
KVD int kvd_newest(struct kv_super *best)
{
    static struct kv_super s;
    int slot = -1;
    for (int i = 0; i < KV_SUPER_SLOTS; i++)
        if (!kvd_super(i, &s) && (slot < 0 || s.h.gen > best->h.gen)) {
            *best = s;
            slot = i;
        }
    return slot;
}

#endif
