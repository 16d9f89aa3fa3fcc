/* rm.c — removes files, or with -d empty directories: `rm [-d] path ...`. */
#include "user.h"

int main(int argc, char **argv)
{
    int bad = 0, dirs = argc > 1 && strcmp(argv[1], "-d") == 0;
    for (int i = 1 + dirs; i < argc; i++) {
        int r = dirs ? rmdir(argv[i]) : unlink(argv[i]);
        if (r < 0) {
            printf("rm: %s: %s\n", argv[i], errstr(r));
            bad = 1;
        }
    }
    return bad;
}
