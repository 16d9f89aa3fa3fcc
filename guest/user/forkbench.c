/*
 * forkbench.c — fork + exec-from-disk throughput: `forkbench [n] [prog]`
 * (default 200 runs of /bin/true). Each round forks a child that execs prog
 * (loaded from the file system: the path has a '/') and waits for it. Prints
 *
 *   forkbench: 200 fork+exec of /bin/true in 153 ticks: 1307 per second (guest time)
 *
 * Guest time is the kernel's tick count (10 ms per tick of the virtual
 * clock), so the figure is the same on every host for our emulator.
 */
#include "user.h"

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200, status;
    char *prog = argc > 2 ? argv[2] : "/bin/true";
    char *cargv[] = {prog, 0};
    long t0 = uptime();
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid == 0) {
            exec(prog, cargv);
            exit(127);
        }
        if (pid < 0 || wait(&status) != pid || status != 0) {
            printf("forkbench: FAIL at run %d (status %d)\n", i, status);
            return 1;
        }
    }
    long t = uptime() - t0;
    printf("forkbench: %d fork+exec of %s in %ld ticks: %ld per second (guest time)\n", n, prog, t,
           t > 0 ? n * 100L / t : 0);
    return 0;
}
