/*
 * fspath.c — path names to inodes.
 *
 * A path is absolute ("/a/b", from the root directory of subvolume 5) or
 * relative to the process's working directory (struct proc cwd_*), split at
 * '/' (repeated slashes count as one). Each component is looked up in the
 * directory reached so far, which must be a directory (ENOTDIR):
 *
 *   "."    stays
 *   ".."   the directory's parent (fs_inode.parent); from the root directory
 *          of a subvolume, the directory holding the subvolume's entry (its
 *          root item's parent_subvol/parent_dir; "/" is its own parent)
 *   name   the entry (DIR_HASH lookup); an entry of type FS_T_SUBVOL leads
 *          into the root directory of that subvolume's FS tree
 *
 * Names are at most FS_NAME_MAX bytes (ENAMETOOLONG). path_parent resolves
 * all but the last component, for calls that create or remove a name; that
 * name may not be "." or ".." (EINVAL). path_of walks ".." upwards from a
 * directory and finds each step's name in its parent's listing (getcwd).
 */
#include "fs.h"
#include "proc.h"

#define MAX_DEPTH 64

static struct fs_loc cwd(void)
{
    struct proc *p = myproc();
    return (struct fs_loc){p->cwd_subvol, p->cwd_ino};
}

static int is_dir(struct fs_loc loc, struct fs_inode *in)
{
    int slot = fs_slot(loc.subvol);
    int r = slot < 0 ? slot : inode_get(slot, loc.ino, in);
    if (r == 0 && in->mode != FS_T_DIR)
        r = ENOTDIR;
    return r;
}

int loc_dotdot(struct fs_loc loc, struct fs_loc *out)
{
    struct fs_inode in;
    int r = is_dir(loc, &in);
    if (r)
        return r;
    if (loc.ino != FS_ROOT_INO) {
        *out = (struct fs_loc){loc.subvol, in.parent};
        return 0;
    }
    struct fs_root_item ri;
    if ((r = fs_root_item(loc.subvol, &ri)) != 0)
        return r;
    *out = (struct fs_loc){ri.parent_subvol, ri.parent_dir};
    return 0;
}

/* One step from directory *cur by name. */
static int step(struct fs_loc *cur, const char *name)
{
    struct fs_inode in;
    int r = is_dir(*cur, &in);
    if (r || strcmp(name, ".") == 0)
        return r;
    if (strcmp(name, "..") == 0)
        return loc_dotdot(*cur, cur);
    struct fs_dirent d;
    int slot = fs_slot(cur->subvol);
    if ((r = dir_lookup(slot, cur->ino, name, &d)) != 0)
        return r;
    *cur = d.type == FS_T_SUBVOL ? (struct fs_loc){d.ino, FS_ROOT_INO} : (struct fs_loc){cur->subvol, d.ino};
    return 0;
}

/* Copies the next component of *p into name; 0 at the end of the path. */
static int next_name(const char **p, char *name)
{
    const char *s = *p;
    while (*s == '/')
        s++;
    int n = 0;
    while (s[n] && s[n] != '/')
        n++;
    if (n > FS_NAME_MAX)
        return ENAMETOOLONG;
    memcpy(name, s, n);
    name[n] = 0;
    *p = s + n;
    return n;
}

/* Walks path from its start; stops before the last component when keep_last. */
static int walk(const char *path, struct fs_loc *out, char *last)
{
    struct fs_loc cur = path[0] == '/' ? (struct fs_loc){FS_TOP_SUBVOL, FS_ROOT_INO} : cwd();
    char name[FS_NAME_MAX + 1];
    const char *p = path;
    int n, r = 0;
    if (!path[0])
        return ENOENT;
    while (r == 0 && (n = next_name(&p, name)) > 0) {
        const char *rest = p;
        while (*rest == '/')
            rest++;
        if (last && !*rest) {
            strncpy_z(last, name, FS_NAME_MAX + 1);
            break;
        }
        r = step(&cur, name);
    }
    if (n < 0)
        return n;
    *out = cur;
    return r;
}

int path_resolve(const char *path, struct fs_loc *out)
{
    struct fs_inode in;
    int r = walk(path, out, 0);
    if (r == 0) {
        int slot = fs_slot(out->subvol);
        r = slot < 0 ? slot : inode_get(slot, out->ino, &in);
    }
    return r;
}

int path_parent(const char *path, struct fs_loc *dir, char *name)
{
    struct fs_inode in;
    name[0] = 0;
    int r = walk(path, dir, name);
    if (r)
        return r;
    if (!name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return EINVAL;
    return is_dir(*dir, &in);
}

/* The name under which directory parent lists child. */
static int name_in(struct fs_loc parent, struct fs_loc child, char *name)
{
    struct fs_dirent d;
    int slot = fs_slot(parent.subvol), seq = 0;
    if (slot < 0)
        return slot;
    while ((seq = dir_next(slot, parent.ino, (uint64)seq, &d, name)) > 0) {
        int sub = d.type == FS_T_SUBVOL;
        if (sub ? d.ino == child.subvol && child.ino == FS_ROOT_INO
                : parent.subvol == child.subvol && d.ino == child.ino)
            return 0;
    }
    return seq < 0 ? seq : ENOENT;
}

int path_of(struct fs_loc loc, char *buf, int max)
{
    char tmp[FS_PATH_MAX], name[FS_NAME_MAX + 1];
    int len = 0, r = 0;
    tmp[0] = 0;
    for (int depth = 0; r == 0 && depth < MAX_DEPTH; depth++) {
        struct fs_loc up;
        if (loc.subvol == FS_TOP_SUBVOL && loc.ino == FS_ROOT_INO)
            break;
        if ((r = loc_dotdot(loc, &up)) == 0 && (r = name_in(up, loc, name)) == 0) {
            int n = strlen(name);
            if (len + n + 1 >= FS_PATH_MAX)
                return ENAMETOOLONG;
            memmove(tmp + n + 1, tmp, len + 1);
            tmp[0] = '/';
            memcpy(tmp + 1, name, n);
            len += n + 1;
            loc = up;
        }
    }
    if (r)
        return r;
    if (len == 0)
        strncpy_z(tmp, "/", sizeof tmp), len = 1;
    if (len + 1 > max)
        return ENAMETOOLONG;
    memcpy(buf, tmp, len + 1);
    return len;
}
