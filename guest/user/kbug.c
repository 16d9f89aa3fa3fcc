/*
 * kbug.c — triggers the kernel's deliberate bug (kernel/kbug.c) for the
 * debugger walk-through: sets a label too long for the kernel's registry,
 * which silently overwrites its magic, does some unrelated work (a child
 * process, output, a sleep), then asks the kernel to check the registry,
 * which panics. The panic is far from the store that caused it: find that
 * store with `replay TRACE --until-panic --gdb`, `watch registry.magic` and
 * `reverse-continue` (docs/debugging.md).
 */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kbug(0, "a label far too long for sixteen bytes");
    printf("kbug: label set; doing other work\n");
    int pid = fork();
    if (pid == 0) {
        printf("kbug: child %d says hello\n", getpid());
        exit(0);
    }
    wait(0);
    sleep(2);
    printf("kbug: checking the registry\n");
    kbug(1, 0);
    printf("kbug: FAIL: the kernel did not notice\n");
    return 1;
}
