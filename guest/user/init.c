/*
 * init.c — process 1, in one of two roles chosen by how the kernel started it.
 *
 * From the disk (argv[0] = "/bin/init": the disk holds a file system with
 * /bin/init, kernel/proc.c) it is the system's init: it makes sure /tmp
 * exists, starts /bin/sh, starts a new shell whenever the shell exits
 * (Ctrl-D, `exit`), and reaps every orphan handed to it meanwhile. If
 * /bin/sh cannot be run it falls back to the boot prompt.
 *
 * Embedded in the kernel (argv[0] = "init": no disk, a blank disk, a disk
 * without /bin/init) it is the boot prompt the tests type at:
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

/* Starts /bin/sh; its pid, or -1 if it could not be run. */
static int start_shell(void)
{
    char *argv[] = {"sh", 0};
    int pid = fork();
    if (pid == 0) {
        exec("/bin/sh", argv);
        exit(127);
    }
    return pid;
}

/* The disk's init: a shell, always; orphans reaped. Returns if no shell runs. */
static void supervise(void)
{
    int r = mkdir("/tmp");
    if (r < 0 && r != EEXIST)
        printf("init: mkdir /tmp: %s\n", errstr(r));
    printf("tiny-os init: starting /bin/sh (Ctrl-D or exit ends a shell; init starts a new one)\n");
    for (;;) {
        long t0 = uptime();
        int pid = start_shell(), got, status = 0;
        if (pid < 0)
            return;
        while ((got = wait(&status)) >= 0 && got != pid)
            ;                   /* an orphan was reaped */
        if (status == 127 && uptime() - t0 < 10) {
            printf("init: cannot run /bin/sh; falling back to the boot prompt\n");
            return;
        }
        printf("init: sh exited with status %d; starting a new one\n", status);
    }
}

int main(int argc, char **argv0)
{
    char line[128], *argv[MAXWORDS + 1];
    if (argc > 0 && argv0[0][0] == '/')
        supervise();
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
