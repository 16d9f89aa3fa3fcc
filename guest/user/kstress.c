/*
 * kstress.c — runs the kernel's own stress test (kernel/kstress.c) through
 * the kstress system call: `kstress [pairs] [rounds]` (default 4 and 1000).
 */
#include "user.h"

int main(int argc, char **argv)
{
    int pairs = argc > 1 ? atoi(argv[1]) : 4, rounds = argc > 2 ? atoi(argv[2]) : 1000;
    return kstress(pairs, rounds) == 0 ? 0 : 1;
}
