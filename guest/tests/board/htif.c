/*
 * htif.c - ends the run through the HTIF convention: an ELF symbol "tohost" that receives
 * (code << 1) | 1. Our machine watches tohost at slice boundaries and stops with exit code 5.
 * QEMU's virt board has no HTIF, so after spinning well past one slice the program falls
 * back to the test finisher with the same code: both report exit code 5.
 */
#include "board.h"

volatile u64 tohost __attribute__((used, aligned(8)));
volatile u64 fromhost __attribute__((used, aligned(8)));

int main(void)
{
    puts("htif: writing tohost\n");
    tohost = (5 << 1) | 1;
    for (volatile int i = 0; i < 2000000; i++)
        ;
    puts("htif: no HTIF here, using the finisher\n");
    return 5;
}
