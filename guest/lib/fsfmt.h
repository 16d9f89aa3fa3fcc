/*
 * fsfmt.h — the on-disk format of the tiny-os file system: the items that
 * the file-system trees hold on top of the copy-on-write store (kvfmt.h).
 * Shared by the kernel (kernel/fs*.c) and fsck; guest/FORMAT.md, section
 * "The file system", is the prose version. Change both together.
 *
 *   superblock.fsroot[0] -> ROOT tree     (subvol id, ROOT_ITEM, 0) -> fs_root_item
 *                                                  |  one per subvolume / snapshot
 *                                                  v
 *                           FS tree (owner 6)      (ino, INODE, 0)        -> fs_inode
 *                                                  (dir, DIR_HASH, crc)   -> fs_dirent+name ...
 *                                                  (dir, DIR_INDEX, seq)  -> fs_dirent+name
 *                                                  (ino, FILE_EXTENT, off)-> fs_file_extent --+
 *   superblock.fsroot[1] -> EXTENT tree   (start, EXT_DATA, nblocks)  -> fs_extent_item <-----+ refs
 *                                         (block, EXT_SHARED, 0)      -> u32 refs (tree block >= 2)
 *   superblock.fsroot[2] -> CSUM tree     (start, CSUM, nblocks)      -> u32 crc32c[nblocks]
 *
 * File data lives in data extents (runs of whole 4 KiB blocks, no header),
 * never changed after the transaction that wrote them; a file extent item
 * maps a block-aligned range of a file to a range of one data extent.
 */
#ifndef TINYOS_FSFMT_H
#define TINYOS_FSFMT_H
#include "kvfmt.h"

/* key.type of file-system items */
#define FS_KEY_INODE 0x01
#define FS_KEY_DIR_HASH 0x54          /* offset = crc32c(name): the lookup index */
#define FS_KEY_DIR_INDEX 0x60         /* offset = sequence number: the listing order */
#define FS_KEY_FILE_EXTENT 0x6c       /* offset = file offset in bytes, block aligned */
#define FS_KEY_CSUM 0x80              /* csum tree: (extent start, CSUM, nblocks) */
#define FS_KEY_ROOT_ITEM 0x84         /* root tree: (subvolume id, ROOT_ITEM, 0) */
#define FS_KEY_EXT_DATA 0xa8          /* extent tree: (extent start, EXT_DATA, nblocks) */
#define FS_KEY_EXT_SHARED 0xb0        /* extent tree: (tree block, EXT_SHARED, 0), refs >= 2 */

#define FS_TOP_SUBVOL 5               /* the subvolume mkfs creates: "/" */
#define FS_ROOT_INO 256               /* every subvolume's root directory */
#define FS_NAME_MAX 59
#define FS_EXTENT_MAX 32              /* blocks per data extent a write allocates */

/* fs_inode.mode and fs_dirent.type */
#define FS_T_FILE 1
#define FS_T_DIR 2
#define FS_T_SUBVOL 3                 /* dirent only: ino is a subvolume id; enters its root dir */

struct fs_inode {
    uint32 mode;                      /* FS_T_FILE or FS_T_DIR */
    uint32 nlink;                     /* directory entries naming it (dirs: 1) */
    uint64 size;                      /* bytes (dirs: entries) */
    uint64 next_index;                /* dirs: next DIR_INDEX sequence number */
    uint64 parent;                    /* dirs: the parent directory's ino (root: itself) */
    uint64 mtime;                     /* guest ticks of the last change */
    uint64 gen;                       /* transaction that created it */
};                                    /* 48 bytes */

struct fs_dirent {                    /* DIR_HASH items hold one or more, packed */
    uint64 ino;                       /* inode, or subvolume id for FS_T_SUBVOL */
    uint64 index;                     /* the DIR_INDEX sequence number of this name */
    uint8 type;
    uint8 namelen;
    uint8 pad[6];
    /* namelen bytes of name follow, no terminator */
};                                    /* 24 bytes + name */

struct fs_file_extent {
    uint64 disk_start;                /* the data extent (key of its EXT_DATA item) */
    uint32 disk_nblocks;
    uint32 pad;
    uint64 extent_off;                /* first block of the extent this item uses */
    uint64 nblocks;                   /* blocks of the file it maps */
    uint64 gen;                       /* transaction that wrote the extent */
};                                    /* 40 bytes */

struct fs_extent_item {
    uint32 refs;                      /* file extent items (in distinct leaves) naming it */
    uint32 pad;
    uint64 gen;                       /* transaction that allocated it */
};                                    /* 16 bytes */

struct fs_root_item {
    struct kv_root root;              /* the FS tree's root block */
    uint64 next_ino;                  /* the next inode number to hand out */
    uint64 parent_subvol;             /* where ".." of its root directory leads (top: itself) */
    uint64 parent_dir;
    uint64 gen_created;
};                                    /* 56 bytes */

_Static_assert(sizeof(struct fs_inode) == 48, "fs_inode");
_Static_assert(sizeof(struct fs_dirent) == 24, "fs_dirent");
_Static_assert(sizeof(struct fs_file_extent) == 40, "fs_file_extent");
_Static_assert(sizeof(struct fs_extent_item) == 16, "fs_extent_item");
_Static_assert(sizeof(struct fs_root_item) == 56, "fs_root_item");

#endif
