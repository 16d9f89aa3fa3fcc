/*
 * sleeper.c — sleep/wakeup under load: `sleeper [procs] [rounds]` forks procs
 * children (default 4); child i sleeps i+1 ticks per round for rounds rounds
 * (default 10) and checks it never woke early. Reports each child's
 * oversleep (ticks beyond the requested total) and fails if any woke early.
 */
#include "user.h"

static int sleeper(int id, int rounds)
{
    long t0 = uptime();
    for (int r = 0; r < rounds; r++) {
        long before = uptime();
        if (sleep(id + 1) < 0 || uptime() - before < id + 1)
            return 1;
    }
    long want = (long)(id + 1) * rounds, got = uptime() - t0;
    printf("sleeper: child %d slept %ld ticks for %ld requested\n", id, got, want);
    return 0;
}

int main(int argc, char **argv)
{
    int procs = argc > 1 ? atoi(argv[1]) : 4, rounds = argc > 2 ? atoi(argv[2]) : 10;
    int failed = 0, status;
    for (int i = 0; i < procs; i++)
        if (fork() == 0)
            exit(sleeper(i, rounds));
    for (int i = 0; i < procs; i++)
        if (wait(&status) < 0 || status != 0)
            failed++;
    printf("sleeper: %s\n", failed ? "FAIL" : "PASS");
    return failed != 0;
}
