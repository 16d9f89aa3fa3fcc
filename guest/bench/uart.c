/*
 * uart.c — output on the virt board's 16550A UART at 0x1000_0000.
 *
 * Polled, no interrupts: wait until the line status register (LSR, offset
 * 5) says the transmit holding register is empty (bit 5, THRE), then
 * write the byte to THR (offset 0).  Output is tiny compared with the
 * benchmark's work, so polling costs nothing measurable.
 */
#include "bench.h"

#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20

static void uart_putc(char c)
{
	volatile u8 *uart = (volatile u8 *)UART_BASE;

	while ((uart[UART_LSR] & LSR_THRE) == 0)
		;
	uart[UART_THR] = (u8)c;
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_puthex(u64 v)
{
	static const char digits[] = "0123456789abcdef";

	for (int shift = 60; shift >= 0; shift -= 4)
		uart_putc(digits[(v >> shift) & 0xf]);
}

void uart_putdec(u64 v)
{
	char buf[21];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		uart_putc(buf[--n]);
}
