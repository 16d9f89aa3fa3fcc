/*
 * sleep.c — `sleep N`: sleeps N seconds of guest time (`sleep -t N`: N ticks
 * of 10 ms). Killed while asleep (Ctrl-C), it exits at once.
 */
#include "user.h"

int main(int argc, char **argv)
{
    int ticks = argc > 2 && strcmp(argv[1], "-t") == 0, n = argc > 1 ? atoi(argv[argc - 1]) : 1;
    return sleep(ticks ? n : n * 100) < 0;
}
