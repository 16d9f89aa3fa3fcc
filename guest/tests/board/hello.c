/*
 * hello.c - the smallest board test: a line on the polled UART, then a passing finisher
 * exit. Used by the determinism test (two runs, same output, same icount).
 */
#include "board.h"

int main(void)
{
    puts("board: hello from the virt board\n");
    u64 sum = 0;
    for (u64 i = 0; i < 1000; i++)
        sum += i * i;
    puts("board: sum of squares below 1000 = ");
    putdec(sum);
    putc('\n');
    return sum == 332833500UL ? 0 : 1;
}
