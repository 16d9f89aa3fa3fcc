/*
 * false.c — does nothing, unsuccessfully (exit status 1): for `||` and `&&`.
 */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 1;
}
