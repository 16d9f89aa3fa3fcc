/*
 * poweroff.c — commits the file system (sync, when there is one) and stops
 * the machine with exit status 0: `poweroff [code]` (a non-zero code stops
 * it as a failure).
 */
#include "user.h"

int main(int argc, char **argv)
{
    sync();
    poweroff(argc > 1 ? atoi(argv[1]) : 0);
}
