/*
 * ls.c — lists directories: `ls [path ...]` (default "."). One line per
 * entry, in creation order (the directory's ordered index): type (d
 * directory, - file, s subvolume), size in bytes (entries for a
 * directory), inode number, name. A file argument prints its own line.
 */
#include "user.h"

static void line(const char *dir, const char *name, int type)
{
    char path[256];
    struct stat st = {0};
    int n = strlen(dir);
    if (n + strlen(name) + 2 > sizeof path)
        return;
    memcpy(path, dir, n);
    path[n] = '/';
    memcpy(path + n + 1, name, strlen(name) + 1);
    int r = stat(path, &st);
    char t = type == T_DIR ? 'd' : type == T_SUBVOL ? 's' : '-';
    if (r < 0)
        printf("%c %8s %6s %s (%s)\n", t, "?", "?", name, errstr(r));
    else
        printf("%c %8ld %6ld %s\n", t, st.size, st.ino, name);
}

static int list(const char *path)
{
    struct stat st;
    int r = stat(path, &st);
    if (r < 0) {
        printf("ls: %s: %s\n", path, errstr(r));
        return 1;
    }
    if (st.type == T_FILE) {
        printf("- %8ld %6ld %s\n", st.size, st.ino, path);
        return 0;
    }
    int fd = open(path, O_RDONLY);
    struct dirent d;
    if (fd < 0) {
        printf("ls: %s: %s\n", path, errstr(fd));
        return 1;
    }
    while ((r = readdir(fd, &d)) > 0)
        line(path, d.name, (int)d.type);
    close(fd);
    if (r < 0)
        printf("ls: %s: %s\n", path, errstr(r));
    return r < 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc < 2)
        return list(".");
    for (int i = 1; i < argc; i++)
        bad |= list(argv[i]);
    return bad;
}
