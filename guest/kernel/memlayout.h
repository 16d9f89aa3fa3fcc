/*
 * memlayout.h — physical and virtual address map.
 *
 * Physical (QEMU virt):            Kernel virtual (identity below RAM end):
 *   0x0010_0000 test finisher        devices and RAM mapped at VA == PA
 *   0x0200_0000 CLINT (M-mode only)  TRAMPOLINE = MAXVA - 4K   (R-X, every table)
 *   0x0C00_0000 PLIC                 kernel stacks below it, each KSTACK_SLOT
 *   0x1000_0000 UART 16550               bytes with an unmapped guard page
 *   0x1000_1000 virtio-mmio slots
 *   0x8000_0000 RAM (kernel image, then free frames up to PHYSTOP, the RAM
 *               size the device tree passed in a1 gives; fdt.c)
 *
 * User virtual:
 *   0x0000 unmapped (null pointers fault)
 *   USER_BASE  program image as linked (text R-X-U, data RW-U), below HEAP_BASE
 *   ... unmapped ...
 *   HEAP_BASE .. break   the heap (RW-U), grown and shrunk by sbrk (sysheap.c),
 *              at most HEAP_MAX bytes
 *   ... unmapped ...
 *   USTACK_TOP - USTACK_PAGES*4K .. USTACK_TOP  stack (RW-U)
 *   TRAPFRAME = MAXVA - 8K  (RW, kernel-only), TRAMPOLINE = MAXVA - 4K (R-X)
 */
#ifndef TINYOS_MEMLAYOUT_H
#define TINYOS_MEMLAYOUT_H
#include "riscv.h"

#define FINISHER 0x100000UL
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333
#define CLINT 0x2000000UL
#define CLINT_MTIMECMP(hart) (CLINT + 0x4000 + 8 * (hart))
#define CLINT_MTIME (CLINT + 0xBFF8)
#define PLIC 0x0C000000UL
#define PLIC_SIZE 0x400000UL
#define UART0 0x10000000UL
#define UART0_IRQ 10
#define VIRTIO_BASE 0x10001000UL
#define VIRTIO_SIZE 0x8000UL

#define KERNBASE 0x80000000UL
/* End of RAM: KERNBASE + the size the device tree's /memory node gives (kalloc.c). */
extern unsigned long phystop;
#define PHYSTOP phystop
/* The RAM tiny-os accepts: at least MIN_RAM_MIB (it panics below), at most MAX_RAM_MIB. */
#define MIN_RAM_MIB 8UL
#define MAX_RAM_MIB 2048UL

#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)
#define KSTACK_PAGES 3
#define KSTACK_SLOT (4 * PGSIZE)           /* power of two: slot = guard + stack */
#define KSTACK_TOP(i) ((TRAMPOLINE & ~(KSTACK_SLOT - 1)) - KSTACK_SLOT * (uint64)(i))
#define KSTACK_BOTTOM(i) (KSTACK_TOP(i) - KSTACK_PAGES * PGSIZE)

#define USER_BASE 0x1000UL
#define USTACK_TOP 0x100000000UL
#define USTACK_PAGES 4
/* The heap: a fixed base, so the image may not reach it and the break of a fresh
 * process is always HEAP_BASE; HEAP_MAX bounds one process's heap. */
#define HEAP_BASE 0x40000000UL
#define HEAP_MAX (16UL << 20)

#endif
