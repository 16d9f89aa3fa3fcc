/*
 * echo.c — prints its arguments separated by spaces.
 */
#include "user.h"

int main(int argc, char **argv)
{
    char line[256];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        int len = (int)strlen(argv[i]);
        if (n + len + 2 > (int)sizeof line)
            break;
        if (i > 1)
            line[n++] = ' ';
        memcpy(line + n, argv[i], len);
        n += len;
    }
    line[n++] = '\n';
    write(1, line, n);
    return 0;
}
