/*
 * fencei.S — Zifencei and self-modifying code: instructions stored to memory become
 * visible to instruction fetch after FENCE.I — a routine rewritten in a data buffer and
 * called again, an instruction patched ahead of the pc in the code stream, a 16-bit
 * instruction replaced by another, and a 32-bit instruction replaced by two 16-bit ones.
 * What is fetched without FENCE.I is implementation-defined and not tested.
 */
#include "isa.h"
TEST_NAME("fencei")
#define LI_A0(v)  (0x00000513 | ((v) << 20))    /* addi a0, zero, v */
#define RET       0x00008067                    /* jalr zero, 0(ra) */
#define C_LI_A0(v) (0x4501 | ((v) << 2))        /* c.li a0, v (0 <= v < 32) */

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    CASE 1
    la s1, codebuf
    li a1, LI_A0(1)
    sw a1, 0(s1)
    li a1, RET
    sw a1, 4(s1)
    fence.i
    jalr ra, 0(s1)
    CHECK a0, 1
    CASE 2
    li a1, LI_A0(2)
    sw a1, 0(s1)
    fence.i
    jalr ra, 0(s1)
    CHECK a0, 2
    CASE 3                                 /* many rewrites of the same word */
    li s2, 0
3:  li a1, LI_A0(0)
    slli a2, s2, 20
    or a1, a1, a2
    sw a1, 0(s1)
    fence.i
    jalr ra, 0(s1)
    CHECKR a0, s2
    addi s2, s2, 1
    li a3, 100
    blt s2, a3, 3b
    CASE 4                                 /* patch an instruction ahead in the code stream */
    la a1, 4f
    li a2, LI_A0(44)
    sw a2, 0(a1)
    fence.i
    .option push
    .option norvc
4:  addi a0, zero, 4
    .option pop
    CHECK a0, 44
    CASE 5                                 /* 16-bit instruction replaced */
    la a1, 5f
    li a2, C_LI_A0(7)
    sh a2, 0(a1)
    fence.i
5:  c.li a0, 3
    CHECK a0, 7
    CASE 6                                 /* a 32-bit instruction becomes two 16-bit ones */
    la a1, 6f
    li a2, C_LI_A0(9) | (0x0001 << 16)     /* c.li a0, 9 ; c.nop */
    sw a2, 0(a1)
    fence.i
    .option push
    .option norvc
6:  addi a0, zero, 6
    .option pop
    CHECK a0, 9
    CASE 7                                 /* the buffer code still works after all that */
    li a1, LI_A0(77)
    sw a1, 0(s1)
    fence.i
    jalr ra, 0(s1)
    CHECK a0, 77
    EXPECT_NO_TRAP
    PASS

    .data
    .align 3
codebuf: .8byte 0, 0
