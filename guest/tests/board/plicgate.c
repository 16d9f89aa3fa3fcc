/*
 * plicgate.c - when the PLIC sets a source's pending bit, watched through the 16550's
 * THR-empty interrupt, polled (MEIE stays off, so no trap is taken).
 *
 * The PLIC specification's gateway re-pends a level-triggered source whose line is still high
 * when its claim completes. QEMU 7.2's PLIC does not: it sets the pending bit when a device
 * *updates* its line (raises it again), and a completion alone sets nothing. Guests have come
 * to rely on QEMU's behaviour (xv6 enables THR-empty and never reads IIR: with the
 * specification's gateway it takes the same interrupt forever). Our board follows QEMU
 * (docs/board.md), and this program pins each step so the behaviour stays fixed; its output
 * is compared with QEMU's by BoardProgramsTest. Printing writes THR, which is a line update
 * itself, so the steps only note their results and they are printed when the UART's
 * interrupts are off again.
 *
 *   1. IER := THRE with the transmitter empty: the line rises, source 10 pends, claim gives 10
 *   2. complete with the line still high: nothing pends, claim gives 0
 *   3. polling LSR: no line update, still nothing pending
 *   4. IER off and on again (the line falls and rises: two updates): pends again; rewriting
 *      IER with the value it holds changes nothing and updates no line
 *   5. IIR read (clears the THRE cause, lowers the line), complete: nothing pends
 */
#include "board.h"

#define UART_IER (UART_BASE + 1)
#define UART_IIR (UART_BASE + 2)
#define UART_LSR (UART_BASE + 5)

#define MAX_NOTES 16
static const char *what[MAX_NOTES];
static int ok[MAX_NOTES];
static int notes;

/* Keeps a check's result for report(): nothing may touch the UART during the steps. */
static void note(int good, const char *text)
{
    if (notes < MAX_NOTES) {
        ok[notes] = good;
        what[notes++] = text;
    }
}

static int report(void)
{
    int bad = 0;
    for (int i = 0; i < notes; i++)
        bad += check(ok[i], what[i]);
    return bad;
}

static int pending(void)
{
    return (mmio_r32(PLIC_PENDING) >> UART_IRQ) & 1;
}

static u32 claim(void)
{
    return mmio_r32(PLIC_CLAIM(0));
}

static void complete(u32 irq)
{
    mmio_w32(PLIC_CLAIM(0), irq);
}

/* Steps 1-3: one pend per rise; a completion and LSR polling add none. */
static void rise_complete_poll(void)
{
    mmio_w8(UART_IER, 0x02);
    note(pending(), "THRE enabled: source 10 pending");
    u32 irq = claim();
    note(irq == UART_IRQ, "claim gives the UART");
    note(!pending(), "the claim cleared pending");
    complete(irq);
    note(!pending(), "completion with the line high does not re-pend");
    note(claim() == 0, "nothing left to claim");
    for (int i = 0; i < 100; i++)
        (void)mmio_r8(UART_LSR);
    note(!pending(), "polling LSR updates no line");
}

/* Steps 4-5: a new line update pends again; reading IIR lowers the line for good. */
static void update_then_clear(void)
{
    mmio_w8(UART_IER, 0x02);
    note(!pending(), "IER rewritten unchanged: no line update");
    mmio_w8(UART_IER, 0x00);
    note(!pending(), "THRE off: the line falls, nothing pending");
    mmio_w8(UART_IER, 0x02);
    note(pending(), "THRE on again: the line rises, pending again");
    u32 irq = claim();
    note(irq == UART_IRQ, "claimed again");
    note((mmio_r8(UART_IIR) & 0x0F) == 0x02, "IIR says THR empty");
    note((mmio_r8(UART_IIR) & 0x0F) == 0x01, "the read cleared it: no interrupt");
    complete(irq);
    note(!pending(), "line low at completion: nothing pending");
    mmio_w8(UART_IER, 0x00);
}

int main(void)
{
    mmio_w32(PLIC_PRIORITY(UART_IRQ), 1);
    mmio_w32(PLIC_ENABLE(0), 1u << UART_IRQ);
    mmio_w32(PLIC_THRESHOLD(0), 0);
    mmio_w8(UART_BASE + 2, 0x07); /* FIFOs on and cleared */
    rise_complete_poll();
    update_then_clear();
    int bad = report();
    puts(bad ? "plicgate: FAIL\n" : "plicgate: PASS\n");
    return bad;
}
