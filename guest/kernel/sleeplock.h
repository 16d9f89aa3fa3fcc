/*
 * sleeplock.h — a lock whose waiters sleep instead of spinning, for holders
 * that block (a buffer under disk I/O). Invariant: locked != 0 exactly while
 * one process (pid) owns it; the inner spinlock guards locked and pid only.
 */
#ifndef TINYOS_SLEEPLOCK_H
#define TINYOS_SLEEPLOCK_H
#include "spinlock.h"

struct sleeplock {
    struct spinlock lk;
    int locked;
    int pid;
};

void sleeplock_init(struct sleeplock *l, const char *name);
void acquiresleep(struct sleeplock *l);
void releasesleep(struct sleeplock *l);
int holdingsleep(struct sleeplock *l);

#endif
