/*
 * rv64i_branch.S — control transfer: every conditional branch taken and not taken
 * at the signed/unsigned boundary values, backward branches, JAL link values and
 * JALR with odd targets (bit 0 cleared), rd == rs1 aliasing, and x0 as link register.
 */
#include "isa.h"
TEST_NAME("rv64i_branch")

/* Case n: branch inst on (a, b) must be taken (t=1) or not taken (t=0). */
.macro TBR n, inst, a, b, t
    CASE \n
    li a1, \a
    li a2, \b
    li a0, 0
    \inst a1, a2, .Ltk\@
    li a0, 2
    j .Ldone\@
.Ltk\@:
    li a0, 1
.Ldone\@:
    .if \t
    CHECK a0, 1
    .else
    CHECK a0, 2
    .endif
.endm

    .text
    .globl test_main
test_main:
    TBR 1, beq, 0, 0, 1
    TBR 2, beq, 1, 0, 0
    TBR 3, beq, -1, 0xffffffff, 0
    TBR 4, bne, 0, 0, 0
    TBR 5, bne, 0x8000000000000000, 0, 1
    TBR 6, blt, -1, 0, 1
    TBR 7, blt, 0, -1, 0
    TBR 8, blt, 0x8000000000000000, 0x7fffffffffffffff, 1
    TBR 9, blt, 5, 5, 0
    TBR 10, bge, 5, 5, 1
    TBR 11, bge, -1, 0, 0
    TBR 12, bge, 0x7fffffffffffffff, 0x8000000000000000, 1
    TBR 13, bltu, 0, -1, 1
    TBR 14, bltu, -1, 0, 0
    TBR 15, bltu, 0x7fffffffffffffff, 0x8000000000000000, 1
    TBR 16, bltu, 7, 7, 0
    TBR 17, bgeu, 7, 7, 1
    TBR 18, bgeu, 0, -1, 0
    TBR 19, bgeu, 0x8000000000000000, 0x7fffffffffffffff, 1
    TBR 20, bgeu, 0x80000000, 0xffffffff80000000, 0

    /* backward branch loop */
    CASE 21
    li a0, 0
    li a1, 10
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK a0, 30

    /* JAL: link = pc + 4 */
    CASE 22
    jal ra, 2f
3:  j fail
2:  la a1, 3b
    CHECKR ra, a1
    /* JAL with rd = x0 (plain jump) */
    CASE 23
    jal x0, 4f
    j fail
4:  CHECK x0, 0
    /* JALR: target = (rs1 + imm) & ~1 */
    CASE 24
    la a1, 5f
    addi a1, a1, 1
    jalr ra, 0(a1)
6:  j fail
5:  la a2, 6b
    CHECKR ra, a2
    CASE 25
    la a1, 7f + 9
    jalr t0, -9(a1)
    j fail
7:  CASE 26
    la a1, 8f - 2047
    jalr t0, 2047(a1)
    j fail
    /* JALR rd == rs1: target uses the old rs1 */
8:  CASE 27
    la a1, 9f
    jalr a1, 0(a1)
10: j fail
9:  la a2, 10b
    CHECKR a1, a2
    /* JALR with a negative offset and odd sum */
    CASE 28
    la a1, 11f + 101
    jalr x0, -100(a1)
    j fail
11: PASS
