/*
 * rvc.S — every RV64C instruction in its compressed encoding (the c. mnemonics force
 * the 16-bit form), checked for the same result as its 32-bit expansion, including the
 * scaled and zero-extended offsets of the loads/stores, sign extension of C.ADDIW/C.LW,
 * 6-bit shift amounts, and the link value pc + 2 of C.JALR. Reserved encodings (the
 * all-zero halfword, C.ADDI4SPN/C.ADDI16SP/C.LUI with a zero immediate, C.LWSP/C.LDSP
 * with rd = x0, C.JR with rs1 = x0, C.ADDIW with rd = x0, the reserved quadrant-0 and
 * C.SUBW-group slots) raise illegal instruction with mtval = the 16 instruction bits.
 * C.EBREAK raises breakpoint.
 */
#include "isa.h"
TEST_NAME("rvc")

/* Case n: raw 16-bit word w must raise illegal instruction with mtval = w. */
.macro TILL16 n, w
    CASE \n
    .2byte \w
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, \w
    EXPECT_TRAP 2
.endm

    .text
    .globl test_main
test_main:
    mv s11, sp
    TRAP_CLEAR
    /* C.ADDI4SPN: rd' = sp + nzuimm*4 */
    CASE 1
    la sp, cbuf
    c.addi4spn a0, sp, 1020
    la a1, cbuf + 1020
    CHECKR a0, a1
    CASE 2
    c.addi4spn a5, sp, 4
    la a1, cbuf + 4
    CHECKR a5, a1
    /* C.LW / C.LD / C.SW / C.SD with their scaled offsets */
    CASE 3
    la s0, cbuf
    li a0, 0xffffffff80000001
    li a1, 0x1122334455667788
    c.sw a0, 124(s0)
    c.sd a1, 248(s0)
    c.lw a2, 124(s0)
    CHECK a2, 0xffffffff80000001
    c.ld a3, 248(s0)
    CHECK a3, 0x1122334455667788
    CASE 4
    addi s1, s0, 128
    c.lw a4, 120(s1)
    CHECK a4, 0x55667788
    c.lw a5, 124(s1)
    CHECK a5, 0x11223344
    CASE 5
    c.sd a1, 0(s0)
    c.lw a4, 4(s0)
    CHECK a4, 0x11223344
    /* C.LWSP / C.LDSP / C.SWSP / C.SDSP */
    CASE 6
    li t0, 0xfedcba9876543210
    c.sdsp t0, 504(sp)
    c.ldsp t1, 504(sp)
    CHECKR t1, t0
    c.sdsp t0, 248(sp)
    c.lwsp t2, 252(sp)
    CHECK t2, 0xfffffffffedcba98
    CASE 7
    li t0, 0x7abbccdd
    c.swsp t0, 244(sp)
    c.lwsp ra, 244(sp)
    CHECK ra, 0x7abbccdd
    c.lwsp t1, 0(sp)
    CHECK t1, 0x55667788
    mv sp, s11
    /* C.NOP, C.ADDI, C.ADDIW, C.LI */
    CASE 8
    li a0, 5
    c.nop
    c.addi a0, -32
    CHECK a0, -27
    c.addi a0, 31
    CHECK a0, 4
    CASE 9
    li a0, 0x7fffffff
    c.addiw a0, 1
    CHECK a0, 0xffffffff80000000
    CASE 10
    li a0, 0xffffffff00000005
    c.addiw a0, 0                  /* sext.w */
    CHECK a0, 5
    CASE 11
    c.li a0, -32
    CHECK a0, -32
    c.li t3, 31
    CHECK t3, 31
    /* C.ADDI16SP, C.LUI */
    CASE 12
    mv s11, sp
    c.addi16sp sp, -512
    addi a0, s11, -512
    CHECKR sp, a0
    c.addi16sp sp, 496
    addi a0, s11, -16
    CHECKR sp, a0
    mv sp, s11
    CASE 13
    c.lui a0, 0xfffe0               /* nzimm[17:12] = 0x20: sign-extended */
    CHECK a0, 0xfffffffffffe0000
    c.lui t4, 0x1f
    CHECK t4, 0x1f000
    CASE 14
    c.lui a0, 1
    CHECK a0, 0x1000
    /* C.SRLI / C.SRAI / C.ANDI with 6-bit shift amounts */
    CASE 15
    li a0, 0x8000000000000000
    c.srli a0, 63
    CHECK a0, 1
    li a0, 0x8000000000000000
    c.srai a0, 63
    CHECK a0, -1
    CASE 16
    li a0, 0x8000000000000000
    c.srai a0, 32
    CHECK a0, 0xffffffff80000000
    li a0, 0x8000000000000000
    c.srli a0, 1
    CHECK a0, 0x4000000000000000
    CASE 17
    li a0, 0xff
    c.andi a0, -16
    CHECK a0, 0xf0
    li a0, -1
    c.andi a0, 31
    CHECK a0, 31
    /* C.SUB / XOR / OR / AND / SUBW / ADDW */
    CASE 18
    li a0, 10
    li a1, 20
    c.sub a0, a1
    CHECK a0, -10
    CASE 19
    li a0, 0xff00
    li a1, 0x0ff0
    c.xor a0, a1
    CHECK a0, 0xf0f0
    li a0, 0xff00
    c.or a0, a1
    CHECK a0, 0xfff0
    li a0, 0xff00
    c.and a0, a1
    CHECK a0, 0x0f00
    CASE 20
    li a0, 0x80000000
    li a1, 1
    c.subw a0, a1
    CHECK a0, 0x7fffffff
    li a0, 0x7fffffff
    c.addw a0, a1
    CHECK a0, 0xffffffff80000000
    CASE 21
    li a0, 0x100000000
    li a1, 0x100000000
    c.addw a0, a1
    CHECK a0, 0
    /* C.SLLI, C.MV, C.ADD */
    CASE 22
    li a0, 1
    c.slli a0, 63
    CHECK a0, 0x8000000000000000
    li t5, 3
    c.slli t5, 32
    CHECK t5, 0x300000000
    CASE 23
    li a1, 0x123456789
    c.mv a0, a1
    CHECK a0, 0x123456789
    c.add a0, a1
    CHECK a0, 0x2468acf12
    /* C.J, C.BEQZ, C.BNEZ */
    CASE 24
    c.j 1f
    j fail
1:  li s1, 0
    c.beqz s1, 2f
    j fail
2:  li s1, 1
    c.beqz s1, fail_near
    c.bnez s1, 3f
    j fail
3:  li s1, 0
    c.bnez s1, fail_near
    CASE 25                          /* backward C.BNEZ */
    li s1, 3
    li a0, 0
4:  addi a0, a0, 1
    addi s1, s1, -1
    c.bnez s1, 4b
    CHECK a0, 3
    /* C.JR, C.JALR */
    CASE 26
    la a1, 5f
    c.jr a1
    j fail
5:  CASE 27
    la a1, 6f
    c.jalr a1
7:  j fail
6:  la a2, 7b
    CHECKR ra, a2
    sub a3, ra, a1
    CASE 28
    la t0, 8f
    c.jalr t0
    j 9f
8:  c.jr ra                           /* return lands right after the 2-byte c.jalr */
9:  CASE 29
    c.li a0, 0
    /* C.EBREAK */
    CASE 30
30: c.ebreak
    TRAP_FIELD t3, TR_EPC
    la t4, 30b
    CHECKR t3, t4
    TRAP_FIELD t5, TR_TVAL          /* 0 (QEMU 7.2) or the pc: both allowed by the spec */
    beqz t5, 32f
    CHECKR t5, t4
32:
    EXPECT_TRAP 3
    /* reserved encodings */
    TILL16 40, 0x0000               /* all zero */
    TILL16 41, 0x0004               /* C.ADDI4SPN nzuimm = 0 */
    TILL16 42, 0x6281               /* C.LUI x5, 0 */
    TILL16 43, 0x6101               /* C.ADDI16SP 0 */
    TILL16 44, 0x4002               /* C.LWSP x0 */
    TILL16 45, 0x6002               /* C.LDSP x0 */
    TILL16 46, 0x8002               /* C.JR x0 */
    TILL16 47, 0x2001               /* C.ADDIW x0 */
    TILL16 48, 0x8000               /* quadrant 0, funct3 100 */
    TILL16 49, 0x9c41               /* C.SUBW group, reserved funct2 10 */
    TILL16 50, 0x9c61               /* reserved funct2 11 */
    CASE 51
    EXPECT_NO_TRAP
    PASS
fail_near:
    j fail

    .bss
    .align 4
cbuf: .skip 1024
