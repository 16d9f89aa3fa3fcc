/* sync.c — commits the running transaction: `sync`; prints the generation. */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    long r = sync();
    if (r < 0)
        printf("sync: %s\n", errstr((int)r));
    else
        printf("sync: generation %ld\n", r);
    return r < 0;
}
