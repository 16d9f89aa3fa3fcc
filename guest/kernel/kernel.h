/*
 * kernel.h — every kernel-wide function, grouped by the file that defines it.
 * Reading this header top to bottom is a tour of the kernel.
 */
#ifndef TINYOS_KERNEL_H
#define TINYOS_KERNEL_H
#include "../lib/types.h"
#include "../lib/string.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"

struct spinlock;
struct proc;
struct context;

/* uart.c — 16550 driver */
void uart_init(void);
void uart_enable_rx(void);
void uart_putc_sync(int c);
void uart_intr(void);

/* console.c — line discipline over the UART */
void console_init(void);
void console_intr(int c);
int console_read(uint64 udst, int n);
int console_write(uint64 usrc, int n);
int console_fgpgrp(int pgid);

/* job.c — process groups and ^C */
int job_interrupt(int pgid);

/* kprintf.c */
void kprintf(const char *fmt, ...);
void kputs_raw(const char *s);

/* panic.c — panic, backtrace, symbols, halting the machine */
void panic(const char *fmt, ...) __attribute__((noreturn));
void panic_trap(const char *what, uint64 scause, uint64 sepc, uint64 stval,
                uint64 fp) __attribute__((noreturn));
void backtrace(uint64 fp);
const char *ksym_lookup(uint64 addr, uint64 *offset);
void machine_halt(int pass, int code) __attribute__((noreturn));

/* trap.c */
void trap_init(void);
void usertrapret(void) __attribute__((noreturn));
const char *trap_cause_name(uint64 scause);

/* plic.c */
void plic_init(void);
void plic_enable(int irq);
int plic_claim(void);
void plic_complete(int irq);

/* timer.c — the S-mode side of the clock */
extern volatile uint64 ticks;
extern uint64 sched_quantum;
void timer_tick(void);
uint64 timer_now(void);

/* kalloc.c — physical frame allocator (buddy system, multi-page allocations) */
#define KALLOC_MAX_ORDER 12     /* largest block: 2^12 frames = 16 MiB */
void kalloc_init(void);
/* fdt.c: the first RAM range of the device tree at physical address blob; -1 if none. */
int fdt_memory(uint64 blob, uint64 *base, uint64 *size);
/* The device tree's address as the boot loader passed it in a1 (start.c); 0 if none. */
extern uint64 boot_dtb;
void *kalloc(void);
void *kalloc_pages(uint64 n);
void kfree(void *pa);
int kfree_checked(void *pa);
void kalloc_stats(uint64 *free, uint64 *used);
void kalloc_orders(uint64 *counts);
int kalloc_consistent(void);

/* vm.c — Sv39 page tables */
void kvm_init(void);
void kvm_inithart(void);
pte_t *pt_walk(pagetable_t pt, uint64 va, int alloc);
int pt_map(pagetable_t pt, uint64 va, uint64 pa, uint64 size, uint64 perm);
pagetable_t uvm_create(uint64 trapframe_pa);
void uvm_free(pagetable_t pt);
int uvm_copy(pagetable_t src, pagetable_t dst);
int uvm_alloc(pagetable_t pt, uint64 va, uint64 len, uint64 perm);
void uvm_unmap(pagetable_t pt, uint64 va, uint64 end);
void uvm_prune(pagetable_t pt, uint64 va, uint64 end);

/* sysheap.c — the process heap [HEAP_BASE, brk) */
int64 heap_sbrk(struct proc *p, int64 n);
uint64 uvm_translate(pagetable_t pt, uint64 va, uint64 need);
int copyout(pagetable_t pt, uint64 udst, const void *src, uint64 n);
int copyin(pagetable_t pt, void *dst, uint64 usrc, uint64 n);
int copyinstr(pagetable_t pt, char *dst, uint64 usrc, uint64 max);

/* spinlock.c */
void spin_init(struct spinlock *lk, const char *name);
void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
int holding(struct spinlock *lk);
void push_off(void);
void pop_off(void);

/* swtch.S */
void swtch(struct context *old, struct context *new);

/* proc.c — process lifecycle */
void proc_init(void);
struct proc *myproc(void);
struct proc *proc_alloc(void);
void user_init(void);
int proc_fork(void);
void proc_exit(int status) __attribute__((noreturn));
int proc_wait(uint64 ustatus);
int proc_waitnb(uint64 ustatus);
int proc_kill(int pid);
int proc_killed(struct proc *p);
void proc_setkilled(struct proc *p);
int kthread_create(void (*fn)(uint64), uint64 arg, const char *name);
void proc_dump(void);
int proc_count(void);

/* sched.c — scheduler, sleep and wakeup */
void scheduler(void) __attribute__((noreturn));
void sched(int reason);
void yield(int reason);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
void wakeup_locked(void *chan);

/* virtio_blk.c — the disk (see the file's design note) */
struct blkreq {
    int type;                  /* VIRTIO_BLK_T_IN, _OUT or _FLUSH */
    uint64 sector;             /* 512-byte sectors */
    void *data;                /* kernel (identity-mapped) memory */
    uint32 len;
    int done;                  /* set by the completion, under the driver lock */
    int status;                /* 0 = ok, -1 = device error */
};
int vblk_init(void);
int vblk_present(void);
uint64 vblk_sectors(void);
int vblk_irq(void);
int vblk_version(void);
int vblk_slot(void);
int vblk_readonly(void);
int vblk_can_flush(void);
uint64 vblk_max_inflight(void);
void vblk_intr(void);
void vblk_start(struct blkreq *r);
int vblk_wait(struct blkreq *r);
int vblk_rw(int type, uint64 sector, void *data, uint32 len);

/* syscall.c */
void syscall(void);
int user_fault(uint64 uaddr, const char *what);

/* main.c: a superblock naming file-system trees was found at boot */
extern int disk_has_fs;

/* exec.c */
int exec(const char *name, char **argv);
int program_exists(const char *name);

/* selftest.c, kstress.c */
void selftest_boot(void);
int kstress_run(int threads, int rounds);

/* trace.c — tracepoints (see guest/TRACEPOINTS.md) */
void trace_sched_switch(uint64 prev_pid, uint64 next_pid, uint64 reason, uint64 tick);
void trace_proc_create(uint64 pid, uint64 parent_pid, const char *name);
void trace_exec(uint64 pid, const char *name);
void trace_proc_exit(uint64 pid, uint64 status);
void trace_sleep(uint64 pid, uint64 chan);
void trace_wakeup(uint64 pid, uint64 chan);
void trace_syscall_enter(uint64 pid, uint64 num, uint64 a0, uint64 a1, uint64 a2);
void trace_syscall_exit(uint64 pid, uint64 num, uint64 ret);
void trace_timer_tick(uint64 tick, uint64 pid);
void trace_blk_submit(uint64 slot, uint64 type, uint64 sector, uint64 len);
void trace_blk_complete(uint64 slot, uint64 type, uint64 sector, uint64 status);
void trace_bcache_hit(uint64 blockno, uint64 buf);
void trace_bcache_miss(uint64 blockno, uint64 buf);
void trace_bcache_evict(uint64 old_blockno, uint64 new_blockno, uint64 buf);
void trace_bcache_writeback(uint64 blockno, uint64 buf, uint64 reason);

#endif
