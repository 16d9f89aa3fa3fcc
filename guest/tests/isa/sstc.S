/*
 * sstc.S — the Sstc extension: menvcfg.STCE, the stimecmp CSR and the supervisor timer
 * interrupt it drives. With STCE = 0, mip.STIP is the bit M-mode writes (as before Sstc) and
 * stimecmp has no effect; with STCE = 1, STIP is (time >= stimecmp) unsigned and read-only.
 * Below M, stimecmp needs both mcounteren.TM and menvcfg.STCE, else it is an illegal
 * instruction (U never has it). S-mode programs its own timer: the delegated interrupt is
 * taken when time passes stimecmp, WFI wakes on it, and moving stimecmp ahead clears STIP.
 */
#include "isa.h"
TEST_NAME("sstc")
#define IRQ(c) (0x8000000000000000 | (c))
#define MIP_STIP (1 << 5)
#define MENVCFG_FIOM 1
#define MENVCFG_STCE (1 << 63)
#define MCOUNTEREN_TM 2

/* a0 = STIP as mip shows it */
.macro STIP_NOW
    csrr a0, mip
    andi a0, a0, MIP_STIP
.endm

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    csrw mie, zero
    csrw mideleg, zero
    /* menvcfg: FIOM and STCE are writable; the other bits of an all-ones write are WARL */
    CASE 1
    li a1, -1
    csrw menvcfg, a1
    csrr a0, menvcfg
    li t1, MENVCFG_FIOM | MENVCFG_STCE
    and a0, a0, t1
    CHECK a0, MENVCFG_FIOM | MENVCFG_STCE
    csrw menvcfg, zero
    csrr a0, menvcfg
    CHECK a0, 0
    /* M-mode reads and writes stimecmp whatever STCE says */
    CASE 2
    li a1, 0x123456789
    csrw stimecmp, a1
    csrr a0, stimecmp
    CHECK a0, 0x123456789
    EXPECT_NO_TRAP
    /* STCE = 0: STIP is the bit M writes; stimecmp in the past does not hold it up (QEMU 7.2
     * raises STIP when stimecmp is written in the past even then: cleared first, see README) */
    CASE 3
    csrw stimecmp, zero
    li a1, MIP_STIP
    csrc mip, a1
    STIP_NOW
    CHECK a0, 0
    csrs mip, a1
    STIP_NOW
    CHECK a0, MIP_STIP
    csrc mip, a1
    STIP_NOW
    CHECK a0, 0
    /* STCE = 1: STIP = (time >= stimecmp), and M writes to it are ignored (stimecmp is
     * written again after STCE: QEMU 7.2 compares only when stimecmp is written) */
    CASE 4
    li a1, MENVCFG_STCE
    csrs menvcfg, a1
    csrw stimecmp, zero
    STIP_NOW
    CHECK a0, MIP_STIP
    li a1, MIP_STIP
    csrc mip, a1
    STIP_NOW
    CHECK a0, MIP_STIP
    CASE 5
    li a1, -1                              /* the largest unsigned time: never reached */
    csrw stimecmp, a1
    STIP_NOW
    CHECK a0, 0
    li a1, MIP_STIP
    csrs mip, a1
    STIP_NOW
    CHECK a0, 0
    CASE 6                                 /* unsigned comparison: 2^63 is in the future */
    li a1, 1
    slli a1, a1, 63
    csrw stimecmp, a1
    STIP_NOW
    CHECK a0, 0

    /* access from S: needs mcounteren.TM and menvcfg.STCE */
    CASE 7
    csrw mcounteren, zero                  /* TM = 0, STCE = 1 */
    ENTER 1, s7
s7: csrr a0, stimecmp
    EXPECT_TRAP 2
    BACK_TO_M m7
m7: TRAP_CLEAR
    CASE 8                                 /* TM = 1, STCE = 0 */
    li a1, MCOUNTEREN_TM
    csrw mcounteren, a1
    li a1, MENVCFG_STCE
    csrc menvcfg, a1
    ENTER 1, s8
s8: csrw stimecmp, zero
    EXPECT_TRAP 2
    BACK_TO_M m8
m8: TRAP_CLEAR
    CASE 9                                 /* both: S reads and writes it */
    li a1, MENVCFG_STCE
    csrs menvcfg, a1
    li a1, 0x777
    csrw stimecmp, a1
    ENTER 1, s9
s9: csrr s2, stimecmp
    li a1, -1
    csrw stimecmp, a1
    csrr s3, stimecmp
    BACK_TO_M m9
m9: EXPECT_TRAP 9                          /* only the ECALL from S back to M */
    CHECK s2, 0x777
    CHECK s3, -1
    CASE 10                                /* U never has it */
    li a1, 1
    csrw scounteren, a1
    ENTER 0, u10
u10:
    csrr a0, stimecmp
    EXPECT_TRAP 2
    BACK_TO_M m10
m10:
    TRAP_CLEAR
    csrw scounteren, zero

    /* S programs its own timer interrupt */
    CASE 11
    STRAP_CLEAR
    li a1, MIP_STIP
    csrw mideleg, a1
    csrs mie, a1
    ENTER 1, s11
s11:
    rdtime a0
    addi a0, a0, 100
    csrw stimecmp, a0
    csrsi sstatus, MSTATUS_SIE
    li a2, 10000000
1:  la t5, strap_rec
    ld t3, TR_COUNT(t5)
    bnez t3, 2f
    addi a2, a2, -1
    bnez a2, 1b
2:  csrci sstatus, MSTATUS_SIE
    EXPECT_STRAP IRQ(5)
    rdtime a0
    csrr a1, stimecmp
    bltu a0, a1, fail_near                 /* time really reached stimecmp */
    csrr a0, sip
    andi a0, a0, MIP_STIP
    CHECK a0, MIP_STIP                     /* still pending: the level follows time */
    CASE 12                                /* WFI (SIE = 0) wakes when time reaches stimecmp */
    rdtime a0
    li a1, 2000
    add a0, a0, a1
    csrw stimecmp, a0
    csrr a0, sip
    andi a0, a0, MIP_STIP
    CHECK a0, 0                            /* moving stimecmp ahead cleared STIP */
    li a1, MIP_STIP
    csrs sie, a1                           /* the S handler had disabled STIE */
12: wfi
    rdtime a0
    csrr a1, stimecmp
    bltu a0, a1, 12b                       /* a spurious wake-up is legal: wait again */
    csrr a0, sip
    andi a0, a0, MIP_STIP
    CHECK a0, MIP_STIP
    la t5, strap_rec
    ld t3, TR_COUNT(t5)
    CHECK t3, 0                            /* SIE = 0: woken, not interrupted */
    li a1, -1
    csrw stimecmp, a1
    csrr a0, sip
    andi a0, a0, MIP_STIP
    CHECK a0, 0
    BACK_TO_M m12
m12:
    EXPECT_TRAP 9
    /* not delegated: M takes the Sstc STIP while S runs */
    CASE 13
    csrw mideleg, zero
    csrw stimecmp, zero
    li a1, MIP_STIP
    csrs mie, a1
    ENTER 1, s13
s13:
    nop
    TRAP_FIELD t3, TR_CAUSE
    CHECK t3, IRQ(5)
    BACK_TO_M m13
m13:
    TRAP_FIELD t3, TR_COUNT
    CHECK t3, 2                            /* the interrupt, then the ECALL */
    TRAP_CLEAR
    li a1, -1
    csrw stimecmp, a1
    csrw menvcfg, zero
    csrw mcounteren, zero
    csrw mie, zero
    PASS
fail_near:
    j fail
