/*
 * shortlived.c — many short-lived processes: `shortlived [n]` (default 300)
 * creates n processes in batches of 8, each exiting at once with a known
 * status, and checks every status and that no memory or process slot leaked.
 */
#include "user.h"

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 300, bad = 0, status;
    struct sysinfo before, after;
    sysinfo(&before);
    long t0 = uptime();
    for (int done = 0; done < n; done += 8) {
        int batch = n - done < 8 ? n - done : 8;
        for (int i = 0; i < batch; i++)
            if (fork() == 0)
                exit((done + i) % 100);
        for (int i = 0; i < batch; i++)
            if (wait(&status) < 0 || status < 0 || status >= 100)
                bad++;
    }
    sysinfo(&after);
    printf("shortlived: %d processes in %ld ticks, %lu context switches, pages %lu -> %lu\n", n,
           uptime() - t0, after.switches - before.switches, before.free_pages, after.free_pages);
    int ok = bad == 0 && after.free_pages == before.free_pages && after.nproc == before.nproc;
    printf("shortlived: %s\n", ok ? "PASS" : "FAIL");
    return !ok;
}
