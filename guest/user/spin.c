/*
 * spin.c — CPU spinners: `spin [procs] [ticks]` forks procs children (default
 * 3) that each count loop iterations for `ticks` timer ticks (default 50)
 * without ever blocking, so only timer preemption shares the CPU. Each child
 * reports its count; with round-robin the counts should be close. Ends with
 * the kernel's process statistics from just before the children exit.
 */
#include "user.h"

static void spinner(int id, long until)
{
    unsigned long count = 0;
    while (uptime() < until)
        for (int i = 0; i < 1000; i++)
            count++;
    printf("spin: child %d (pid %d) counted %lu\n", id, getpid(), count);
    exit(0);
}

int main(int argc, char **argv)
{
    int procs = argc > 1 ? atoi(argv[1]) : 3;
    int ticks = argc > 2 ? atoi(argv[2]) : 50;
    long until = uptime() + ticks;
    printf("spin: %d spinners for %d ticks\n", procs, ticks);
    for (int i = 0; i < procs; i++)
        if (fork() == 0)
            spinner(i, until);
    sleep(ticks / 2 > 0 ? ticks / 2 : 1);   /* mid-run: everyone is still spinning */
    pstat();
    for (int i = 0; i < procs; i++)
        wait(0);
    printf("spin: done\n");
    return 0;
}
