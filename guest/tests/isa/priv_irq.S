/*
 * priv_irq.S — interrupts: CLINT software interrupt (msip) and timer (mtimecmp against
 * mtime), mip reflecting the lines, global enables per privilege (M-level interrupts are
 * always enabled below M; delegated ones are never taken in M), mideleg routing STIP/SSIP
 * written by M to the S handler, priority MSI over MTI, WFI completing at once when an
 * enabled interrupt is pending even with MIE = 0, WFI waking on the timer, and vectored
 * mtvec (interrupts at BASE + 4 * cause, exceptions at BASE).
 */
#include "isa.h"
TEST_NAME("priv_irq")
#define IRQ(c) (0x8000000000000000 | (c))
#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)

/* a0 = mtime */
.macro MTIME
    li t0, CLINT_MTIME
    ld a0, 0(t0)
.endm
/* mtimecmp = reg */
.macro SET_MTIMECMP reg
    li t0, CLINT_MTIMECMP
    sd \reg, 0(t0)
.endm

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    li a1, -1
    SET_MTIMECMP a1
    csrw mie, zero
    csrw mideleg, zero
    /* msip drives mip.MSIP */
    CASE 1
    li t1, CLINT_MSIP
    li a1, 1
    sw a1, 0(t1)
    csrr a0, mip
    andi a0, a0, MIP_MSIP
    CHECK a0, MIP_MSIP
    /* WFI with an enabled pending interrupt but MIE = 0 completes without a trap */
    CASE 2
    csrci mstatus, MSTATUS_MIE
    li a1, MIP_MSIP
    csrs mie, a1
    wfi
    EXPECT_NO_TRAP
    /* enabling MIE takes it: cause, mepc = next instruction */
    CASE 3
    csrsi mstatus, MSTATUS_MIE
3:  nop
    csrci mstatus, MSTATUS_MIE
    TRAP_FIELD t3, TR_EPC
    la t4, 3b
    CHECKR t3, t4
    EXPECT_TVAL 0
    EXPECT_TRAP IRQ(3)
    CASE 4                                 /* handler cleared MSIE; clearing msip clears MSIP */
    csrr a0, mie
    CHECK a0, 0
    li t1, CLINT_MSIP
    sw zero, 0(t1)
    lw a0, 0(t1)
    CHECK a0, 0
    csrr a0, mip
    andi a0, a0, MIP_MSIP
    CHECK a0, 0

    /* timer: MTIP = (mtime >= mtimecmp) */
    CASE 5
    SET_MTIMECMP zero
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    CHECK a0, MIP_MTIP
    li a1, -1
    SET_MTIMECMP a1
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    CHECK a0, 0
    CASE 6                                 /* timer interrupt taken while spinning */
    MTIME
    addi a1, a0, 50
    SET_MTIMECMP a1
    li a1, MIP_MTIP
    csrs mie, a1
    csrsi mstatus, MSTATUS_MIE
    li a2, 10000000
6:  TRAP_FIELD t3, TR_COUNT
    bnez t3, 7f
    addi a2, a2, -1
    bnez a2, 6b
7:  csrci mstatus, MSTATUS_MIE
    EXPECT_TRAP IRQ(7)
    MTIME
    li t0, CLINT_MTIMECMP
    ld a1, 0(t0)
    bltu a0, a1, fail_near                 /* mtime really reached mtimecmp */
    CASE 7                                 /* WFI (MIE = 0) wakes when the timer fires */
    MTIME
    li a1, 2000
    add a1, a0, a1
    SET_MTIMECMP a1
    li a1, MIP_MTIP
    csrs mie, a1
70: wfi
    MTIME
    li t0, CLINT_MTIMECMP
    ld a1, 0(t0)
    bltu a0, a1, 70b                       /* spurious wake-up is legal: just wait again */
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    CHECK a0, MIP_MTIP
    EXPECT_NO_TRAP
    li a1, -1
    SET_MTIMECMP a1
    csrw mie, zero

    /* priority: MSI before MTI */
    CASE 8
    li t1, CLINT_MSIP
    li a1, 1
    sw a1, 0(t1)
    SET_MTIMECMP zero
    li a1, MIP_MSIP | MIP_MTIP
    csrs mie, a1
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    TRAP_FIELD t3, TR_COUNT
    CHECK t3, 2
    TRAP_FIELD t3, TR_CAUSE
    CHECK t3, IRQ(7)                       /* the last one taken */
    TRAP_CLEAR
    sw zero, 0(t1)
    li a1, -1
    SET_MTIMECMP a1

    /* M-level interrupts are enabled in S regardless of MIE */
    CASE 9
    li a1, MIP_STIP
    csrs mip, a1                           /* M may write STIP */
    csrr a0, mip
    andi a0, a0, MIP_STIP
    CHECK a0, MIP_STIP
    li a1, MIP_STIP
    csrs mie, a1
    ENTER 1, s9                            /* MIE = 0, not delegated: M takes it in S */
s9: nop
    TRAP_FIELD t3, TR_STATUS
    li t4, MSTATUS_MPP
    and t3, t3, t4
    CHECK t3, (1 << 11)
    EXPECT_TRAP IRQ(5)
    BACK_TO_M m9
m9: TRAP_CLEAR
    /* delegated STIP goes to S, only when S interrupts are enabled */
    CASE 10
    STRAP_CLEAR
    li a1, MIP_STIP
    csrw mideleg, a1
    csrs mie, a1
    csrsi mstatus, MSTATUS_MIE
    nop                                    /* delegated: never taken in M */
    csrci mstatus, MSTATUS_MIE
    EXPECT_NO_TRAP
    ENTER 1, s10
s10:
    nop                                    /* SIE = 0: not taken in S */
    la t5, strap_rec
    ld t3, TR_COUNT(t5)
    CHECK t3, 0
    CASE 11
    csrsi sstatus, MSTATUS_SIE
11: nop
    csrci sstatus, MSTATUS_SIE
    la t5, strap_rec
    ld t3, TR_EPC(t5)
    la t4, 11b
    CHECKR t3, t4
    EXPECT_STRAP IRQ(5)
    csrr a0, sie                           /* the S handler disabled STIE */
    CHECK a0, 0
    BACK_TO_M m11
m11:
    TRAP_CLEAR
    CASE 12                                /* in U, S interrupts are enabled regardless of SIE */
    li a1, MIP_STIP
    csrs mie, a1
    ENTER 0, u12
u12:
    nop
    TRAP_RESUME m12
    ebreak
m12:
    EXPECT_TRAP 3
    EXPECT_STRAP IRQ(5)
    li a1, MIP_STIP
    csrc mip, a1
    /* SSIP set by M, delegated */
    CASE 13
    li a1, MIP_SSIP
    csrw mideleg, a1
    csrs mie, a1
    csrs mip, a1
    ENTER 1, s13
s13:
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    EXPECT_STRAP IRQ(1)
    csrr a0, sip
    andi a0, a0, MIP_SSIP
    CHECK a0, MIP_SSIP
    csrci sip, MIP_SSIP                    /* S may clear SSIP */
    csrr a0, sip
    CHECK a0, 0
    BACK_TO_M m13
m13:
    TRAP_CLEAR
    csrw mideleg, zero
    csrw mie, zero

    /* vectored mtvec */
    CASE 14
    csrr s1, mtvec
    la a1, vectors
    ori a1, a1, 1
    csrw mtvec, a1
    li t1, CLINT_MSIP
    li a1, 1
    sw a1, 0(t1)
    li a1, MIP_MSIP
    csrs mie, a1
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    sw zero, 0(t1)
    la t5, vec_hits
    ld t3, 0(t5)
    CHECK t3, 1
    EXPECT_TRAP IRQ(3)
    CASE 15                                /* exceptions use BASE */
    li a7, 0
    ecall
    EXPECT_TRAP 11
    la t5, vec_hits
    ld t3, 0(t5)
    CHECK t3, 1
    csrw mtvec, s1
    PASS
fail_near:
    j fail

    .align 8
vectors:                                   /* BASE + 4 * cause; each slot one 4-byte jump */
    .option push
    .option norvc
    j trap_m                               /* 0: exceptions */
    j trap_m
    j trap_m
    j vec_msi                              /* 3: machine software interrupt */
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    .option pop
vec_msi:                                   /* counts, then records it as usual */
    csrrw t6, mscratch, t6                 /* trap_m's save area; slots 24/32 are free */
    sd t0, 24(t6)
    sd t1, 32(t6)
    la t0, vec_hits
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    ld t0, 24(t6)
    ld t1, 32(t6)
    csrrw t6, mscratch, t6
    j trap_m

    .data
    .align 3
vec_hits: .8byte 0
