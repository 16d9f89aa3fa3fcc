/*
 * sysfs.c — the file system calls (numbers and errors: lib/syscall_nr.h;
 * guest/README.md, "Files").
 *
 * Each call copies its path arguments in (EFAULT for a bad pointer; the
 * process lives on), takes the store's sleeplock, makes sure a file system
 * is mounted (fs_ready: ENODEV on a disk without one), works in the running
 * transaction, and drops the lock. A failure with EIO or ENOSPC in the
 * middle of a change aborts the transaction: the store is remounted at its
 * last commit, so a half-done change (a rename with only one of its two
 * entries changed, say) is never visible and never committed. Calls that
 * change nothing (read, stat, readdir, ...) leave through leave_ro: a read
 * that fails its data checksum reports EIO and rolls nothing back. Everything
 * else a call changes becomes durable at the next commit: fsync, sync, a
 * snapshot, or the periodic commit (FS_COMMIT_TICKS).
 *
 * The inode file type's read and write (inode_ops) live here too: they are
 * reached through read(2)/write(2) and the descriptor layer (file.c).
 */
#include "fs.h"
#include "proc.h"
#include "file.h"

uint64 argraw(int n);

/* ---- locking, mounting, aborting ---- */

static int enter(void)
{
    lock_store();
    int r = fs_ready();
    if (r)
        unlock_store();
    return r;
}

/* Leaves the store after a call that changed nothing: errors are just returned. */
static int64 leave_ro(int64 r)
{
    unlock_store();
    return r;
}

/* Leaves the store; a failed change is rolled back to the last commit. */
static int64 leave(int64 r)
{
    if (r == EIO || r == ENOSPC) {
        kprintf("fs: transaction %ld aborted (error %ld); back to generation %ld\n", kvfs.txn, r, kvfs.gen);
        kvs_mount();
    }
    unlock_store();
    return r;
}

static int get_path(int arg, char *buf)
{
    uint64 u = argraw(arg);
    struct proc *p = myproc();
    for (int i = 0; i < FS_PATH_MAX; i++) {
        if (copyin(p->pagetable, buf + i, u + i, 1) < 0)
            return EFAULT;
        if (!buf[i])
            return 0;
    }
    return ENAMETOOLONG;
}

static int put_user(int arg, const void *src, uint64 n)
{
    return copyout(myproc()->pagetable, argraw(arg), src, n) < 0 ? EFAULT : 0;
}

/* ---- inode files: read and write through descriptors ---- */

static int64 inode_rw(struct file *f, uint64 ubuf, int n, int write)
{
    struct fs_inode in;
    int r = enter();
    if (r)
        return r;
    int slot = fs_slot(f->subvol);
    r = slot < 0 ? slot : inode_get(slot, f->ino, &in);
    if (r == 0 && in.mode == FS_T_DIR)
        r = EISDIR;
    if (r == 0 && write && f->append)
        f->off = in.size;
    if (r == 0 && !write)
        r = file_read(slot, f->ino, &in, f->off, ubuf, 1, (uint32)n);
    if (r == 0 && write && n > 0 && (r = file_write(slot, f->ino, &in, f->off, ubuf, 1, (uint32)n)) > 0) {
        int p = inode_put(slot, f->ino, &in);
        fs_stats.user_bytes += (uint64)r;
        r = p ? p : r;
    }
    if (r > 0)
        f->off += (uint64)r;
    return write ? leave(r) : leave_ro(r);
}

static int64 inode_read(struct file *f, uint64 ubuf, int n) { return inode_rw(f, ubuf, n, 0); }
static int64 inode_write(struct file *f, uint64 ubuf, int n) { return inode_rw(f, ubuf, n, 1); }
const struct fileops inode_ops = {inode_read, inode_write};

/* ---- creating and opening ---- */

/* Looks name up in dir: 0 and its entry in *d, or an error (ENOENT: no such name). *slot: dir's subvolume slot. */
static int lookup_in(struct fs_loc dir, const char *name, struct fs_dirent *d, int *slot)
{
    *slot = fs_slot(dir.subvol);
    return *slot < 0 ? *slot : dir_lookup(*slot, dir.ino, name, d);
}

/* 0 if name is free in dir (*slot: dir's subvolume slot), EEXIST if it is taken, or the lookup's error. */
static int name_free(struct fs_loc dir, const char *name, int *slot)
{
    struct fs_dirent d;
    int r = lookup_in(dir, name, &d, slot);
    return r == 0 ? EEXIST : r == ENOENT ? 0 : r;
}

/* A new inode of type mode named name in dir; its number in *ino. */
static int create(struct fs_loc dir, const char *name, int mode, uint64 *ino)
{
    int slot;
    int r = name_free(dir, name, &slot);
    if (r)
        return r;
    fs_new_ino(slot, ino);
    struct fs_inode in = {.mode = (uint32)mode, .nlink = 1, .next_index = 1, .parent = dir.ino,
                          .mtime = ticks, .gen = kvfs.txn};
    r = inode_put(slot, *ino, &in);
    return r ? r : dir_add(slot, dir.ino, name, *ino, mode);
}

/* The file path names, created when flags say so; truncated on O_TRUNC. */
static int open_loc(const char *path, int flags, struct fs_loc *loc, int *mode)
{
    char name[FS_NAME_MAX + 1];
    struct fs_inode in;
    int r = path_resolve(path, loc);
    if (r == ENOENT && (flags & O_CREAT) && (r = path_parent(path, loc, name)) == 0 &&
        (r = create(*loc, name, FS_T_FILE, &loc->ino)) == 0)
        r = 0;
    int slot = r ? r : fs_slot(loc->subvol);
    r = slot < 0 ? slot : inode_get(slot, loc->ino, &in);
    if (r == 0 && in.mode == FS_T_DIR && (flags & 3) != O_RDONLY)
        r = EISDIR;
    if (r == 0 && in.mode == FS_T_FILE && (flags & O_TRUNC) && (flags & 3) != O_RDONLY && in.size) {
        r = file_truncate(slot, loc->ino, &in, 0);
        r = r ? r : inode_put(slot, loc->ino, &in);
    }
    *mode = (int)in.mode;
    return r;
}

int64 sys_open(void)
{
    char path[FS_PATH_MAX];
    int flags = (int)argraw(1), mode = 0, r = get_path(0, path);
    struct fs_loc loc;
    if (r == 0 && ((flags & 3) == 3 || (flags & ~(3 | O_CREAT | O_TRUNC | O_APPEND))))
        r = EINVAL;
    if (r || (r = enter()) != 0)
        return r;
    r = open_loc(path, flags, &loc, &mode);
    r = flags & (O_CREAT | O_TRUNC) ? leave(r) : leave_ro(r);
    struct file *f = r ? 0 : file_alloc(FD_INODE);
    if (r || !f)
        return r ? r : ENFILE;
    *f = (struct file){.type = FD_INODE, .ref = 1, .readable = (flags & 3) != O_WRONLY,
                       .writable = (flags & 3) != O_RDONLY, .append = (flags & O_APPEND) != 0,
                       .subvol = loc.subvol, .ino = loc.ino};
    if ((r = fd_alloc(f)) < 0)
        file_close(f);
    return r;
}

int64 sys_close(void) { return fd_close((int)argraw(0)); }

static struct file *inode_fd(int fd)
{
    struct file *f = fd_get(fd);
    return f && f->type == FD_INODE ? f : 0;
}

static int64 seek(struct file *f, int64 off, int64 whence)
{
    struct fs_inode in;
    int slot = fs_slot(f->subvol);
    int r = slot < 0 ? slot : inode_get(slot, f->ino, &in);
    if (r)
        return r;
    if (whence == SEEK_CUR)
        off += (int64)f->off;
    else if (whence == SEEK_END)
        off += (int64)in.size;
    else if (whence != SEEK_SET)
        return EINVAL;
    if (off < 0 || (uint64)off > FS_MAX_FILE)
        return EINVAL;
    f->off = (uint64)off;
    return off;
}

int64 sys_lseek(void)
{
    struct file *f = inode_fd((int)argraw(0));
    if (!f)
        return EBADF;
    int r = enter();
    return r ? r : leave_ro(seek(f, (int64)argraw(1), (int64)argraw(2)));
}

/* ---- stat ---- */

static int fill_stat(struct fs_loc loc, struct stat *st)
{
    struct fs_inode in;
    uint64 blocks = 0, extents = 0;
    int slot = fs_slot(loc.subvol);
    int r = slot < 0 ? slot : inode_get(slot, loc.ino, &in);
    if (r == 0 && in.mode == FS_T_FILE)
        r = file_count(slot, loc.ino, &blocks, &extents);
    *st = (struct stat){loc.ino, loc.subvol, in.mode, in.nlink, in.size, blocks, extents, in.mtime};
    return r;
}

int64 sys_fstat(void)
{
    struct file *f = inode_fd((int)argraw(0));
    struct stat st;
    if (!f)
        return EBADF;
    int r = enter();
    if (r)
        return r;
    r = leave_ro(fill_stat((struct fs_loc){f->subvol, f->ino}, &st));
    return r ? r : put_user(1, &st, sizeof st);
}

int64 sys_stat(void)
{
    char path[FS_PATH_MAX];
    struct fs_loc loc;
    struct stat st;
    int r = get_path(0, path);
    if (r || (r = enter()) != 0)
        return r;
    r = path_resolve(path, &loc);
    r = leave_ro(r ? r : fill_stat(loc, &st));
    return r ? r : put_user(1, &st, sizeof st);
}

/* ---- names: mkdir, rmdir, unlink, rename ---- */

/*
 * Copies path argument arg in, enters the store and finds the path's parent
 * directory (*dir) and last name. 0: entered, the caller leaves; otherwise the
 * error, the store already left (or never entered).
 */
static int enter_parent(int arg, struct fs_loc *dir, char *name)
{
    char path[FS_PATH_MAX];
    int r = get_path(arg, path);
    if (r || (r = enter()) != 0)
        return r;
    r = path_parent(path, dir, name);
    return r ? (int)leave(r) : 0;
}

int64 sys_mkdir(void)
{
    char name[FS_NAME_MAX + 1];
    struct fs_loc dir;
    uint64 ino;
    int r = enter_parent(0, &dir, name);
    return r ? r : leave(create(dir, name, FS_T_DIR, &ino));
}

/* Removes name from dir; the inode goes with it (files: its data too). want: the type required. */
static int remove(struct fs_loc dir, const char *name, int want)
{
    struct fs_dirent d;
    struct fs_inode in;
    int slot;
    int r = lookup_in(dir, name, &d, &slot);
    if (r == 0 && d.type == FS_T_SUBVOL)
        return EINVAL;                /* subvolumes are not removed */
    if (r == 0 && d.type != want)
        r = want == FS_T_DIR ? ENOTDIR : EISDIR;
    if (r == 0)
        r = inode_get(slot, d.ino, &in);
    if (r == 0 && in.mode == FS_T_DIR && in.size > 0)
        r = ENOTEMPTY;
    if (r == 0)
        r = dir_remove(slot, dir.ino, name);
    if (r == 0 && in.mode == FS_T_FILE)
        r = file_truncate(slot, d.ino, &in, 0);
    return r ? r : inode_del(slot, d.ino);
}

static int64 remove_call(int want)
{
    char name[FS_NAME_MAX + 1];
    struct fs_loc dir;
    int r = enter_parent(0, &dir, name);
    return r ? r : leave(remove(dir, name, want));
}

int64 sys_rmdir(void) { return remove_call(FS_T_DIR); }
int64 sys_unlink(void) { return remove_call(FS_T_FILE); }

/* Is directory a (in subvolume sub) equal to or below directory anc? */
static int below(uint64 sub, uint64 a, uint64 anc)
{
    struct fs_loc cur = {sub, a};
    for (int depth = 0; depth < 256; depth++) {
        if (cur.ino == anc)
            return 1;
        if (cur.ino == FS_ROOT_INO || loc_dotdot(cur, &cur) != 0)
            return 0;
    }
    return 1;
}

/* What to do about an existing target: 0 = replace it, 1 = nothing to do, or an error. */
static int target_ok(int slot, const struct fs_dirent *src, const struct fs_dirent *dst)
{
    struct fs_inode in;
    if (dst->ino == src->ino && dst->type == src->type)
        return 1;
    if (dst->type == FS_T_SUBVOL || src->type == FS_T_SUBVOL)
        return EINVAL;
    if (src->type == FS_T_DIR && dst->type != FS_T_DIR)
        return ENOTDIR;
    if (src->type != FS_T_DIR && dst->type == FS_T_DIR)
        return EISDIR;
    int r = inode_get(slot, dst->ino, &in);
    return r ? r : in.mode == FS_T_DIR && in.size > 0 ? ENOTEMPTY : 0;
}

/*
 * A deliberate bug, compiled in only with -DFS_FAULT=1 (kernel/Makefile), so
 * that the crash-state explorer can prove its file-system oracle catches
 * one: the rename commits between removing the old name and adding the new
 * one, so a crash in between leaves neither name.
 */
#ifndef FS_FAULT
#define FS_FAULT 0
#endif

/* Moves the entry; a directory learns its new parent. */
static int move(int slot, struct fs_loc from, const char *fname, struct fs_loc to, const char *tname,
                const struct fs_dirent *d)
{
    int r = dir_remove(slot, from.ino, fname);
    if (r == 0 && FS_FAULT == 1)
        r = fs_commit() < 0 ? EIO : 0;
    if (r == 0)
        r = dir_add(slot, to.ino, tname, d->ino, d->type);
    if (r == 0 && d->type == FS_T_DIR && from.ino != to.ino) {
        struct fs_inode in;
        r = inode_get(slot, d->ino, &in);
        in.parent = to.ino;
        r = r ? r : inode_put(slot, d->ino, &in);
    }
    return r;
}

static int rename(struct fs_loc from, const char *fname, struct fs_loc to, const char *tname)
{
    struct fs_dirent src, dst;
    if (from.subvol != to.subvol)
        return EXDEV;
    int slot;
    int r = lookup_in(from, fname, &src, &slot);
    if (r == 0 && src.type == FS_T_DIR && below(to.subvol, to.ino, src.ino))
        return EINVAL;                /* into itself */
    if (r == 0 && src.type == FS_T_SUBVOL)
        return EINVAL;                /* subvolume entries stay where they were made */
    if (r)
        return r;
    r = dir_lookup(slot, to.ino, tname, &dst);
    if (r == 0 && (r = target_ok(slot, &src, &dst)) == 0)
        r = remove(to, tname, dst.type);
    if (r == 1)
        return 0;
    return r == 0 || r == ENOENT ? move(slot, from, fname, to, tname, &src) : r;
}

int64 sys_rename(void)
{
    char from[FS_PATH_MAX], to[FS_PATH_MAX], fname[FS_NAME_MAX + 1], tname[FS_NAME_MAX + 1];
    struct fs_loc fdir, tdir;
    int r = get_path(0, from);
    if (r == 0)
        r = get_path(1, to);
    if (r || (r = enter()) != 0)
        return r;
    r = path_parent(from, &fdir, fname);
    if (r == 0)
        r = path_parent(to, &tdir, tname);
    return leave(r ? r : rename(fdir, fname, tdir, tname));
}

/* ---- working directory, listing ---- */

int64 sys_chdir(void)
{
    char path[FS_PATH_MAX];
    struct fs_loc loc, up;
    int r = get_path(0, path);
    if (r || (r = enter()) != 0)
        return r;
    r = path_resolve(path, &loc);
    if (r == 0)
        r = loc_dotdot(loc, &up);    /* fails with ENOTDIR for a file */
    if (r == 0) {
        myproc()->cwd_subvol = loc.subvol;
        myproc()->cwd_ino = loc.ino;
    }
    return leave_ro(r);
}

int64 sys_getcwd(void)
{
    char buf[FS_PATH_MAX];
    int64 max = (int64)argraw(1);
    struct proc *p = myproc();
    int r = enter();
    if (r)
        return r;
    r = leave_ro(path_of((struct fs_loc){p->cwd_subvol, p->cwd_ino}, buf, max < 0 ? 0 : (int)max));
    return r < 0 ? r : put_user(0, buf, (uint64)r + 1) ? EFAULT : r;
}

int64 sys_readdir(void)
{
    struct file *f = inode_fd((int)argraw(0));
    struct fs_dirent d;
    struct dirent out = {0};
    if (!f || !f->readable)
        return EBADF;
    int r = enter();
    int slot = r ? r : fs_slot(f->subvol);
    if (r)
        return r;
    r = slot < 0 ? slot : dir_next(slot, f->ino, f->off, &d, out.name);
    if (r > 0)
        f->off = (uint64)r;
    r = (int)leave_ro(r);
    if (r <= 0)
        return r;
    out.ino = d.ino;
    out.type = d.type;
    return put_user(1, &out, sizeof out) ? EFAULT : 1;
}

/* ---- durability ---- */

int64 sys_fsync(void)
{
    if (!inode_fd((int)argraw(0)))
        return EBADF;
    int r = enter();
    return r ? r : leave(fs_commit() < 0 ? EIO : 0);
}

int64 sys_sync(void)
{
    int r = enter();
    return r ? r : leave(fs_commit());
}

int64 sys_mkfs(void)
{
    if (!vblk_present())
        return ENODEV;
    lock_store();
    int r = kvs_format((uint32)argraw(0), (uint32)argraw(1), 1);
    unlock_store();
    return r;
}

int64 sys_ftruncate(void)
{
    struct file *f = inode_fd((int)argraw(0));
    int64 size = (int64)argraw(1);
    struct fs_inode in;
    if (!f || !f->writable)
        return EBADF;
    if (size < 0)
        return EINVAL;
    int r = enter();
    int slot = r ? r : fs_slot(f->subvol);
    if (r)
        return r;
    r = slot < 0 ? slot : inode_get(slot, f->ino, &in);
    if (r == 0 && in.mode != FS_T_FILE)
        r = EISDIR;
    if (r == 0)
        r = file_truncate(slot, f->ino, &in, (uint64)size);
    return leave(r ? r : inode_put(slot, f->ino, &in));
}

/* ---- subvolumes, snapshots, reflinks ---- */

static int new_subvol(struct fs_loc dir, const char *name, struct fs_loc *src)
{
    uint64 id;
    int slot;
    int r = name_free(dir, name, &slot);
    if (r)
        return r;
    r = src ? fs_snapshot(src->subvol, &id, dir.subvol, dir.ino) : fs_subvol_create(&id, dir.subvol, dir.ino);
    if (r == 0)
        r = dir_add(fs_slot(dir.subvol), dir.ino, name, id, FS_T_SUBVOL);
    r = r ? r : fs_commit();
    return r < 0 ? r : 0;
}

int64 sys_snapshot(void)
{
    char from[FS_PATH_MAX], to[FS_PATH_MAX], name[FS_NAME_MAX + 1];
    struct fs_loc src, dir;
    int r = get_path(0, from);
    if (r == 0)
        r = get_path(1, to);
    if (r || (r = enter()) != 0)
        return r;
    r = path_resolve(from, &src);
    if (r == 0 && src.ino != FS_ROOT_INO)
        r = EINVAL;                   /* only a subvolume's root can be snapshotted */
    if (r == 0)
        r = path_parent(to, &dir, name);
    return leave(r ? r : new_subvol(dir, name, &src));
}

int64 sys_subvol(void)
{
    char name[FS_NAME_MAX + 1];
    struct fs_loc dir;
    int r = enter_parent(0, &dir, name);
    return r ? r : leave(new_subvol(dir, name, 0));
}

/* to becomes a file sharing every extent of from (created, or emptied first). */
static int reflink(const char *from, const char *to)
{
    struct fs_loc src, dst;
    struct fs_inode sin, din;
    int mode, r = path_resolve(from, &src);
    if (r == 0 && path_resolve(to, &dst) == 0 && dst.subvol == src.subvol && dst.ino == src.ino)
        return 0;                     /* onto itself */
    int sslot = r ? r : fs_slot(src.subvol);
    r = sslot < 0 ? sslot : inode_get(sslot, src.ino, &sin);
    if (r == 0 && sin.mode != FS_T_FILE)
        r = EISDIR;
    if (r == 0)
        r = open_loc(to, O_CREAT | O_TRUNC | O_WRONLY, &dst, &mode);
    if (r)
        return r;
    int dslot = fs_slot(dst.subvol);
    sslot = fs_slot(src.subvol);      /* loading dst's subvolume may have moved src's */
    r = dslot < 0 ? dslot : inode_get(dslot, dst.ino, &din);
    if (r == 0)
        r = file_clone(sslot, src.ino, dslot, dst.ino);
    din.size = sin.size;
    din.mtime = ticks;
    return r ? r : inode_put(dslot, dst.ino, &din);
}

int64 sys_reflink(void)
{
    char from[FS_PATH_MAX], to[FS_PATH_MAX];
    int r = get_path(0, from);
    if (r == 0)
        r = get_path(1, to);
    if (r || (r = enter()) != 0)
        return r;
    return leave(reflink(from, to));
}

int64 sys_fsinfo(void)
{
    struct fsinfo fi;
    struct blkinfo bi;
    int r = enter();
    if (r)
        return r;
    bstats(&bi);
    fi = (struct fsinfo){kvfs.gen, kvfs.nblocks, kvfs.nused - kvfs.npinned, kvfs.nblocks - (kvfs.nused - kvfs.npinned),
                         kvfs.commits, kvfs.last_writes, kvfs.cow_copies, fs_stats.data_writes,
                         fs_stats.user_bytes, bi.disk_writes, FS_COMMIT_TICKS};
    leave_ro(0);
    return put_user(0, &fi, sizeof fi);
}
