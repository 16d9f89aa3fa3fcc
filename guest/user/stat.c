/* stat.c — prints what stat knows: `stat path ...`. */
#include "user.h"

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int r = stat(argv[i], &st);
        if (r < 0) {
            printf("stat: %s: %s\n", argv[i], errstr(r));
            bad = 1;
            continue;
        }
        printf("stat: %s: %s ino %ld subvol %ld size %ld blocks %ld extents %ld nlink %ld mtime %ld\n",
               argv[i], st.type == T_DIR ? "dir" : "file", st.ino, st.subvol, st.size, st.blocks,
               st.extents, st.nlink, st.mtime);
    }
    return bad;
}
