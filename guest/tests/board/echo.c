/*
 * echo.c - UART receive and transmit-empty interrupts routed through the PLIC to M-mode
 * (context 0, MEIP). The handler claims the source, reads IIR to learn the cause, drains the
 * RX FIFO into a line buffer and completes the claim. main() sleeps until
 * a whole line arrived, then checks the PLIC state and one THR-empty interrupt. Expects the
 * line "hi board" on the console input.
 */
#include "board.h"

static char line[64];
static volatile int len;
static volatile int lines;
static volatile int thre_hits;
static volatile int other;

static void uart_irq(void)
{
    u8 iir = mmio_r8(UART_BASE + 2);
    if ((iir & 0x0F) == 0x02) {
        thre_hits++;
        mmio_w8(UART_BASE + 1, 0x01); /* THR-empty off again */
        return;
    }
    while (mmio_r8(UART_BASE + 5) & 0x01) {
        char c = mmio_r8(UART_BASE);
        if (c == '\r' || c == '\n') {
            line[len] = 0;
            lines++;
        } else if (len < (int)sizeof line - 1) {
            line[len++] = c;
        }
    }
}

__attribute__((interrupt("machine"), aligned(4))) static void trap(void)
{
    u64 cause = csr_read(mcause);
    if (cause != (MCAUSE_INT | 11)) {
        puts("echo: unexpected trap ");
        puthex(cause);
        putc('\n');
        board_exit(99);
    }
    u32 irq = mmio_r32(PLIC_CLAIM(0));
    if (irq == UART_IRQ)
        uart_irq();
    else
        other++;
    mmio_w32(PLIC_CLAIM(0), irq);
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int main(void)
{
    int bad = 0;
    mmio_w32(PLIC_PRIORITY(UART_IRQ), 1);
    mmio_w32(PLIC_ENABLE(0), 1u << UART_IRQ);
    mmio_w32(PLIC_THRESHOLD(0), 0);
    mmio_w8(UART_BASE + 2, 0x07);   /* FIFOs on and cleared, trigger level 1 */
    mmio_w8(UART_BASE + 1, 0x01);   /* RX data interrupts */
    bad += check(mmio_r32(PLIC_PRIORITY(UART_IRQ)) == 1, "PLIC priority reads back");
    bad += check((mmio_r8(UART_BASE + 2) & 0xC0) == 0xC0, "IIR shows FIFOs enabled");
    csr_write(mtvec, (u64)trap);
    csr_write(mie, MIE_MEIE);
    csr_set(mstatus, MSTATUS_MIE);
    puts("echo: type a line\n");
    wait_until(&lines, 1);
    puts("echo: got '");
    puts(line);
    puts("'\n");
    bad += check(streq(line, "hi board"), "line received through RX interrupts");
    mmio_w8(UART_BASE + 1, 0x03);   /* THR-empty interrupt: fires at once */
    wait_until(&thre_hits, 1);
    bad += check(thre_hits == 1 && other == 0, "one THR-empty interrupt, no stray sources");
    bad += check(mmio_r32(PLIC_PENDING) == 0, "nothing left pending in the PLIC");
    return bad;
}
