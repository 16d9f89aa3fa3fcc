/*
 * uart.c — driver for the 16550A UART at UART0 (IRQ 10 through the PLIC).
 *
 * Output is synchronous: wait for THR empty (LSR bit 5), then write THR. The
 * console is the only user and lines are short, so an output queue would add
 * code without adding anything a student could observe.
 * Input is interrupt-driven (from uart_enable_rx on): IER enables "received data available"; each
 * interrupt drains the 16-byte RX FIFO into the console line discipline
 * (console.c), which keeps its own kernel-side ring buffer.
 *
 * Registers (offsets): 0 RBR/THR (DLL when LCR.DLAB), 1 IER (DLM), 2 FCR,
 * 3 LCR, 5 LSR.
 */
#include "kernel.h"

#define RHR 0
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define LSR 5
#define LSR_DR (1 << 0)
#define LSR_THRE (1 << 5)
#define IER_RX (1 << 0)
#define LCR_DLAB (1 << 7)
#define LCR_8N1 3

static inline volatile uint8 *reg(int r)
{
    return (volatile uint8 *)(UART0 + r);
}

void uart_init(void)
{
    *reg(IER) = 0;
    *reg(LCR) = LCR_DLAB;
    *reg(0) = 3;                  /* divisor 3: 38400 baud (ignored by QEMU) */
    *reg(1) = 0;
    *reg(LCR) = LCR_8N1;
}

/*
 * Turns on input: first hands over any byte that arrived before the kernel
 * was ready (enabling the FIFOs flushes them), then enables the FIFOs and
 * the receive interrupt. Called once the console and scheduler exist.
 */
void uart_enable_rx(void)
{
    uart_intr();
    *reg(FCR) = 0x01;             /* enable the FIFOs */
    *reg(IER) = IER_RX;
}

void uart_putc_sync(int c)
{
    while ((*reg(LSR) & LSR_THRE) == 0)
        ;
    *reg(THR) = (uint8)c;
}

/* Called from the PLIC interrupt path: move every received byte on. */
void uart_intr(void)
{
    while (*reg(LSR) & LSR_DR)
        console_intr(*reg(RHR));
}
