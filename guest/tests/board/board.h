/*
 * board.h - what the board test programs share: the QEMU virt addresses, MMIO accessors,
 * a polled UART console and the test-finisher exit. Every program is a single M-mode
 * main() started by crt0.S; main's return value becomes the finisher's exit code.
 */
#ifndef BOARD_H
#define BOARD_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

#define TEST_BASE   0x00100000UL
#define CLINT_BASE  0x02000000UL
#define PLIC_BASE   0x0C000000UL
#define UART_BASE   0x10000000UL
#define VIRTIO_BASE 0x10001000UL

#define CLINT_MSIP      (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP  (CLINT_BASE + 0x4000)
#define CLINT_MTIME     (CLINT_BASE + 0xBFF8)

#define PLIC_PRIORITY(n)   (PLIC_BASE + 4 * (n))
#define PLIC_PENDING       (PLIC_BASE + 0x1000)
#define PLIC_ENABLE(ctx)   (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)    (PLIC_BASE + 0x200004 + 0x1000 * (ctx))

#define UART_IRQ 10

static inline u8 mmio_r8(u64 a) { return *(volatile u8 *)a; }
static inline void mmio_w8(u64 a, u8 v) { *(volatile u8 *)a = v; }
static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)a; }
static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u64 mmio_r64(u64 a) { return *(volatile u64 *)a; }
static inline void mmio_w64(u64 a, u64 v) { *(volatile u64 *)a = v; }

#define csr_read(csr) ({ u64 __v; asm volatile("csrr %0, " #csr : "=r"(__v)); __v; })
#define csr_write(csr, v) asm volatile("csrw " #csr ", %0" : : "r"((u64)(v)))
#define csr_set(csr, v) asm volatile("csrs " #csr ", %0" : : "r"((u64)(v)))
#define csr_clear(csr, v) asm volatile("csrc " #csr ", %0" : : "r"((u64)(v)))

#define MSTATUS_MIE (1UL << 3)
#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MIE_MEIE (1UL << 11)
#define MCAUSE_INT (1UL << 63)

void putc(char c);
void puts(const char *s);
void puthex(u64 v);
void putdec(u64 v);
void board_exit(int code) __attribute__((noreturn));
int check(int ok, const char *what);
void wait_until(volatile int *counter, int target);

#endif
