/*
 * snapshot.c — subvolumes and snapshots: `snapshot SUBVOL NEWPATH` makes
 * NEWPATH a writable snapshot of the subvolume whose root directory is
 * SUBVOL ("/" for the top one); `snapshot -n NEWPATH` makes an empty
 * subvolume. Both commit before they return. Prints the blocks the disk
 * wrote for it (independent of the subvolume's size: only a root item, a
 * directory entry and their tree paths are new).
 */
#include "user.h"

int main(int argc, char **argv)
{
    struct blkinfo a, b;
    if (argc != 3) {
        printf("usage: snapshot SUBVOL NEWPATH | snapshot -n NEWPATH\n");
        return 2;
    }
    int fresh = strcmp(argv[1], "-n") == 0;
    sync();
    blkinfo(&a);
    int r = fresh ? subvol(argv[2]) : snapshot(argv[1], argv[2]);
    blkinfo(&b);
    if (r < 0) {
        printf("snapshot: %s: %s\n", argv[2], errstr(r));
        return 1;
    }
    printf("snapshot: %s %s%s: %ld blocks written\n", argv[2], fresh ? "new subvolume" : "of ",
           fresh ? "" : argv[1], b.disk_writes - a.disk_writes);
    return 0;
}
