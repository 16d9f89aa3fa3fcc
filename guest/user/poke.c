/*
 * poke.c — overwrites bytes in the middle of a file: `poke PATH OFFSET
 * TEXT` writes TEXT at OFFSET (no truncation) and fsyncs. For the reflink
 * and snapshot demonstrations: the other copy must not change.
 */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        printf("usage: poke PATH OFFSET TEXT\n");
        return 2;
    }
    int fd = open(argv[1], O_WRONLY), r = fd;
    if (fd >= 0 && (r = (int)lseek(fd, atoi(argv[2]), SEEK_SET)) >= 0)
        r = write(fd, argv[3], strlen(argv[3]));
    if (r >= 0)
        r = fsync(fd);
    if (fd >= 0)
        close(fd);
    if (r < 0)
        printf("poke: %s: %s\n", argv[1], errstr(r));
    return r < 0;
}
