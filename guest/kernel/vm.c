/*
 * vm.c — Sv39 page tables for the kernel and for user processes, and the
 * only code that touches user memory from the kernel (copyin/copyout).
 *
 * An Sv39 table is three levels of 512 PTEs; a virtual address splits into
 * VPN[2] | VPN[1] | VPN[0] | 12-bit offset. We only use 4 KiB leaves, and
 * every leaf is created with A and D already set so no hardware has to
 * update them (or trap to let us do it).
 *
 * The kernel table maps devices and RAM at VA == PA with the tightest
 * permissions that work: text R-X, rodata R, data/bss/free RAM RW. It also
 * maps the trampoline page at TRAMPOLINE and, below it, one kernel stack per
 * process slot with an unmapped guard page under each, so a stack overflow
 * faults instead of corrupting a neighbour. Each stack is one contiguous
 * KSTACK_PAGES allocation of the buddy allocator (kalloc_pages).
 *
 * User tables map the program image and stack with PTE_U, and the trampoline
 * and trapframe without PTE_U. Because user leaves are exactly the PTE_U
 * leaves, freeing and copying a user address space is a plain walk of the
 * tree, with no size bookkeeping. copyin/copyout/copyinstr translate each
 * user address through the table and check PTE_U and the access right first:
 * a bad user pointer yields -1, never a kernel page fault.
 */
#include "kernel.h"
#include "proc.h"

extern char etext[], erodata[], trampoline[];
static pagetable_t kernel_pagetable;

static pagetable_t alloc_table(void)
{
    pagetable_t pt = kalloc();
    if (pt)
        memset(pt, 0, PGSIZE);
    return pt;
}

/* Address of the level-0 PTE for va; allocates missing tables if alloc. */
pte_t *pt_walk(pagetable_t pt, uint64 va, int alloc)
{
    if (va >= MAXVA)
        return 0;
    for (int level = 2; level > 0; level--) {
        pte_t *pte = &pt[PX(level, va)];
        if (*pte & PTE_V) {
            pt = (pagetable_t)PTE2PA(*pte);
        } else {
            if (!alloc || (pt = alloc_table()) == 0)
                return 0;
            *pte = PA2PTE(pt) | PTE_V;
        }
    }
    return &pt[PX(0, va)];
}

/* Maps [va, va+size) to pa; -1 if out of memory or a page is already mapped. */
int pt_map(pagetable_t pt, uint64 va, uint64 pa, uint64 size, uint64 perm)
{
    uint64 a = PGROUNDDOWN(va), last = PGROUNDDOWN(va + size - 1);
    for (;; a += PGSIZE, pa += PGSIZE) {
        pte_t *pte = pt_walk(pt, a, 1);
        if (pte == 0 || (*pte & PTE_V))
            return -1;
        *pte = PA2PTE(pa) | perm | PTE_V | PTE_A | PTE_D;
        if (a == last)
            return 0;
    }
}

static void kmap(uint64 va, uint64 pa, uint64 size, uint64 perm)
{
    if (pt_map(kernel_pagetable, va, pa, size, perm) < 0)
        panic("kmap: cannot map %p", va);
}

/* Each stack is one contiguous multi-page allocation (kalloc_pages). */
static void map_kernel_stacks(void)
{
    for (int i = 0; i < NPROC; i++) {
        void *pa = kalloc_pages(KSTACK_PAGES);
        if (!pa)
            panic("kvm_init: out of memory for kernel stacks");
        kmap(KSTACK_BOTTOM(i), (uint64)pa, KSTACK_PAGES * PGSIZE, PTE_R | PTE_W);
    }
}

void kvm_init(void)
{
    kernel_pagetable = alloc_table();
    kmap(FINISHER, FINISHER, PGSIZE, PTE_R | PTE_W);
    kmap(UART0, UART0, PGSIZE, PTE_R | PTE_W);
    kmap(VIRTIO_BASE, VIRTIO_BASE, VIRTIO_SIZE, PTE_R | PTE_W);
    kmap(PLIC, PLIC, PLIC_SIZE, PTE_R | PTE_W);
    kmap(KERNBASE, KERNBASE, (uint64)etext - KERNBASE, PTE_R | PTE_X);
    kmap((uint64)etext, (uint64)etext, (uint64)erodata - (uint64)etext, PTE_R);
    kmap((uint64)erodata, (uint64)erodata, PHYSTOP - (uint64)erodata, PTE_R | PTE_W);
    kmap(TRAMPOLINE, (uint64)trampoline, PGSIZE, PTE_R | PTE_X);
    map_kernel_stacks();
}

void kvm_inithart(void)
{
    sfence_vma();
    w_satp(MAKE_SATP(kernel_pagetable));
    sfence_vma();
}

/* A fresh user table holding only the trampoline and the trapframe. */
pagetable_t uvm_create(uint64 trapframe_pa)
{
    pagetable_t pt = alloc_table();
    if (!pt)
        return 0;
    if (pt_map(pt, TRAMPOLINE, (uint64)trampoline, PGSIZE, PTE_R | PTE_X) < 0 ||
        pt_map(pt, TRAPFRAME, trapframe_pa, PGSIZE, PTE_R | PTE_W) < 0) {
        uvm_free(pt);
        return 0;
    }
    return pt;
}

static int is_leaf(pte_t pte)
{
    return (pte & (PTE_R | PTE_W | PTE_X)) != 0;
}

/* Frees the tables and every PTE_U frame; trampoline/trapframe stay. */
static void free_level(pagetable_t pt, int level)
{
    for (int i = 0; i < 512; i++) {
        pte_t pte = pt[i];
        if (!(pte & PTE_V))
            continue;
        if (!is_leaf(pte))
            free_level((pagetable_t)PTE2PA(pte), level - 1);
        else if (pte & PTE_U)
            kfree((void *)PTE2PA(pte));
    }
    kfree(pt);
}

void uvm_free(pagetable_t pt)
{
    free_level(pt, 2);
}

static int copy_level(pagetable_t src, pagetable_t dst, int level, uint64 base)
{
    for (uint64 i = 0; i < 512; i++) {
        pte_t pte = src[i];
        uint64 va = base | (i << (PGSHIFT + 9 * level));
        if (!(pte & PTE_V))
            continue;
        if (!is_leaf(pte)) {
            if (copy_level((pagetable_t)PTE2PA(pte), dst, level - 1, va) < 0)
                return -1;
        } else if (pte & PTE_U) {
            void *mem = kalloc();
            if (!mem)
                return -1;
            memcpy(mem, (void *)PTE2PA(pte), PGSIZE);
            if (pt_map(dst, va, (uint64)mem, PGSIZE, PTE_FLAGS(pte) & (PTE_R | PTE_W | PTE_X | PTE_U)) < 0) {
                kfree(mem);
                return -1;
            }
        }
    }
    return 0;
}

/* Copies every user page of src into dst (fork); -1 on out-of-memory. */
int uvm_copy(pagetable_t src, pagetable_t dst)
{
    return copy_level(src, dst, 2, 0);
}

/* Maps fresh zeroed user frames over [va, va+len). */
int uvm_alloc(pagetable_t pt, uint64 va, uint64 len, uint64 perm)
{
    for (uint64 a = PGROUNDDOWN(va); a < va + len; a += PGSIZE) {
        void *mem = kalloc();
        if (!mem)
            return -1;
        memset(mem, 0, PGSIZE);
        if (pt_map(pt, a, (uint64)mem, PGSIZE, perm | PTE_U) < 0) {
            kfree(mem);
            return -1;
        }
    }
    return 0;
}

/*
 * Unmaps and frees the user pages of [va, end) (page aligned); pages that are
 * not mapped are skipped, so it also undoes a partly failed uvm_alloc. The
 * page-table pages stay (uvm_prune frees the empty ones).
 */
void uvm_unmap(pagetable_t pt, uint64 va, uint64 end)
{
    for (uint64 a = va; a < end; a += PGSIZE) {
        pte_t *pte = pt_walk(pt, a, 0);
        if (pte == 0 || !(*pte & PTE_V))
            continue;
        if (!(*pte & PTE_U) || !is_leaf(*pte))
            panic("uvm_unmap: %p is not a user page", a);
        kfree((void *)PTE2PA(*pte));
        *pte = 0;
    }
}

#define TABLE_SPAN (512UL * PGSIZE)     /* what one level-0 table maps: 2 MiB */

static int table_empty(pagetable_t t)
{
    for (int i = 0; i < 512; i++)
        if (t[i] & PTE_V)
            return 0;
    return 1;
}

/* Frees the level-0 tables of [va, end) that no longer map anything. */
void uvm_prune(pagetable_t pt, uint64 va, uint64 end)
{
    for (uint64 a = va & ~(TABLE_SPAN - 1); a < end; a += TABLE_SPAN) {
        pte_t *l2 = &pt[PX(2, a)];
        if (!(*l2 & PTE_V) || is_leaf(*l2))
            continue;
        pte_t *l1 = &((pagetable_t)PTE2PA(*l2))[PX(1, a)];
        if ((*l1 & PTE_V) && !is_leaf(*l1) && table_empty((pagetable_t)PTE2PA(*l1))) {
            kfree((void *)PTE2PA(*l1));
            *l1 = 0;
        }
    }
}

/* Physical address of user va if it is mapped PTE_U with the `need` bits. */
uint64 uvm_translate(pagetable_t pt, uint64 va, uint64 need)
{
    pte_t *pte = pt_walk(pt, va, 0);
    if (pte == 0 || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U) || (*pte & need) != need)
        return 0;
    return PTE2PA(*pte) + (va & (PGSIZE - 1));
}

/* Copies n bytes between kernel buf and user va, page by page. */
static int user_copy(pagetable_t pt, uint64 va, void *buf, uint64 n, int to_user)
{
    while (n > 0) {
        uint64 pa = pt ? uvm_translate(pt, va, to_user ? PTE_W : PTE_R) : 0;
        if (pa == 0)
            return -1;
        uint64 k = PGSIZE - (va & (PGSIZE - 1));
        k = k < n ? k : n;
        if (to_user)
            memmove((void *)pa, buf, k);
        else
            memmove(buf, (void *)pa, k);
        n -= k, va += k, buf = (char *)buf + k;
    }
    return 0;
}

int copyout(pagetable_t pt, uint64 udst, const void *src, uint64 n)
{
    return user_copy(pt, udst, (void *)src, n, 1);
}

int copyin(pagetable_t pt, void *dst, uint64 usrc, uint64 n)
{
    return user_copy(pt, usrc, dst, n, 0);
}

/* Copies a NUL-terminated string of at most max bytes (NUL included). */
int copyinstr(pagetable_t pt, char *dst, uint64 usrc, uint64 max)
{
    for (uint64 i = 0; i < max; i++) {
        uint64 pa = pt ? uvm_translate(pt, usrc + i, PTE_R) : 0;
        if (pa == 0)
            return -1;
        dst[i] = *(char *)pa;
        if (dst[i] == 0)
            return 0;
    }
    return -1;
}
