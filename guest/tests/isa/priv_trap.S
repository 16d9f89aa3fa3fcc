/*
 * priv_trap.S — synchronous traps and the privilege stack: ECALL from U/S/M (causes
 * 8/9/11, mepc = the ECALL, mtval = 0), EBREAK (3), MPP/SPP recording the trapping mode,
 * medeleg routing U/S exceptions to S but never M-mode ones, MRET and SRET stacking
 * (xIE <- xPIE, xPIE <- 1, xPP <- U, MRET to S/U clears MPRV), and the trap-virtualisation
 * bits TSR (SRET in S), TVM (satp and SFENCE.VMA in S) and TW (WFI in S), plus WFI in U,
 * which QEMU 7.2 always treats as illegal when S-mode exists.
 */
#include "isa.h"
TEST_NAME("priv_trap")

/* Fails unless the M record's status field has (status & mask) == val. */
.macro EXPECT_MSTATUS mask, val
    TRAP_FIELD t3, TR_STATUS
    li t4, \mask
    and t3, t3, t4
    CHECK t3, \val
.endm

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    /* ECALL / EBREAK from M */
    CASE 1
    li a7, 0
1:  ecall
    TRAP_FIELD t3, TR_EPC
    la t4, 1b
    CHECKR t3, t4
    EXPECT_TVAL 0
    EXPECT_MSTATUS MSTATUS_MPP, MSTATUS_MPP
    EXPECT_TRAP 11
    CASE 2
    .option push
    .option norvc
2:  ebreak
    .option pop
    TRAP_FIELD t3, TR_EPC
    la t4, 2b
    CHECKR t3, t4
    EXPECT_TRAP 3
    /* ECALL from S and U */
    CASE 3
    ENTER 1, s3
s3: TRAP_RESUME m3
3:  ecall
m3: TRAP_FIELD t3, TR_EPC
    la t4, 3b
    CHECKR t3, t4
    EXPECT_MSTATUS MSTATUS_MPP, (1 << 11)
    EXPECT_TRAP 9
    CASE 4
    ENTER 0, u4
u4: TRAP_RESUME m4
    ecall
m4: EXPECT_MSTATUS MSTATUS_MPP, 0
    EXPECT_TRAP 8
    CASE 5                                /* EBREAK from U */
    ENTER 0, u5
u5: TRAP_RESUME m5
    ebreak
m5: EXPECT_MSTATUS MSTATUS_MPP, 0
    EXPECT_TRAP 3

    /* medeleg: U ECALL and illegal instruction go to S */
    CASE 10
    STRAP_CLEAR
    li a1, (1 << 8) | (1 << 2)
    csrw medeleg, a1
    csrr a0, medeleg
    CHECKR a0, a1
    csrsi sstatus, MSTATUS_SIE             /* SPIE must capture it */
    ENTER 0, u10
u10:
    li a7, 0
    ecall                                 /* -> trap_s, returns to U */
    TRAP_RESUME m10
    ebreak                                /* not delegated -> trap_m */
m10:
    EXPECT_TRAP 3
    csrci sstatus, MSTATUS_SIE
    la t5, strap_rec
    ld t3, TR_STATUS(t5)
    andi t3, t3, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    CHECK t3, MSTATUS_SPIE                /* from U: SPP = 0; the SIE bit -> SPIE; SIE = 0 */
    ld t3, TR_EPC(t5)
    beqz t3, fail_near
    EXPECT_STRAP 8
    CASE 11                               /* S-mode illegal instruction: to S, SPP = 1 */
    csrsi sstatus, MSTATUS_SIE
    ENTER 1, s11
s11:
    csrsi sstatus, MSTATUS_SIE
    .2byte 0                              /* illegal (16-bit all zero) */
    TRAP_RESUME m11
    ecall
m11:
    EXPECT_TRAP 9
    la t5, strap_rec
    ld t3, TR_STATUS(t5)
    andi t3, t3, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    CHECK t3, MSTATUS_SPP | MSTATUS_SPIE
    ld t3, TR_TVAL(t5)
    CHECK t3, 0
    EXPECT_STRAP 2
    csrci sstatus, MSTATUS_SIE
    CASE 12                               /* M-mode exceptions are never delegated */
    .2byte 0
    EXPECT_TRAP 2
    la t5, strap_rec
    ld t3, TR_COUNT(t5)
    CHECK t3, 0
    csrw medeleg, zero

    /* MRET stacking (to M so the result can be read) */
    CASE 20
    li a1, MSTATUS_MIE
    csrc mstatus, a1
    li a1, MSTATUS_MPIE | MSTATUS_MPP
    csrs mstatus, a1
    la a1, 20f
    csrw mepc, a1
    mret
20: csrr a0, mstatus
    li a1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    and a0, a0, a1
    CHECK a0, MSTATUS_MIE | MSTATUS_MPIE  /* MIE <- MPIE, MPIE <- 1, MPP <- U */
    csrci mstatus, MSTATUS_MIE
    CASE 21
    li a1, MSTATUS_MPIE
    csrc mstatus, a1
    csrsi mstatus, MSTATUS_MIE
    li a1, MSTATUS_MPP
    csrs mstatus, a1
    la a1, 21f
    csrw mepc, a1
    mret
21: csrr a0, mstatus
    li a1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    and a0, a0, a1
    CHECK a0, MSTATUS_MPIE
    /* (Not tested: the 1.12 rule "MRET to S/U clears MPRV" — QEMU 7.2 keeps MPRV.) */
    CASE 23                               /* MRET to M keeps MPRV */
    li a1, MSTATUS_MPRV
    csrs mstatus, a1
    ENTER 3, m23
m23:
    csrr a0, mstatus
    li a1, MSTATUS_MPRV
    and a0, a0, a1
    CHECK a0, MSTATUS_MPRV
    csrc mstatus, a1

    /* SRET stacking: from M (legal) into S */
    CASE 24
    li a1, MSTATUS_SPP | MSTATUS_SPIE
    csrs mstatus, a1
    csrci mstatus, MSTATUS_SIE
    la a1, s24
    csrw sepc, a1
    sret
s24:
    csrr a0, sstatus
    andi a0, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    CHECK a0, MSTATUS_SPIE | MSTATUS_SIE
    csrci sstatus, MSTATUS_SIE
    CASE 25                               /* SRET with SPP = U lands in U */
    la a1, u25
    csrw sepc, a1
    sret
u25:
    TRAP_RESUME m25
    ecall
m25:
    EXPECT_TRAP 8

    /* TSR: SRET in S traps; in M it does not */
    CASE 30
    li a1, MSTATUS_TSR
    csrs mstatus, a1
    ENTER 1, s30
s30:
    la a1, fail_near
    csrw sepc, a1
    sret
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, 0x10200073
    EXPECT_TRAP 2
    BACK_TO_M m30
m30:
    TRAP_CLEAR
    CASE 31
    li a1, MSTATUS_SPP
    csrs mstatus, a1
    la a1, s31
    csrw sepc, a1
    sret
s31:
    BACK_TO_M m31
m31:
    TRAP_CLEAR
    li a1, MSTATUS_TSR
    csrc mstatus, a1
    /* TVM: satp and SFENCE.VMA trap in S */
    CASE 32
    li a1, MSTATUS_TVM
    csrs mstatus, a1
    ENTER 1, s32
s32:
    csrr a0, satp
    EXPECT_TRAP 2
    CASE 33
    sfence.vma
    EXPECT_TRAP 2
    CASE 34
    csrw satp, zero
    EXPECT_TRAP 2
    BACK_TO_M m34
m34:
    TRAP_CLEAR
    li a1, MSTATUS_TVM
    csrc mstatus, a1
    CASE 35                               /* TVM = 0: allowed */
    ENTER 1, s35
s35:
    csrr a0, satp
    sfence.vma
    EXPECT_NO_TRAP
    BACK_TO_M m35
m35:
    TRAP_CLEAR
    /* TW: WFI in S traps; WFI in U traps regardless */
    CASE 36
    li a1, MSTATUS_TW
    csrs mstatus, a1
    ENTER 1, s36
s36:
    wfi
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, 0x10500073
    EXPECT_TRAP 2
    BACK_TO_M m36
m36:
    TRAP_CLEAR
    li a1, MSTATUS_TW
    csrc mstatus, a1
    CASE 37
    ENTER 0, u37
u37:
    wfi
    EXPECT_TRAP 2
    CASE 38                               /* MRET in S and U is illegal */
    mret
    EXPECT_TRAP 2
    BACK_TO_M m38
m38:
    TRAP_CLEAR
    CASE 39
    ENTER 1, s39
s39:
    mret
    EXPECT_TRAP 2
    CASE 40
    la a1, u40
    csrw sepc, a1
    sret                                  /* SPP = 0 after the last SRET: to U */
u40:
    TRAP_RESUME m40
    ecall
m40:
    EXPECT_TRAP 8
    PASS
fail_near:
    j fail
