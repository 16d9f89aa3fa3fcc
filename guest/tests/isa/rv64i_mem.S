/*
 * rv64i_mem.S — loads and stores of every width: sign extension of LB/LH/LW, zero
 * extension of LBU/LHU/LWU, stores writing exactly their width, negative and large
 * offsets, and misaligned accesses. QEMU 7.2's virt hart performs misaligned loads and
 * stores to RAM in hardware (no trap); the cases below require exactly that.
 */
#include "isa.h"
TEST_NAME("rv64i_mem")

.macro TLD n, inst, off, exp
    CASE \n
    la a1, pattern
    \inst a0, \off(a1)
    CHECK a0, \exp
.endm

    .text
    .globl test_main
test_main:
    TLD 1, lb, 0, 0xfffffffffffffff0
    TLD 2, lb, 1, 0x7f
    TLD 3, lbu, 0, 0xf0
    TLD 4, lh, 2, 0xffffffffffff8001
    TLD 5, lhu, 2, 0x8001
    TLD 6, lh, 0, 0x7ff0
    TLD 7, lw, 4, 0xffffffff89abcdef
    TLD 8, lwu, 4, 0x89abcdef
    TLD 9, lw, 0, 0xffffffff80017ff0
    TLD 10, ld, 0, 0x89abcdef80017ff0
    TLD 11, ld, 8, 0x0123456789abcdef
    TLD 12, lwu, 8, 0x89abcdef
    /* negative offsets */
    CASE 13
    la a1, pattern + 16
    ld a0, -8(a1)
    CHECK a0, 0x0123456789abcdef
    CASE 14
    la a1, pattern + 2048
    lbu a0, -2048(a1)
    CHECK a0, 0xf0
    CASE 15
    la a1, pattern - 2047
    lbu a0, 2047(a1)
    CHECK a0, 0xf0

    /* stores write exactly their width */
    CASE 16
    la a1, buf
    li a2, -1
    sd a2, 0(a1)
    sd a2, 8(a1)
    li a3, 0x1122334455667788
    sb a3, 1(a1)
    ld a0, 0(a1)
    CHECK a0, 0xffffffffffff88ff
    CASE 17
    sh a3, 2(a1)
    ld a0, 0(a1)
    CHECK a0, 0xffffffff778888ff
    CASE 18
    sw a3, 4(a1)
    ld a0, 0(a1)
    CHECK a0, 0x55667788778888ff
    CASE 19
    sd a3, 8(a1)
    ld a0, 8(a1)
    CHECK a0, 0x1122334455667788
    CASE 20
    sd zero, -8(a1)
    ld a0, -8(a1)
    CHECK a0, 0
    /* store x0 and load into x0 */
    CASE 21
    sw zero, 8(a1)
    ld a0, 8(a1)
    CHECK a0, 0x1122334400000000
    lw x0, 8(a1)
    CHECK x0, 0

    /* misaligned loads and stores: performed, no trap (QEMU 7.2 behaviour) */
    TRAP_CLEAR
    TLD 22, lh, 1, 0x017f
    TLD 23, lw, 1, 0xffffffffef80017f
    TLD 24, lwu, 3, 0xabcdef80
    TLD 25, ld, 1, 0xef89abcdef80017f
    TLD 26, ld, 7, 0x23456789abcdef89
    TLD 27, lhu, 7, 0xef89
    CASE 28
    EXPECT_NO_TRAP
    CASE 29
    la a1, buf
    sd zero, 0(a1)
    sd zero, 8(a1)
    li a2, 0x1122334455667788
    sd a2, 3(a1)
    ld a0, 0(a1)
    CHECK a0, 0x4455667788000000
    ld a0, 8(a1)
    CHECK a0, 0x0000000000112233
    CASE 30
    sw a2, 7(a1)
    ld a0, 0(a1)
    CHECK a0, 0x8855667788000000
    ld a0, 8(a1)
    CHECK a0, 0x0000000000556677
    CASE 31
    sh a2, 15(a1)
    ld a0, 8(a1)
    CHECK a0, 0x8800000000556677
    lbu a0, 16(a1)
    CHECK a0, 0x77
    CASE 32
    EXPECT_NO_TRAP
    PASS

    .data
    .align 4
pattern:
    .8byte 0x89abcdef80017ff0
    .8byte 0x0123456789abcdef
    .8byte 0
    .align 4
    .8byte 0
buf:
    .8byte 0, 0, 0, 0
