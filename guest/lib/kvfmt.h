/*
 * kvfmt.h — the on-disk format of the copy-on-write key/value store, shared
 * by the kernel (which writes it) and the programs that read raw blocks
 * (fsck, kvcorrupt). guest/FORMAT.md is the prose version of this header;
 * change both together and bump KV_VERSION.
 *
 * The disk is an array of 4 KiB blocks, numbered from 0:
 *
 *   block 0      1       2       3       4 ..................... nblocks-1
 *   +-------+-------+-------+-------+------------------------------------+
 *   | (res.)| super | super | super | tree blocks (allocated low first)  |
 *   |       |  #0   |  #1   |  #2   |      ...  free  ...                |
 *   |       |       |       |       |   data extents (allocated high)    |
 *   +-------+-------+-------+-------+------------------------------------+
 *
 * Every metadata block (superblock, internal node, leaf) starts with the
 * same 64-byte header; the checksum covers bytes 4..4095 of the block:
 *
 *   0      4      8          16         24         32      36    38    40     48     64
 *   +------+------+----------+----------+----------+-------+-----+-----+------+------+
 *   | csum | magic| blockno  |generation|   fsid   | owner |type |level|nitems| res. |
 *   +------+------+----------+----------+----------+-------+-----+-----+------+------+
 *
 * Internal node (type KV_BT_NODE, level >= 1): nitems pointers after the
 * header, sorted by key; pointer i's key is the first key of child i:
 *
 *   | header | key 24 | blockno 8 | gen 8 | key | blockno | gen | ... |
 *
 * Leaf (type KV_BT_LEAF, level 0): an item array growing up from the
 * header and the item data packed down from the end of the block:
 *
 *   | header | item 0 | item 1 | ... free ... | data 1 | data 0 |
 *            (key, offset, size)               ^ item.offset
 */
#ifndef TINYOS_KVFMT_H
#define TINYOS_KVFMT_H
#include "types.h"

#define KV_BSIZE 4096
#define KV_MAGIC 0x314b5654u          /* bytes "TVK1" */
#define KV_VERSION 2                  /* 2 adds the file-system trees (fsroot); 1 is still read */
#define KV_VERSION_MIN 1
#define KV_SUPER_SLOTS 3
#define KV_SUPER_BLOCK(slot) (1 + (uint64)(slot))
#define KV_FIRST_BLOCK 4              /* blocks below are reserved (0) or superblocks */
#define KV_MIN_BLOCKS 64

/* header.type */
#define KV_BT_SUPER 1
#define KV_BT_NODE 2
#define KV_BT_LEAF 3

/* header.owner: the tree a block belongs to (0 for superblocks) */
#define KV_TREE_KV 1                  /* the user's key/value items */
#define KV_TREE_FREE 2                /* free-space extents */
#define KV_NTREES 2                   /* trees in kv_super.root */
#define KV_TREE_ROOT 3                /* file system: subvolume id -> FS tree root (fsfmt.h) */
#define KV_TREE_EXTENT 4              /* file system: data extent and shared tree block refs */
#define KV_TREE_CSUM 5                /* file system: CRC-32C of every data block */
#define KV_TREE_FS 6                  /* file system: every subvolume's FS tree */
#define KV_NFSTREES 3                 /* trees in kv_super.fsroot: ROOT, EXTENT, CSUM */

/* key.type */
#define KV_KEY_VALUE 0x10             /* (user key, VALUE, 0) -> struct kv_value + payload */
#define KV_KEY_FREE 0x20              /* (first block, FREE, length): no data */

/* value kinds (struct kv_value.kind) */
#define KV_VAL_INLINE 1               /* len payload bytes follow in the leaf */
#define KV_VAL_EXTENT 2               /* a struct kv_extent follows; payload in data blocks */

/* size limits */
#define KV_INLINE_MAX 192             /* larger values go to a data extent */
#define KV_VALUE_MAX (4 * KV_BSIZE)   /* largest value */
#define KV_HDR_SIZE 64
#define KV_NODE_CAP ((KV_BSIZE - KV_HDR_SIZE) / 40)   /* 100 pointers */
#define KV_LEAF_CAP (KV_BSIZE - KV_HDR_SIZE)          /* 4032 bytes of items + data */
#define KV_NODE_MIN_MAX 4             /* smallest node_max mkfs accepts */
#define KV_LEAF_MIN_LIMIT 1024        /* smallest leaf_limit mkfs accepts */

struct kv_key {
    uint64 objectid;
    uint64 offset;
    uint8 type;
    uint8 pad[7];
};                                    /* 24 bytes; order: (objectid, type, offset) */

struct kv_header {
    uint32 csum;                      /* CRC-32C of bytes 4..4095 */
    uint32 magic;
    uint64 blockno;                   /* the address this block was written for */
    uint64 gen;                       /* transaction that wrote it */
    uint64 fsid;                      /* identity of the file system (mkfs) */
    uint32 owner;
    uint16 type;
    uint16 level;                     /* 0 = leaf; superblock: its slot */
    uint32 nitems;
    uint32 reserved0;
    uint64 reserved[2];
};                                    /* 64 bytes */

struct kv_ptr {                       /* internal node entry */
    struct kv_key key;
    uint64 blockno;
    uint64 gen;                       /* the child's header.gen */
};                                    /* 40 bytes */

struct kv_item {                      /* leaf entry */
    struct kv_key key;
    uint32 offset;                    /* of the item data from the block start */
    uint32 size;
};                                    /* 32 bytes */

struct kv_value {                     /* data of a KV_KEY_VALUE item */
    uint32 kind;
    uint32 len;                       /* payload bytes */
};

struct kv_extent {                    /* follows a KV_VAL_EXTENT kv_value */
    uint64 start;                     /* first block */
    uint32 nblocks;
    uint32 csum;                      /* CRC-32C of the len payload bytes */
    uint64 gen;                       /* transaction that wrote the extent */
};

struct kv_root {
    uint64 blockno;
    uint64 gen;
    uint32 level;
    uint32 pad;
};

struct kv_super {
    struct kv_header h;               /* type SUPER, owner 0, level = slot */
    uint64 version;                   /* KV_VERSION */
    uint64 nblocks;                   /* blocks the file system spans */
    struct kv_root root[KV_NTREES + 1]; /* indexed by KV_TREE_*; [0] unused */
    uint32 node_max;                  /* pointers per internal node, 4..KV_NODE_CAP */
    uint32 leaf_limit;                /* item + data bytes per leaf, 1024..KV_LEAF_CAP */
    uint64 used_blocks;               /* reserved + tree + data blocks */
    uint64 nkeys;                     /* items in the kv tree */
    struct kv_root fsroot[KV_NFSTREES]; /* version 2: ROOT, EXTENT, CSUM trees; all zero = no file system */
};

/* The sizes FORMAT.md states: a change here is a format change. */
_Static_assert(sizeof(struct kv_key) == 24, "kv_key");
_Static_assert(sizeof(struct kv_header) == KV_HDR_SIZE, "kv_header");
_Static_assert(sizeof(struct kv_ptr) == 40, "kv_ptr");
_Static_assert(sizeof(struct kv_item) == 32, "kv_item");
_Static_assert(sizeof(struct kv_extent) == 24, "kv_extent");
_Static_assert(sizeof(struct kv_super) == 248, "kv_super");

/* Leaf item bytes: the item itself plus its data. */
#define KV_ITEM_BYTES(size) (sizeof(struct kv_item) + (size))

static inline int kv_key_cmp(const struct kv_key *a, const struct kv_key *b)
{
    if (a->objectid != b->objectid)
        return a->objectid < b->objectid ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return 0;
}

#endif
