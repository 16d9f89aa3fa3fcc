/*
 * ps.c — prints the kernel's process table with scheduler statistics.
 */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    return pstat();
}
