/* mkdir.c — creates directories: `mkdir path ...`. */
#include "user.h"

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        int r = mkdir(argv[i]);
        if (r < 0) {
            printf("mkdir: %s: %s\n", argv[i], errstr(r));
            bad = 1;
        }
    }
    return bad;
}
