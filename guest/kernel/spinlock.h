/*
 * spinlock.h — a mutual-exclusion lock that also disables interrupts.
 * Invariant: while any spinlock is held, sstatus.SIE is 0 on this hart, so an
 * interrupt handler can never spin on a lock its own hart holds.
 */
#ifndef TINYOS_SPINLOCK_H
#define TINYOS_SPINLOCK_H
#include "../lib/types.h"

struct spinlock {
    uint32 locked;
    const char *name;
    struct cpu *owner;
};

#endif
