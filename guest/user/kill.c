/*
 * kill.c — `kill PID ...`: marks each process for death (the kill system
 * call; init, pid 1, cannot be killed). Exit status 1 if any pid was not a
 * live process.
 */
#include "user.h"

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc < 2)
        dprintf(2, "usage: kill PID ...\n");
    for (int i = 1; i < argc; i++)
        if (kill(atoi(argv[i])) < 0) {
            dprintf(2, "kill: %s: no such process\n", argv[i]);
            bad = 1;
        }
    return bad || argc < 2;
}
