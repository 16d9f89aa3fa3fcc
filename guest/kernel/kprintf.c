/*
 * kprintf.c — formatted kernel output to the UART.
 *
 * The formatting engine is lib/fmt.c; this file only supplies the sink and a
 * lock so that lines from different processes do not interleave. Once the
 * kernel is panicking the lock is bypassed: the panic message must get out
 * even if the panic happened while the lock was held.
 */
#include "kernel.h"
#include "spinlock.h"
#include "../lib/fmt.h"

static struct spinlock kprintf_lock = {0, "kprintf", 0};
volatile int panicking;

static void uart_sink(void *ctx, char c)
{
    (void)ctx;
    uart_putc_sync(c);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    int locked = !panicking;
    if (locked)
        acquire(&kprintf_lock);
    va_start(ap, fmt);
    fmt_vformat(uart_sink, 0, fmt, ap);
    va_end(ap);
    if (locked)
        release(&kprintf_lock);
}

/* Unformatted, unlocked output for the panic path. */
void kputs_raw(const char *s)
{
    while (*s)
        uart_putc_sync(*s++);
}

/* panic.c formats through here so it shares the sink. */
void kvprintf_raw(const char *fmt, va_list ap)
{
    fmt_vformat(uart_sink, 0, fmt, ap);
}
