/*
 * sleeplock.c — sleeping locks for process context.
 *
 * A waiter sleeps on the lock itself with the inner spinlock as the
 * condition lock, so the sleep/wakeup protocol (sched.c) cannot lose the
 * release that happens between "it is locked" and "I am asleep". Only
 * processes may take a sleeplock: interrupt handlers and the boot path never
 * block, they use spinlocks.
 */
#include "kernel.h"
#include "sleeplock.h"
#include "proc.h"

void sleeplock_init(struct sleeplock *l, const char *name)
{
    spin_init(&l->lk, name);
    l->locked = 0;
    l->pid = 0;
}

void acquiresleep(struct sleeplock *l)
{
    struct proc *p = myproc();
    if (!p)
        panic("acquiresleep %s: no process", l->lk.name);
    acquire(&l->lk);
    while (l->locked)
        sleep(l, &l->lk);
    l->locked = 1;
    l->pid = p->pid;
    release(&l->lk);
}

void releasesleep(struct sleeplock *l)
{
    acquire(&l->lk);
    if (!l->locked)
        panic("releasesleep %s: not locked", l->lk.name);
    l->locked = 0;
    l->pid = 0;
    wakeup(l);
    release(&l->lk);
}

int holdingsleep(struct sleeplock *l)
{
    acquire(&l->lk);
    int r = l->locked && myproc() && l->pid == myproc()->pid;
    release(&l->lk);
    return r;
}
