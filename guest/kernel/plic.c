/*
 * plic.c — the platform-level interrupt controller, S-mode context of hart 0.
 *
 * On virt, context 1 is hart 0 in S-mode. Each source has a priority word at
 * PLIC + 4*irq; context 1 has an enable bitmap at +0x2080, a priority
 * threshold at +0x201000 and a claim/complete register at +0x201004. We give
 * the UART priority 1, threshold 0, and enable only the sources we drive:
 * the UART here, the disk's slot when the block driver finds one.
 */
#include "kernel.h"

#define PLIC_PRIORITY(irq) ((volatile uint32 *)(PLIC + 4 * (irq)))
#define PLIC_SENABLE ((volatile uint32 *)(PLIC + 0x2080))
#define PLIC_STHRESHOLD ((volatile uint32 *)(PLIC + 0x201000))
#define PLIC_SCLAIM ((volatile uint32 *)(PLIC + 0x201004))

void plic_init(void)
{
    *PLIC_PRIORITY(UART0_IRQ) = 1;
    *PLIC_SENABLE = 1U << UART0_IRQ;
    *PLIC_STHRESHOLD = 0;
}

/* Returns the highest-priority pending source (0 = none) and claims it. */
/* Gives source irq priority 1 and enables it for S-mode context 1. */
void plic_enable(int irq)
{
    *PLIC_PRIORITY(irq) = 1;
    *PLIC_SENABLE |= 1U << irq;
}

int plic_claim(void)
{
    return (int)*PLIC_SCLAIM;
}

void plic_complete(int irq)
{
    *PLIC_SCLAIM = (uint32)irq;
}
