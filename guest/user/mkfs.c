/*
 * mkfs.c — formats the disk as an empty key/value store (FORMAT.md) and
 * mounts it: `mkfs [node_max] [leaf_limit]`; `mkfs -f [node_max] [leaf_limit]`
 * formats it with a file system (FORMAT.md, "The file system"): the store
 * plus the root, extent and checksum trees and subvolume 5, "/".
 *
 * node_max (4..100, default 100) caps the pointers of an internal node and
 * leaf_limit (1024..4032, default 4032) the item bytes of a leaf. Small
 * values make deep trees out of few keys, which is how the tests reach
 * splits, merges and rebalancing at every level quickly. The kernel does the
 * work (kv_format); this program only checks the arguments and reports.
 * Prints "mkfs: ..." and exits 0, or "mkfs: FAIL ..." and exits 1.
 */
#include "user.h"

int main(int argc, char **argv)
{
    int fs = argc > 1 && strcmp(argv[1], "-f") == 0;
    argv += fs;
    argc -= fs;
    int node_max = argc > 1 ? atoi(argv[1]) : 100;
    int leaf_limit = argc > 2 ? atoi(argv[2]) : 4032;
    int r = fs ? mkfs(node_max, leaf_limit) : kv_format(node_max, leaf_limit);
    struct kvstat st;
    if (r != 0 || kv_stat(&st) != 0) {
        printf("mkfs: FAIL (error %d; node_max 4..100, leaf_limit 1024..4032, a writable disk of 64+ blocks)\n", r);
        return 1;
    }
    printf("mkfs: %s%ld blocks, node_max %ld, leaf_limit %ld, generation %ld, %ld blocks used\n",
           fs ? "file system, " : "", st.nblocks, st.node_max, st.leaf_limit, st.gen, st.used_blocks);
    return 0;
}
