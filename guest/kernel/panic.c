/*
 * panic.c — stopping the kernel with a useful report.
 *
 * panic() prints the message, the trap CSRs (scause with its name, sepc and
 * stval) and a symbolized backtrace, then stops the machine through the test
 * finisher with a failure code, so a test harness sees the failure at once.
 *
 * Backtraces follow the frame-pointer chain (the kernel is compiled with
 * -fno-omit-frame-pointer): in every frame, fp-8 holds the return address
 * and fp-16 the caller's fp. The walk stays inside the current stack, whose
 * top is found by rounding sp up to KSTACK_SLOT: the boot stack and every
 * kernel stack are laid out so that this works.
 *
 * Symbols come from ksyms_table, a sorted (address, name) array that the
 * Makefile generates from a first link of the kernel and links into .rodata
 * in a second pass (see Makefile: code addresses do not move between passes).
 */
#include "kernel.h"

struct ksym {
    uint64 addr;
    const char *name;
};

extern const struct ksym ksyms_table[];
extern const uint64 ksyms_count;
extern char etext[];
extern volatile int panicking;
void kvprintf_raw(const char *fmt, va_list ap);

void machine_halt(int pass, int code)
{
    volatile uint32 *finisher = (volatile uint32 *)FINISHER;
    *finisher = pass ? FINISHER_PASS : ((uint32)code << 16) | FINISHER_FAIL;
    for (;;)
        wfi();
}

/* Greatest symbol at or below addr; 0 when addr is not kernel code. */
const char *ksym_lookup(uint64 addr, uint64 *offset)
{
    uint64 lo = 0, hi = ksyms_count;
    if (addr < KERNBASE || addr >= (uint64)etext || ksyms_count == 0)
        return 0;
    while (hi - lo > 1) {
        uint64 mid = (lo + hi) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_table[lo].addr > addr)
        return 0;
    *offset = addr - ksyms_table[lo].addr;
    return ksyms_table[lo].name;
}

static void print_pc(const char *prefix, uint64 pc)
{
    uint64 off = 0;
    const char *name = ksym_lookup(pc, &off);
    if (name)
        kprintf("%s%p <%s+0x%lx>\n", prefix, pc, name, off);
    else
        kprintf("%s%p\n", prefix, pc);
}

void backtrace(uint64 fp)
{
    uint64 sp = r_sp();
    uint64 top = (sp | (KSTACK_SLOT - 1)) + 1;
    kprintf("backtrace:\n");
    for (int depth = 0; depth < 32; depth++) {
        if (fp <= sp || fp > top || (fp & 7) != 0)
            break;
        uint64 ra = *(uint64 *)(fp - 8);
        uint64 prev = *(uint64 *)(fp - 16);
        if (ra == 0 || prev == 0)
            break;             /* prev == 0: called from assembly entry code */
        print_pc("  ", ra - 4 >= KERNBASE ? ra - 4 : ra);   /* the call, not the return */
        if (prev <= fp)
            break;
        fp = prev;
    }
}

__attribute__((noreturn)) static void report(uint64 scause, uint64 sepc, uint64 stval, uint64 fp)
{
    kprintf("scause=%p (%s)\n", scause, trap_cause_name(scause));
    print_pc("sepc=", sepc);
    kprintf("stval=%p\n", stval);
    backtrace(fp);
    kprintf("halting: finisher fail code 1\n");
    machine_halt(0, 1);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    intr_off();
    panicking = 1;
    kputs_raw("\n*** KERNEL PANIC: ");
    va_start(ap, fmt);
    kvprintf_raw(fmt, ap);
    va_end(ap);
    kputs_raw("\n");
    report(r_scause(), r_sepc(), r_stval(), r_fp());
}

/* A panic caused by a trap: the caller passes the trap's own CSR values. */
void panic_trap(const char *what, uint64 scause, uint64 sepc, uint64 stval, uint64 fp)
{
    intr_off();
    panicking = 1;
    kputs_raw("\n*** KERNEL PANIC: ");
    kputs_raw(what);
    kputs_raw("\n");
    report(scause, sepc, stval, fp);
}
