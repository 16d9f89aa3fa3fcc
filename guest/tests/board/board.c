/*
 * board.c - the board tests' tiny runtime: polled UART output (THR at +0, LSR.THRE bit 5 at
 * +5), number printing without division by non-constants, and the exit path through the
 * test finisher (0x5555 pass, 0x3333 | code << 16 fail).
 */
#include "board.h"

void putc(char c)
{
    while ((mmio_r8(UART_BASE + 5) & 0x20) == 0)
        ;
    mmio_w8(UART_BASE, c);
}

void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

void puthex(u64 v)
{
    puts("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc("0123456789abcdef"[(v >> i) & 15]);
}

void putdec(u64 v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n)
        putc(buf[--n]);
}

void board_exit(int code)
{
    u32 v = code == 0 ? 0x5555 : (0x3333 | ((u32)code << 16));
    mmio_w32(TEST_BASE, v);
    for (;;)
        asm volatile("wfi");
}

/* Prints "ok"/"FAIL" for one check; returns 1 on failure so results can be summed. */
int check(int ok, const char *what)
{
    puts(ok ? "  ok   " : "  FAIL ");
    puts(what);
    putc('\n');
    return !ok;
}

/*
 * Sleeps until the interrupt handler has raised *counter to target. The check and the WFI
 * run with mstatus.MIE clear so an interrupt cannot slip in between them (WFI still wakes on
 * a pending enabled interrupt); setting MIE again lets the handler run.
 */
void wait_until(volatile int *counter, int target)
{
    while (*counter < target) {
        csr_clear(mstatus, MSTATUS_MIE);
        if (*counter < target)
            asm volatile("wfi");
        csr_set(mstatus, MSTATUS_MIE);
    }
}
