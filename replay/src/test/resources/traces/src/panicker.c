/*
 * panicker.c — a tiny bare-metal guest that panics on purpose, for the golden
 * "run that panics" trace (replay/src/test/resources/traces). It prints a few
 * lines on the 16550 UART, walks a three-deep call chain compiled with frame
 * pointers and calls panic(), which prints the reason and stops the board
 * through the test finisher with failure code 1 — the way tiny-os's own
 * panic() ends. `tinyos replay --until-panic` stops at panic()'s entry and
 * prints the backtrace main -> level1 -> level2 -> panic.
 *
 * Build (see build.sh): riscv64-unknown-elf-gcc -O1 -fno-omit-frame-pointer,
 * linked at 0x80000000 with a 16 KiB stack.
 */
#define UART ((volatile unsigned char *)0x10000000UL)
#define FINISHER ((volatile unsigned int *)0x100000UL)

static void putc_(char c)
{
    while (!(UART[5] & 0x20))
        ;
    UART[0] = (unsigned char)c;
}

static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

__attribute__((noinline, noreturn)) void panic(const char *why)
{
    puts_("panic: ");
    puts_(why);
    puts_("\n");
    *FINISHER = (1u << 16) | 0x3333;
    for (;;)
        __asm__ volatile("wfi");
}

__attribute__((noinline)) static long level2(long n)
{
    long sum = 0;
    for (long i = 0; i < n; i++)
        sum += i * i;
    if (sum > 1000)
        panic("level2: sum too large");
    return sum;
}

__attribute__((noinline)) static long level1(long n)
{
    return level2(n * 2) + 1;
}

int main(void)
{
    puts_("panicker: counting\n");
    for (long n = 1; n < 100; n++)
        level1(n);
    return 0;
}
