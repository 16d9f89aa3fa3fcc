/*
 * fs.h — the file system on the copy-on-write store: the pieces and how
 * they call each other (format: ../lib/fsfmt.h and ../FORMAT.md).
 *
 *   sysfs.c    system calls on paths and descriptors
 *   file.c     open files and per-process descriptor tables (console, inode)
 *   fspath.c   path resolution: absolute, relative, ".", "..", subvolumes
 *   fstree.c   subvolumes (root tree), inodes, directory entries, format,
 *              the periodic commit thread
 *   fsdata.c   file data: extents, reference counts, checksums, CoW writes,
 *              reads, truncate, reflink; sharing of tree blocks by snapshots
 *
 * All of it runs under the store's sleeplock (lock_store), taken by each
 * system call; a subvolume is addressed through its slot in kvfs.root[]
 * (fs_slot), which stays valid only while the lock is held.
 */
#ifndef TINYOS_FS_H
#define TINYOS_FS_H
#include "kv.h"
#include "../lib/fsfmt.h"

#define FS_COMMIT_TICKS 300           /* periodic commit: every 3 s of guest time */
#define FS_PATH_MAX 256

#define FS_MAX_FILE (1ULL << 30)      /* largest file size (EFBIG beyond) */

static inline struct kv_key fs_key(uint64 obj, uint8 type, uint64 off)
{
    return (struct kv_key){.objectid = obj, .offset = off, .type = type};
}

struct fs_loc {                       /* an inode: which FS tree, which number */
    uint64 subvol, ino;
};

struct fs_stats {
    uint64 data_writes, user_bytes, commits_periodic;
};
extern struct fs_stats fs_stats;

/* fstree.c */
int fs_ready(void);
int fs_slot(uint64 subvol);
int fs_root_item(uint64 subvol, struct fs_root_item *ri);
int fs_new_ino(int slot, uint64 *ino);
int inode_get(int slot, uint64 ino, struct fs_inode *in);
int inode_put(int slot, uint64 ino, const struct fs_inode *in);
int inode_del(int slot, uint64 ino);
int dir_lookup(int slot, uint64 dir, const char *name, struct fs_dirent *out);
int dir_add(int slot, uint64 dir, const char *name, uint64 ino, int type);
int dir_remove(int slot, uint64 dir, const char *name);
int dir_next(int slot, uint64 dir, uint64 seq, struct fs_dirent *d, char *name);
int fs_snapshot(uint64 src_subvol, uint64 *new_subvol, uint64 parent_subvol, uint64 parent_dir);
int fs_subvol_create(uint64 *new_subvol, uint64 parent_subvol, uint64 parent_dir);
int fs_commit(void);
void fs_mark_dirty(void);

/* fsdata.c */
int file_read(int slot, uint64 ino, const struct fs_inode *in, uint64 off, uint64 dst, int user,
              uint32 n);
int file_write(int slot, uint64 ino, struct fs_inode *in, uint64 off, uint64 src, int user,
               uint32 n);
int file_truncate(int slot, uint64 ino, struct fs_inode *in, uint64 size);
int file_clone(int sslot, uint64 sino, int dslot, uint64 dino);
int file_count(int slot, uint64 ino, uint64 *blocks, uint64 *extents);
int fs_tree_ref(uint64 blockno, int delta);

/* fspath.c */
int path_resolve(const char *path, struct fs_loc *out);
int path_parent(const char *path, struct fs_loc *dir, char *name);
int path_of(struct fs_loc loc, char *buf, int max);
int loc_dotdot(struct fs_loc loc, struct fs_loc *out);

#endif
