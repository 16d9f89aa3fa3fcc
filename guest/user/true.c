/*
 * true.c — does nothing, successfully (exit status 0): the smallest program,
 * used by forkbench to time fork + exec from the disk.
 */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 0;
}
