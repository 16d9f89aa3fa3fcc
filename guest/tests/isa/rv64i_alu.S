/*
 * rv64i_alu.S — RV64I integer computation: every OP, OP-IMM, OP-32, OP-IMM-32 form,
 * LUI and AUIPC, with the edge values the spec singles out: sign extension of the
 * W forms, shift amounts of 63/31, register shift amounts with high bits set (only
 * the low 6 or 5 bits count), signed versus unsigned compares at the boundaries,
 * and writes to x0 being discarded.
 */
#include "isa.h"
TEST_NAME("rv64i_alu")
    .text
    .globl test_main
test_main:
    /* ADD / SUB */
    TRR 1, add, 0, 0, 0
    TRR 2, add, 0x8000000000000000, 0x7fffffffffffffff, 1
    TRR 3, add, 0, -1, 1
    TRR 4, sub, 0x7fffffffffffffff, 0x8000000000000000, 1
    TRR 5, sub, -1, 0, 1
    /* ADDI: immediate sign extension */
    TRI 6, addi, -2048, 0, -2048
    TRI 7, addi, 0x800, 1, 2047
    TRI 8, addi, 0x7fffffffffffffff, 0x8000000000000000, -1
    /* logic */
    TRR 9, and, 0x0f00, 0xff00, 0x0ff0
    TRR 10, or, 0xfff0, 0xff00, 0x0ff0
    TRR 11, xor, 0xf0f0, 0xff00, 0x0ff0
    TRI 12, andi, 0x7f0, 0xffffffffffffff00 | 0xff0, 0x7f0
    TRI 13, andi, 0x1234567812345678, 0x1234567812345678, -1
    TRI 14, ori, 0xfffffffffffff805, 0x5, -2048
    TRI 15, ori, 0xfffffffffffff805, 0x5, -2043
    TRI 16, xori, 0xfffffffffffffffe, 1, -1
    /* compares */
    TRR 17, slt, 1, -1, 0
    TRR 18, slt, 0, 0, -1
    TRR 19, slt, 1, 0x8000000000000000, 0x7fffffffffffffff
    TRR 20, sltu, 0, -1, 0
    TRR 21, sltu, 1, 0, -1
    TRR 22, sltu, 0, 5, 5
    TRI 23, slti, 1, -2, -1
    TRI 24, slti, 0, 0x7fffffffffffffff, -2048
    TRI 25, sltiu, 1, 5, -1            /* immediate sign-extended then compared unsigned */
    TRI 26, sltiu, 0, -1, -1
    TRI 27, sltiu, 1, 0, 1
    TRI 28, sltiu, 0, 1, 1
    /* shifts: register amounts are masked to 6 bits */
    TRR 29, sll, 0x8000000000000000, 1, 63
    TRR 30, sll, 2, 1, 65
    TRR 31, sll, 1, 1, 0xffffffffffffffc0
    TRR 32, srl, 1, 0x8000000000000000, 63
    TRR 33, srl, 0x4000000000000000, 0x8000000000000000, -63
    TRR 34, sra, -1, 0x8000000000000000, 63
    TRR 35, sra, 0xc000000000000000, 0x8000000000000000, 0x101
    TRI 36, slli, 0x8000000000000000, 1, 63
    TRI 37, srli, 1, 0x8000000000000000, 63
    TRI 38, srai, -1, 0x8000000000000000, 63
    TRI 39, srai, 0x0000000012345678, 0x1234567800000000, 32
    TRI 40, srli, 0x00000000ffffffff, -1, 32
    /* W forms: 32-bit result sign-extended */
    TRR 41, addw, 0xffffffff80000000, 0x7fffffff, 1
    TRR 42, addw, 0, 0xffffffff00000000, 0
    TRR 43, addw, 0x0000000012345678, 0xabcdef0012345678, 0
    TRR 44, subw, 0x7fffffff, 0x80000000, 1
    TRR 45, subw, -1, 0, 1
    TRI 46, addiw, 0xffffffff80000000, 0x7fffffff, 1
    TRI 47, addiw, 0x000000007ffff800, 0x7fffffff, -2047 - 0
    TRI 48, addiw, 0, 0xffffffff00000000, 0       /* sext.w of a non-canonical value */
    TRI 49, addiw, -1, 0x00000000ffffffff, 0
    TRR 50, sllw, 0xffffffff80000000, 1, 31
    TRR 51, sllw, 2, 1, 33                         /* amount masked to 5 bits */
    TRR 52, sllw, 0, 0x100000000, 0
    TRR 53, srlw, 1, 0x80000000, 31
    TRR 54, srlw, 0xffffffff80000000, 0xffffffff80000000, 32
    TRR 55, srlw, 0x7fffffff, 0xffffffffffffffff, 1
    TRR 56, sraw, -1, 0x80000000, 31
    TRR 57, sraw, 0xffffffffc0000000, 0x80000000, 0xffffffe1
    TRR 58, sraw, 0x12345678, 0xffffffff12345678, 0   /* upper half ignored */
    TRI 59, slliw, 0xffffffff80000000, 1, 31
    TRI 60, slliw, 0, 0x100000000, 1
    TRI 61, srliw, 1, 0xffffffff80000000, 31
    TRI 62, srliw, 0x7fffffff, -1, 1
    TRI 63, sraiw, -1, 0x80000000, 31
    TRI 64, sraiw, 0x00000000, 0xffffffff00000001, 1
    TRI 65, srliw, 0xffffffff80000000, 0x80000000, 0  /* shift by 0 still sign-extends */
    /* LUI / AUIPC */
    CASE 66
    lui a0, 0x80000
    CHECK a0, 0xffffffff80000000
    CASE 67
    lui a0, 0x7ffff
    CHECK a0, 0x7ffff000
    CASE 68
    lui a0, 0xfffff
    CHECK a0, 0xfffffffffffff000
    CASE 69
1:  auipc a0, 0
    la a1, 1b
    CHECKR a0, a1
    CASE 70
2:  auipc a0, 0x80000             /* pc - 2 GiB */
    la a1, 2b
    li a2, 0xffffffff80000000
    add a1, a1, a2
    CHECKR a0, a1
    CASE 71
3:  auipc a0, 1
    la a1, 3b + 0x1000
    CHECKR a0, a1
    /* x0 ignores writes */
    CASE 72
    li a1, 5
    add x0, a1, a1
    addi x0, x0, 7
    lui x0, 1
    CHECK x0, 0
    mv a0, x0
    CHECK a0, 0
    /* rd == rs1 == rs2 aliasing */
    CASE 73
    li a0, 21
    add a0, a0, a0
    CHECK a0, 42
    CASE 74
    li a0, 0x7fffffffffffffff
    sub a0, a0, a0
    CHECK a0, 0
    /* NOP and HINT forms (rd = x0) retire without effect */
    CASE 75
    nop
    slti x0, x0, 5
    li a0, 7
    CHECK a0, 7
    PASS
