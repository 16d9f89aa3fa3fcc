/*
 * pmp.S — physical memory protection: pmpaddr WARL, NAPOT / NA4 / TOR regions, the
 * lowest-numbered matching entry deciding, an access that matches only some bytes of an
 * entry failing, M-mode accesses passing unless the entry is locked, MPRV applying the S
 * checks to M-mode loads and stores, S-mode accesses that no entry matches failing, fetch
 * needing X (access fault, tval = address), and locked entries ignoring writes (also the
 * pmpaddr below a locked TOR entry). crt.S opened entry 0 over all memory; the test moves
 * that catch-all to entry 15 (QEMU has 16 entries) and uses entries 0-3 for regions.
 */
#include "isa.h"
TEST_NAME("pmp")
#define A_OFF   (0 << 3)
#define A_TOR   (1 << 3)
#define A_NA4   (2 << 3)
#define A_NAPOT (3 << 3)
#define P_R 1
#define P_W 2
#define P_X 4
#define P_L 0x80
#define FAR_ADDR 0x87000000                /* RAM above this image; beyond the catch-all below */

/* pmpcfg0 byte 0..3 = entries 0..3 (entries 4-7 off) */
.macro CFG0 value
    li t0, \value
    csrw pmpcfg0, t0
.endm
/* pmpaddr for a NAPOT region of 4 KiB at label */
.macro NAPOT4K csr, label
    la t0, \label
    srli t0, t0, 2
    ori t0, t0, 0x1ff                      /* 9 trailing ones: 2^(9+3) bytes */
    csrw \csr, t0
.endm

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    /* pmpaddr holds bits 55:2 of an address: 54 writable bits (QEMU 7.2 keeps all 64: the
     * bits above are only checked to be either) */
    CASE 1
    li a1, -1
    csrw pmpaddr1, a1
    csrr a0, pmpaddr1
    li t0, 0x3fffffffffffff
    and a1, a0, t0
    CHECK a1, 0x3fffffffffffff
    srli a0, a0, 54
    beqz a0, 1f
    CHECK a0, 0x3ff
1:
    csrw pmpaddr1, zero
    /* the catch-all moves to entry 15: TOR [0, FAR_ADDR), RWX; pmpcfg2 byte 7 */
    CASE 2
    li t0, FAR_ADDR >> 2
    csrw pmpaddr15, t0
    csrw pmpaddr14, zero
    li t0, (A_TOR | P_R | P_W | P_X) << 56
    csrw pmpcfg2, t0
    CFG0 0                                 /* entry 0 (crt's catch-all) off */
    ENTER 1, s2
s2: la a1, region
    ld a0, 0(a1)                           /* S may load through entry 15 */
    EXPECT_NO_TRAP
    li a1, FAR_ADDR
    ld a0, 0(a1)                           /* no entry matches: S fails */
    EXPECT_TVAL FAR_ADDR
    EXPECT_TRAP 5
    li a1, FAR_ADDR - 8
    ld a0, 0(a1)
    EXPECT_NO_TRAP
    BACK_TO_M m2
m2: TRAP_CLEAR
    li a1, FAR_ADDR
    ld a0, 0(a1)                           /* M passes where nothing matches */
    EXPECT_NO_TRAP

    /* NAPOT 4 KiB, read-only, has priority over entry 15 */
    CASE 3
    NAPOT4K pmpaddr0, region
    CFG0 (A_NAPOT | P_R)
    ENTER 1, s3
s3: la a1, region
    ld a0, 8(a1)
    EXPECT_NO_TRAP
    sd a0, 8(a1)
    la t1, region + 8
    TRAP_FIELD t2, TR_TVAL
    CHECKR t1, t2
    EXPECT_TRAP 7
    la a1, region + 4096                   /* next page: entry 15 again */
    sd zero, 0(a1)
    EXPECT_NO_TRAP
    BACK_TO_M m3
m3: TRAP_CLEAR
    CASE 4                                 /* M ignores an unlocked entry */
    la a1, region
    sd zero, 16(a1)
    EXPECT_NO_TRAP
    CASE 5                                 /* MPRV with MPP = S: M's loads/stores checked as S */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (1 << 11) | MSTATUS_MPRV
    csrs mstatus, t0
    la a1, region
    ld a0, 0(a1)
    sd a0, 0(a1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    EXPECT_TRAP 7

    /* NA4 (no permissions) above a NAPOT page (RW): 4 bytes, and partial matches fail */
    CASE 6
    la t0, region + 0x100
    srli t0, t0, 2
    csrw pmpaddr0, t0
    NAPOT4K pmpaddr1, region
    CFG0 ((A_NAPOT | P_R | P_W) << 8) | A_NA4
    ENTER 1, s6
s6: la a1, region + 0x100
    lw a0, 0(a1)
    EXPECT_TRAP 5
    lw a0, 4(a1)                           /* entry 1 */
    EXPECT_NO_TRAP
    ld a0, 0(a1)                           /* 8 bytes: only 4 in entry 0 */
    EXPECT_TRAP 5
    sb zero, 3(a1)
    EXPECT_TRAP 7
    sb zero, 4(a1)
    EXPECT_NO_TRAP
    BACK_TO_M m6
m6: TRAP_CLEAR

    /* TOR: [pmpaddr0, pmpaddr1) with entry 0 off */
    CASE 7
    la t0, region
    srli t0, t0, 2
    csrw pmpaddr0, t0
    la t0, region + 0x800
    srli t0, t0, 2
    csrw pmpaddr1, t0
    CFG0 ((A_TOR | P_R) << 8)
    ENTER 1, s7
s7: la a1, region
    sd zero, 0x10(a1)
    EXPECT_TRAP 7
    ld a0, 0x7f8(a1)
    EXPECT_NO_TRAP
    la a1, region + 0x800
    sd zero, 0(a1)                         /* past the top: entry 15 */
    EXPECT_NO_TRAP
    BACK_TO_M m7
m7: TRAP_CLEAR

    /* fetch needs X */
    CASE 8
    NAPOT4K pmpaddr0, xpage
    CFG0 (A_NAPOT | P_R)
    ENTER 1, s8
s8: TRAP_RESUME m8
    la a1, xpage
    jalr a1
    j fail_near
m8: la t1, xpage
    TRAP_FIELD t2, TR_TVAL
    CHECKR t1, t2
    EXPECT_TRAP 1
    CFG0 (A_NAPOT | P_R | P_X)             /* with X it runs (and returns) */
    ENTER 1, s8b
s8b:
    la a1, xpage
    jalr a1
    BACK_TO_M m8b
m8b:
    EXPECT_TRAP 9

    /* a 4-byte hole without X inside a code page: the instruction before it runs, the fetch
     * of the one in the hole faults. Either: QEMU 7.2 checks PMP once per translation block
     * and runs the whole page (see README); the machine's own HartPmpTest requires the fault. */
    CASE 10
    la t0, xpage2 + 4
    srli t0, t0, 2
    csrw pmpaddr0, t0
    CFG0 (A_NA4 | P_R)
    li s4, 0
    ENTER 1, s10
s10:
    TRAP_RESUME m10
    la a1, xpage2
    jalr a1
    BACK_TO_M m10q                         /* QEMU 7.2: it ran through the hole */
m10:
    la t1, xpage2 + 4
    TRAP_FIELD t2, TR_TVAL
    CHECKR t1, t2
    EXPECT_TRAP 1
    CHECK s4, 1                            /* the addi at xpage2 ran */
    j 10f
m10q:
    EXPECT_TRAP 9
    CHECK s4, 2
10:

    /* a locked entry binds M too and ignores writes; a locked TOR entry guards pmpaddr below */
    CASE 9
    NAPOT4K pmpaddr0, region
    la t0, region + 4096
    srli t0, t0, 2
    csrw pmpaddr1, t0
    la t0, region + 8192
    srli t0, t0, 2
    csrw pmpaddr2, t0
    CFG0 ((P_L | A_TOR | P_R) << 16) | (P_L | A_NAPOT | P_R)
    la a1, region
    ld a0, 0(a1)                           /* M may read */
    EXPECT_NO_TRAP
    sd a0, 0(a1)                           /* but not write */
    EXPECT_TRAP 7
    csrr s2, pmpcfg0
    CFG0 (A_NAPOT | P_R | P_W | P_X)       /* ignored for locked bytes 0 and 2 */
    csrr a0, pmpcfg0
    li t0, 0xff00ff
    and a0, a0, t0
    and s2, s2, t0
    CHECKR a0, s2
    csrr s3, pmpaddr0
    csrw pmpaddr0, zero                    /* locked entry: ignored */
    csrr a0, pmpaddr0
    CHECKR a0, s3
    csrr s3, pmpaddr1
    csrw pmpaddr1, zero                    /* base of a locked TOR entry: ignored */
    csrr a0, pmpaddr1
    CHECKR a0, s3
    la a1, region + 4096                   /* entry 2: locked TOR [region+4K, region+8K), R */
    sd zero, 0(a1)
    EXPECT_TRAP 7
    PASS
fail_near:
    j fail

    .align 12
xpage:
    ret
    .align 12
xpage2:
    .option push
    .option norvc
    addi s4, s4, 1
    addi s4, s4, 1
    ret
    .option pop
    .align 12

    .data
    .align 12
region:
    .space 8192
