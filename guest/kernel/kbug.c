/*
 * kbug.c — a deliberate kernel bug, kept for the debugger walk-through
 * (docs/debugging.md): a "who corrupted this?" exercise on a whole-system
 * trace.
 *
 * The kernel keeps a small registry: a label a program may set, and a magic
 * number the kernel checks before trusting the registry. Setting the label
 * copies the user's string with the wrong bound (the size of a page-sized
 * scratch limit instead of the label's 16 bytes), so a long label runs over
 * the magic. Nothing notices at the time; much later a check finds the magic
 * wrong and panics, far from the store that did it.
 *
 *      registry:  +----------------+--------+------------+
 *                 | label[16]      | magic  | generation |
 *                 +----------------+--------+------------+
 *                   copyinstr(.., 64) may write up to here ^
 *
 * With `replay TRACE --until-panic --gdb`, `watch registry.magic` and
 * `reverse-continue`, gdb lands on the very store in copyinstr. System call
 * SYS_kbug: op 0 sets the label (user string in a1), op 1 checks the magic.
 */
#include "kernel.h"
#include "proc.h"

uint64 argraw(int n);

#define KBUG_MAGIC 0x6b627567u /* "kbug" */
#define KBUG_SCRATCH 64         /* the bug: the label holds 16 */

static struct {
    char label[16];
    uint32 magic;
    uint32 generation;
} registry = {"", KBUG_MAGIC, 0};

static int64 kbug_set_label(uint64 ustr)
{
    struct proc *p = myproc();
    if (copyinstr(p->pagetable, registry.label, ustr, KBUG_SCRATCH) < 0)
        return user_fault(ustr, "kbug");
    registry.generation++;
    return 0;
}

static int64 kbug_check(void)
{
    if (registry.magic != KBUG_MAGIC)
        panic("kbug: registry corrupted (magic %x, generation %d)", registry.magic, registry.generation);
    return registry.generation;
}

int64 sys_kbug(void)
{
    switch (argraw(0)) {
    case 0:
        return kbug_set_label(argraw(1));
    case 1:
        return kbug_check();
    default:
        return -1;
    }
}
