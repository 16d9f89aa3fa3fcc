/*
 * spinlock.c — spinlocks with nested interrupt disabling.
 *
 * push_off()/pop_off() are like intr_off()/intr_on() but nest: the first
 * push_off remembers whether interrupts were on, and only the matching last
 * pop_off turns them back on. acquire() does push_off first, so a lock holder
 * is never interrupted on its own hart, and sleep()/sched() can check that
 * exactly one lock (the process table lock) is held when switching.
 * tiny-os runs one hart, but the lock word still uses an atomic swap so the
 * code stays correct when more harts arrive.
 */
#include "kernel.h"
#include "spinlock.h"
#include "proc.h"

void spin_init(struct spinlock *lk, const char *name)
{
    lk->locked = 0;
    lk->name = name;
    lk->owner = 0;
}

int holding(struct spinlock *lk)
{
    return lk->locked && lk->owner == &cpu0;
}

void acquire(struct spinlock *lk)
{
    push_off();
    if (holding(lk))
        panic("acquire: lock '%s' already held", lk->name);
    while (__sync_lock_test_and_set(&lk->locked, 1) != 0)
        ;
    __sync_synchronize();
    lk->owner = &cpu0;
}

void release(struct spinlock *lk)
{
    if (!holding(lk))
        panic("release: lock '%s' not held", lk->name);
    lk->owner = 0;
    __sync_synchronize();
    __sync_lock_release(&lk->locked);
    pop_off();
}

void push_off(void)
{
    int was_on = intr_get();
    intr_off();
    if (cpu0.noff == 0)
        cpu0.intena = was_on;
    cpu0.noff++;
}

void pop_off(void)
{
    if (intr_get())
        panic("pop_off: interrupts enabled");
    if (cpu0.noff < 1)
        panic("pop_off: unbalanced");
    cpu0.noff--;
    if (cpu0.noff == 0 && cpu0.intena)
        intr_on();
}
