/*
 * sysheap.c — the process heap and its system call, sbrk.
 *
 * Every user process has one heap: the bytes [HEAP_BASE, brk) of its address
 * space, where brk (the break, in struct proc) starts at HEAP_BASE after exec
 * and moves with sbrk. The base is fixed (memlayout.h), not the end of the
 * program image, so the break of a fresh process is always known, the image
 * can never run into the heap (exec refuses segments that reach HEAP_BASE)
 * and an unmapped gap below the heap catches wild pointers:
 *
 *   0x1000       program image (text, data, bss)
 *     ... unmapped ...
 *   HEAP_BASE    +----------------------+
 *                | heap pages (RW-U)    |   whole pages cover [HEAP_BASE, brk)
 *   brk -------> |......(rest of page)..|   mapped, zero
 *                +----------------------+  PGROUNDUP(brk)
 *     ... unmapped (HEAP_MAX = 16 MiB is the most a heap may take) ...
 *   stack below USTACK_TOP, trapframe, trampoline
 *
 * long sbrk(long n) moves the break by n bytes and returns the old break:
 * n > 0 maps fresh zeroed pages up to PGROUNDUP(brk + n); n < 0 unmaps and
 * frees the pages wholly above the new break and zeroes the part of the last
 * page above it, so memory handed out by a later sbrk always reads as zero;
 * sbrk(0) returns the break. A request that would move the break below
 * HEAP_BASE or above HEAP_BASE + HEAP_MAX (overflow included) returns -1 and
 * changes nothing; so does running out of frames, after giving back the
 * pages the failed call had mapped. Fork copies the heap with the rest of
 * the address space (uvm_copy) and the break with it; exit frees it with the
 * address space. A shrink also frees the level-0 page-table pages it leaves
 * empty (uvm_prune), so growing and shrinking leaks no frame; the level-1
 * table of the heap's gigabyte stays until exit.
 */
#include "kernel.h"
#include "proc.h"

uint64 argraw(int n);

/* Zeroes the mapped bytes [va, PGROUNDUP(va)) of the heap's last page. */
static void zero_tail(pagetable_t pt, uint64 va)
{
    uint64 n = PGROUNDUP(va) - va;
    uint64 pa = n ? uvm_translate(pt, va, PTE_W) : 0;
    if (pa)
        memset((void *)pa, 0, n);
}

/* Maps the pages for [old, new); on failure unmaps what it mapped, -1. */
static int heap_grow(pagetable_t pt, uint64 old, uint64 new)
{
    uint64 from = PGROUNDUP(old), to = PGROUNDUP(new);
    if (to > from && uvm_alloc(pt, from, to - from, PTE_R | PTE_W) < 0) {
        uvm_unmap(pt, from, to);
        uvm_prune(pt, from, to);
        return -1;
    }
    return 0;
}

static void heap_shrink(pagetable_t pt, uint64 old, uint64 new)
{
    zero_tail(pt, new);
    uvm_unmap(pt, PGROUNDUP(new), PGROUNDUP(old));
    uvm_prune(pt, PGROUNDUP(new), PGROUNDUP(old));
}

/* Moves p's break by n bytes; the old break, or -1 for a refused request. */
int64 heap_sbrk(struct proc *p, int64 n)
{
    uint64 old = p->brk, used = old - HEAP_BASE;
    if (old < HEAP_BASE || !p->pagetable)
        return -1;
    if (n > 0 && (uint64)n > HEAP_MAX - used)
        return -1;
    if (n < 0 && -(uint64)n > used)          /* -(uint64)n: |n|, even for LONG_MIN */
        return -1;
    uint64 new = old + (uint64)n;
    if (n > 0 && heap_grow(p->pagetable, old, new) < 0)
        return -1;
    if (n < 0)
        heap_shrink(p->pagetable, old, new);
    p->brk = new;
    return (int64)old;
}

int64 sys_sbrk(void)
{
    return heap_sbrk(myproc(), (int64)argraw(0));
}
