/*
 * access.S — physical access faults and WARL odds and ends that QEMU 7.2 fixes:
 * loads, stores, AMOs and fetches outside RAM and devices raise access faults (5, 7, 1)
 * with mtval = the address; reserved mtvec/stvec modes (2, 3) leave the register as it
 * was.
 */
#include "isa.h"
TEST_NAME("access")
#define HOLE 0x90000000                     /* past the end of 128 MiB of RAM */

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    CASE 1
    li a1, HOLE
    ld a0, 0(a1)
    TRAP_FIELD t3, TR_TVAL
    CHECKR t3, a1
    EXPECT_TRAP 5
    CASE 2
    sw a0, 8(a1)
    TRAP_FIELD t3, TR_TVAL
    addi t4, a1, 8
    CHECKR t3, t4
    EXPECT_TRAP 7
    CASE 3
    amoadd.w a0, a0, (a1)
    EXPECT_TRAP2 7, 5                       /* spec: 7; QEMU 7.2 reports a load fault (5) */
    CASE 4
    lr.d a0, (a1)
    EXPECT_TRAP 5
    CASE 5                                  /* fetch */
    TRAP_RESUME m5
    jalr a1
m5: TRAP_FIELD t3, TR_TVAL
    CHECKR t3, a1
    TRAP_FIELD t3, TR_EPC
    CHECKR t3, a1
    EXPECT_TRAP 1
    CASE 6                                  /* the last bytes of RAM are fine */
    li a1, 0x88000000 - 8
    li a2, 0x5a5a
    sd a2, 0(a1)
    ld a0, 0(a1)
    CHECK a0, 0x5a5a
    EXPECT_NO_TRAP
    CASE 7                                  /* ... the next one is not */
    li a1, 0x88000000
    lb a0, 0(a1)
    EXPECT_TRAP 5

    /* reserved mtvec / stvec modes: write ignored */
    CASE 10
    csrr s1, mtvec
    la a1, trap_m
    ori a1, a1, 2
    csrw mtvec, a1
    csrr a0, mtvec
    CHECKR a0, s1
    ori a1, a1, 3
    csrw mtvec, a1
    csrr a0, mtvec
    CHECKR a0, s1
    CASE 11
    csrr s1, stvec
    la a1, trap_s
    ori a1, a1, 3
    csrw stvec, a1
    csrr a0, stvec
    CHECKR a0, s1
    la a1, trap_s
    ori a1, a1, 1
    csrw stvec, a1
    csrr a0, stvec
    CHECKR a0, a1
    csrw stvec, s1
    PASS
