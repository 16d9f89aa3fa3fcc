/* df.c — space and counters of the file system: `df`. */
#include "user.h"

int main(int argc, char **argv)
{
    struct fsinfo fi;
    (void)argc, (void)argv;
    int r = fsinfo(&fi);
    if (r < 0) {
        printf("df: %s\n", errstr(r));
        return 1;
    }
    printf("df: %ld blocks of 4 KiB, %ld used, %ld free; generation %ld\n", fi.nblocks, fi.used_blocks,
           fi.free_blocks, fi.gen);
    printf("df: since mount: %ld commits (last wrote %ld blocks), %ld tree blocks copied on write, "
           "%ld data blocks written, %ld bytes written by programs; commit every %ld ticks\n",
           fi.commits, fi.last_writes, fi.cow_copies, fi.data_writes, fi.user_bytes, fi.commit_ticks);
    return 0;
}
