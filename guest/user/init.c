/*
 * init.c — process 1: the boot prompt (until a real shell exists).
 *
 * Reads a line, splits it into words, and runs the program named by the
 * first word with fork + exec, passing the words as argv, then waits for it.
 * Built-ins: `poweroff` (stops the machine with exit status 0), `help`.
 * As the parent of every orphan, init also reaps any zombie that wait()
 * hands it while it waits for its current child.
 */
#include "user.h"

#define MAXWORDS 16

static int split(char *line, char **argv)
{
    int argc = 0;
    for (char *s = line; *s && argc < MAXWORDS;) {
        while (*s == ' ' || *s == '\t')
            *s++ = 0;
        if (!*s)
            break;
        argv[argc++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    argv[argc] = 0;
    return argc;
}

static void run(char **argv)
{
    int pid = fork(), status = 0;
    if (pid < 0) {
        printf("init: fork failed\n");
        return;
    }
    if (pid == 0) {
        exec(argv[0], argv);
        printf("init: no such program: %s\n", argv[0]);
        exit(127);
    }
    int got;
    while ((got = wait(&status)) >= 0 && got != pid)
        ;                       /* an orphan was reaped */
    if (got == pid && status != 0 && status != 127)
        printf("init: %s exited with status %d\n", argv[0], status);
}

int main(int argc, char **argv0)
{
    char line[128], *argv[MAXWORDS + 1];
    (void)argc, (void)argv0;
    printf("tiny-os init: type a program name (help lists them), poweroff to stop\n");
    for (;;) {
        printf("$ ");
        if (readline(line, sizeof line) < 0) {
            sleep(10);          /* EOF: nothing to read; stay alive quietly */
            continue;
        }
        if (split(line, argv) == 0)
            continue;
        if (strcmp(argv[0], "poweroff") == 0)
            poweroff(0);
        if (strcmp(argv[0], "help") == 0)
            printf("programs: tests echo ps spin sleeper shortlived forkstorm kstress blkharness blkbench\n"
                   "files: mkfs -f ls cat put mkdir rm mv stat df sync fill poke reflink snapshot fsck fsstress fstests\n");
        else
            run(argv);
    }
}
