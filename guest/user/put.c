/*
 * put.c — writes words to a file: `put [-a] [-s] path word ...` writes the
 * words separated by spaces and ended by a newline, replacing the file
 * (created if needed), or appending with -a; -s then calls fsync, so the
 * file survives a crash from the moment put prints "put: ... synced".
 */
#include "user.h"

int main(int argc, char **argv)
{
    int i = 1, append = 0, dosync = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        append |= strcmp(argv[i], "-a") == 0;
        dosync |= strcmp(argv[i], "-s") == 0;
    }
    if (i >= argc) {
        printf("usage: put [-a] [-s] path word ...\n");
        return 2;
    }
    const char *path = argv[i++];
    int fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)), r = 0;
    if (fd < 0) {
        printf("put: %s: %s\n", path, errstr(fd));
        return 1;
    }
    for (int j = i; j < argc && r >= 0; j++) {
        r = write(fd, argv[j], strlen(argv[j]));
        if (r >= 0)
            r = write(fd, j + 1 < argc ? " " : "\n", 1);
    }
    if (r >= 0 && dosync)
        r = fsync(fd);
    close(fd);
    if (r < 0)
        printf("put: %s: %s\n", path, errstr(r));
    else if (dosync)
        printf("put: %s synced\n", path);
    return r < 0;
}
