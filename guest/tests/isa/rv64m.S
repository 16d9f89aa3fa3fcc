/*
 * rv64m.S — the M extension: MUL/MULH/MULHSU/MULHU, DIV/DIVU/REM/REMU and their W forms,
 * with the spec's defined results for division by zero (quotient all ones, remainder the
 * dividend) and signed overflow (MIN / -1 = MIN, remainder 0), and W-form sign extension.
 */
#include "isa.h"
TEST_NAME("rv64m")
#define MIN64 0x8000000000000000
#define MIN32 0xffffffff80000000
    .text
    .globl test_main
test_main:
    TRR 1, mul, 42, 6, 7
    TRR 2, mul, -42, -6, 7
    TRR 3, mul, 0x0000000000000001, -1, -1
    TRR 4, mul, MIN64, MIN64, -1
    TRR 5, mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff
    TRR 6, mulh, 0, 6, 7
    TRR 7, mulh, -1, -6, 7
    TRR 8, mulh, 0x4000000000000000, MIN64, MIN64
    TRR 9, mulh, 0xc000000000000000, MIN64, 0x7fffffffffffffff
    TRR 10, mulh, 0, -1, -1
    TRR 11, mulhu, 0xfffffffffffffffe, -1, -1
    TRR 12, mulhu, 0x4000000000000000, MIN64, MIN64
    TRR 13, mulhu, 0, 0xffffffff, 0xffffffff
    TRR 14, mulhsu, -1, -1, -1            /* -1 * (2^64-1) = -(2^64-1): high = -1 */
    TRR 15, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, -1
    TRR 16, mulhsu, 0xc000000000000000, MIN64, MIN64
    TRR 17, mulhsu, 0, 5, 7
    TRR 18, mulw, 0xffffffff80000000, 0x40000000, 2
    TRR 19, mulw, 1, -1, -1
    TRR 20, mulw, 0x0000000000000006, 0x1200000002, 0x3400000003   /* upper halves ignored */
    TRR 21, mulw, 0, 0x10000, 0x10000
    /* division */
    TRR 22, div, 3, 20, 6
    TRR 23, div, -3, -20, 6                /* truncates toward zero */
    TRR 24, div, -3, 20, -6
    TRR 25, div, 3, -20, -6
    TRR 26, div, -1, 20, 0                 /* by zero: all ones */
    TRR 27, div, MIN64, MIN64, -1          /* overflow */
    TRR 28, divu, 0x7fffffffffffffff, -1, 2
    TRR 29, divu, -1, 20, 0
    TRR 30, divu, 0, MIN64, -1
    TRR 31, rem, 2, 20, 6
    TRR 32, rem, -2, -20, 6                /* sign of the dividend */
    TRR 33, rem, 2, 20, -6
    TRR 34, rem, 20, 20, 0                 /* by zero: the dividend */
    TRR 35, rem, 0, MIN64, -1
    TRR 36, remu, 1, -1, 2
    TRR 37, remu, -20, -20, 0
    TRR 38, remu, MIN64, MIN64, -1
    /* W forms */
    TRR 39, divw, -3, -20, 6
    TRR 40, divw, -1, 20, 0
    TRR 41, divw, MIN32, 0x80000000, -1
    TRR 42, divw, 3, 0xabcdef0000000014, 0x1200000006   /* upper halves ignored */
    TRR 43, divuw, 0x7fffffff, 0xffffffff, 2
    TRR 44, divuw, -1, 20, 0               /* all ones, sign-extended */
    TRR 45, divuw, 0xffffffff80000000, 0x80000000, 1
    TRR 46, remw, -2, -20, 6
    TRR 47, remw, 0, 0x80000000, -1
    TRR 48, remw, MIN32, 0x80000000, 0     /* dividend, sign-extended */
    TRR 49, remw, 0x14, 0xff00000014, 0
    TRR 50, remuw, 1, 0xffffffff, 2
    TRR 51, remuw, 0xffffffff80000000, 0x80000000, 0
    TRR 52, remuw, 0xffffffff80000000, 0x80000000, 0x90000000
    TRR 53, divw, 0x40000000, 0x80000000, 0xfffffffe
    /* rd aliasing */
    CASE 54
    li a0, 100
    li a1, 7
    rem a0, a0, a1
    CHECK a0, 2
    CASE 55
    li a0, 9
    mul a0, a0, a0
    CHECK a0, 81
    PASS
