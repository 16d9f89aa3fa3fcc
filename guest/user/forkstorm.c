/*
 * forkstorm.c — a bounded fork storm: `forkstorm [limit]` forks children
 * (each sleeps 2 ticks then exits) until fork fails or limit (default 100)
 * is reached. The process table has NPROC = 64 slots, so fork must fail
 * cleanly somewhere; then everything is reaped and the test checks that
 * all memory and slots came back.
 */
#include "user.h"

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : 100, made = 0, reaped = 0;
    struct sysinfo before, after;
    sysinfo(&before);
    for (; made < limit; made++) {
        int pid = fork();
        if (pid == 0) {
            sleep(2);
            exit(0);
        }
        if (pid < 0)
            break;
    }
    while (wait(0) >= 0)
        reaped++;
    sysinfo(&after);
    printf("forkstorm: forked %d (limit %d), reaped %d, pages %lu -> %lu\n", made, limit, reaped,
           before.free_pages, after.free_pages);
    int ok = reaped == made && after.free_pages == before.free_pages && after.nproc == before.nproc;
    printf("forkstorm: %s\n", ok ? "PASS" : "FAIL");
    return !ok;
}
