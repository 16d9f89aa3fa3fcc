/* mv.c — renames: `mv from to` (atomic; replaces a file or an empty directory named to). */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        printf("usage: mv from to\n");
        return 2;
    }
    int r = rename(argv[1], argv[2]);
    if (r < 0)
        printf("mv: %s -> %s: %s\n", argv[1], argv[2], errstr(r));
    return r < 0;
}
