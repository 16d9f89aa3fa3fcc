/*
 * ps.c — lists the processes on standard output (so `ps | grep sh` works):
 * `ps` prints one line per process, "PID PPID PGID STATE NAME RUNS TICKS";
 * `ps -k` asks the kernel to print its own table with scheduler statistics
 * on the console (pstat), as the boot-time debugging aid Ctrl-P does.
 */
#include "user.h"

static const char *states[] = {"unused", "used", "sleep", "runnable", "running", "zombie"};

int main(int argc, char **argv)
{
    static struct procinfo table[64];
    if (argc > 1 && strcmp(argv[1], "-k") == 0)
        return pstat();
    int n = procs(table, 64);
    if (n < 0)
        return 1;
    printf("%-5s %-5s %-5s %-9s %-12s %8s %8s\n", "pid", "ppid", "pgid", "state", "name", "runs", "ticks");
    for (int i = 0; i < n; i++) {
        const struct procinfo *p = &table[i];
        printf("%-5d %-5d %-5d %-9s %-12s %8ld %8ld\n", p->pid, p->ppid, p->pgid,
               p->state >= 0 && p->state < 6 ? states[p->state] : "?", p->name, p->runs, p->ticks);
    }
    return 0;
}
