/*
 * sv39.S — Sv39 translation, built by the test in M-mode and exercised from S, U and
 * M with MPRV. Address space (root table `pt_root`):
 *   0x80000000 1 GiB  gigapage, identity, RWX, supervisor  (all code, data, stack)
 *   0x40000000 2 MiB  via pt_l1 -> pt_l0, 4 KiB pages:
 *       +0 RW U   +1 R U   +2 X U   +3 invalid   +4 W-without-R U   +5 RW supervisor
 *       +6 RW U with A = D = 0   +7 RX U (the user code page)
 *   0x40200000 2 MiB  megapage -> 0x80200000, RW supervisor
 *   0x40400000 2 MiB  misaligned megapage (PPN[0] != 0)   -> page fault
 *   0xC0000000 1 GiB  misaligned gigapage (PPN[1] != 0)   -> page fault
 * Checked: R/W/X/U permission faults (12/13/15, stval = the address), invalid PTE,
 * W without R, non-canonical addresses, SUM and MXR, S never executing U pages, MPRV with
 * MPP = S/U, A/D bits set by hardware (QEMU 7.2 does), SFENCE.VMA after a remap,
 * satp WARL (unsupported modes ignored), and a page fault delegated to S.
 */
#include "isa.h"
TEST_NAME("sv39")
#define VA_P(n)   (0x40000000 + (n) * 0x1000)
#define VA_MEGA   0x40200000
#define VA_BADMEGA 0x40400000
#define VA_BADGIGA 0xC0000000
#define PA_MEGA   0x80200000
#define USER_VA(off) (VA_P(7) + (off))
#define U_LOAD 0
#define U_STORE 16
#define U_JUMP 32

/* dst = PTE for physical address in reg pa with flags f (clobbers pa) */
.macro MKPTE dst, pa, f
    srli \pa, \pa, 12
    slli \dst, \pa, 10
    ori \dst, \dst, \f
.endm
/* table[idx] = PTE(pa symbol or register) */
.macro SETPTE table, idx, pareg, f
    MKPTE t1, \pareg, \f
    la t2, \table
    sd t1, (\idx * 8)(t2)
.endm
/* Runs the user snippet at label with a1/a2 as arguments; resumes in M at back. */
.macro USER snippet, back
    TRAP_RESUME \back
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    li t6, USER_VA(\snippet)
    csrw mepc, t6
    mret
.endm

    .text
    .globl test_main
test_main:
    TRAP_CLEAR
    /* build the tables */
    li a0, 0x80000000
    SETPTE pt_root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    la a0, pt_l1
    SETPTE pt_root, 1, a0, PTE_V
    li a0, PA_MEGA
    SETPTE pt_root, 3, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    la a0, pt_l0
    SETPTE pt_l1, 0, a0, PTE_V
    li a0, PA_MEGA
    SETPTE pt_l1, 1, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    li a0, PA_MEGA + 0x1000
    SETPTE pt_l1, 2, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    la a0, page0
    SETPTE pt_l0, 0, a0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    la a0, page1
    SETPTE pt_l0, 1, a0, PTE_V | PTE_R | PTE_U | PTE_A
    la a0, page2
    SETPTE pt_l0, 2, a0, PTE_V | PTE_X | PTE_U | PTE_A
    la a0, page3
    SETPTE pt_l0, 3, a0, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D     /* V = 0 */
    la a0, page4
    SETPTE pt_l0, 4, a0, PTE_V | PTE_W | PTE_U | PTE_A | PTE_D
    la a0, page5
    SETPTE pt_l0, 5, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    la a0, page6
    SETPTE pt_l0, 6, a0, PTE_V | PTE_R | PTE_W | PTE_U
    la a0, user_code
    SETPTE pt_l0, 7, a0, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
    /* page contents: page n holds 0x1111 * (n + 1) in its first dword */
    la a0, page0
    li a1, 0x1111
    li a2, 7
1:  mul a3, a1, a2
    add a3, a3, a1
    slli a4, a2, 12
    add a4, a4, a0
    sd a3, 0(a4)
    addi a2, a2, -1
    bgez a2, 1b
    li a0, PA_MEGA + 0x123
    li a1, 0x4d454741
    sd a1, 0(a0)

    /* satp: Sv39 holds, reserved modes are ignored */
    CASE 1
    la a0, pt_root
    srli a0, a0, 12
    li a1, SATP_SV39
    or s1, a0, a1                          /* s1 = our satp value */
    csrw satp, s1
    csrr a2, satp
    CHECKR a2, s1
    CASE 2
    li a1, (5 << 60) | 0x1234
    csrw satp, a1
    csrr a2, satp
    CHECKR a2, s1
    sfence.vma

    /* ---- S-mode with translation ---- */
    ENTER 1, s_main
s_main:
    CASE 3                                 /* code and data through the gigapage */
    la a1, page5
    ld a0, 0(a1)
    CHECK a0, 0x6666
    CASE 4                                 /* supervisor page */
    li a1, VA_P(5)
    ld a0, 0(a1)
    CHECK a0, 0x6666
    li a2, 0x6767
    sd a2, 0(a1)
    ld a0, 0(a1)
    CHECK a0, 0x6767
    EXPECT_NO_TRAP
    CASE 5                                 /* U page from S without SUM */
    li a1, VA_P(0)
    ld a0, 0(a1)
    TRAP_FIELD t3, TR_TVAL
    CHECKR t3, a1
    EXPECT_TRAP 13
    CASE 6
    sd a0, 0(a1)
    EXPECT_TRAP 15
    CASE 7                                 /* with SUM */
    li t0, MSTATUS_SUM
    csrs sstatus, t0
    ld a0, 0(a1)
    CHECK a0, 0x1111
    EXPECT_NO_TRAP
    CASE 8                                 /* read-only page */
    li a1, VA_P(1) + 8
    sd a0, 0(a1)
    TRAP_FIELD t3, TR_TVAL
    CHECKR t3, a1
    EXPECT_TRAP 15
    ld a0, -8(a1)
    CHECK a0, 0x2222
    CASE 9                                 /* AMO on a read-only page: store fault */
    amoadd.d a0, a0, (a1)
    EXPECT_TRAP 15
    CASE 10                                /* execute-only page: loads fault unless MXR */
    li a1, VA_P(2)
    ld a0, 0(a1)
    EXPECT_TRAP 13
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    ld a0, 0(a1)
    CHECK a0, 0x3333
    csrc sstatus, t0
    EXPECT_NO_TRAP
    CASE 11                                /* invalid PTE */
    li a1, VA_P(3) + 16
    ld a0, 0(a1)
    TRAP_FIELD t3, TR_TVAL
    CHECKR t3, a1
    EXPECT_TRAP 13
    sw a0, 0(a1)
    EXPECT_TRAP 15
    CASE 12                                /* W without R is reserved: faults */
    li a1, VA_P(4)
    ld a0, 0(a1)
    EXPECT_TRAP 13
    sd a0, 0(a1)
    EXPECT_TRAP 15
    CASE 13                                /* S never executes U pages, even with SUM */
    TRAP_RESUME m13
    li a1, USER_VA(U_LOAD)
    jalr a1
m13:
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, USER_VA(U_LOAD)
    EXPECT_TRAP 12
    ENTER 1, s14
s14:
    CASE 14                                /* fetch from an invalid page */
    TRAP_RESUME m14
    li a1, VA_P(3)
    jalr a1
m14:
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, VA_P(3)
    EXPECT_TRAP 12
    ENTER 1, s15
s15:
    CASE 15                                /* fetch from a non-executable page */
    TRAP_RESUME m15
    li a1, VA_P(5)
    jalr a1
m15:
    EXPECT_TRAP 12
    ENTER 1, s16
s16:
    CASE 16                                /* 2 MiB megapage */
    li a1, VA_MEGA + 0x123
    ld a0, 0(a1)
    CHECK a0, 0x4d454741
    li a1, VA_MEGA + 0x1ff000
    sd a0, 0(a1)
    li a2, PA_MEGA + 0x1ff000
    EXPECT_NO_TRAP
    CASE 17                                /* misaligned megapage and gigapage */
    li a1, VA_BADMEGA
    ld a0, 0(a1)
    EXPECT_TRAP 13
    li a1, VA_BADGIGA + 0x5000
    ld a0, 0(a1)
    TRAP_FIELD t3, TR_TVAL
    CHECKR t3, a1
    EXPECT_TRAP 13
    CASE 18                                /* non-canonical addresses */
    li a1, 0x0000008000000000
    ld a0, 0(a1)
    EXPECT_TRAP 13
    li a1, 0xffffff7f80000000
    sd a0, 0(a1)
    EXPECT_TRAP 15
    CASE 19                                /* unmapped but canonical (root entry 0 invalid) */
    li a1, 0x1000
    lw a0, 0(a1)
    EXPECT_TRAP 13
    CASE 20                                /* upper half canonical but unmapped */
    li a1, 0xffffffffc0000000
    lw a0, 0(a1)
    EXPECT_TRAP 13

    /* A and D set by hardware (QEMU 7.2 behaviour; SUM still set) */
    CASE 21
    la t5, pt_l0
    ld a0, 6*8(t5)
    andi a0, a0, PTE_A | PTE_D
    CHECK a0, 0
    li a1, VA_P(6)
    CASE 25
    ld a0, 0(a1)
    CHECK a0, 0x7777
    CASE 26
    EXPECT_NO_TRAP
    CASE 27
    la t5, pt_l0
    ld a0, 6*8(t5)
    andi a0, a0, PTE_A | PTE_D
    CHECK a0, PTE_A
    CASE 22
    sd a0, 8(a1)
    EXPECT_NO_TRAP
    la t5, pt_l0
    ld a0, 6*8(t5)
    andi a0, a0, PTE_A | PTE_D
    CHECK a0, PTE_A | PTE_D

    /* SFENCE.VMA after a remap: VA_P(0) now shows page5 */
    CASE 23
    la a0, page5
    srli a0, a0, 12
    slli a0, a0, 10
    ori a0, a0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    la t5, pt_l0
    sd a0, 0(t5)
    sfence.vma
    li a1, VA_P(0)
    ld a0, 0(a1)
    CHECK a0, 0x6767
    CASE 24                                /* address-specific fence, back to page0 */
    la a0, page0
    srli a0, a0, 12
    slli a0, a0, 10
    ori a0, a0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    sd a0, 0(t5)
    sfence.vma a1, zero
    ld a0, 0(a1)
    CHECK a0, 0x1111
    li t0, MSTATUS_SUM
    csrc sstatus, t0
    BACK_TO_M m_user
m_user:
    TRAP_CLEAR

    /* ---- U-mode ---- */
    CASE 30                                /* U reads and writes its own page */
    li a1, VA_P(0)
    li a2, 0xabcd
    USER U_STORE, m30
m30:
    EXPECT_TRAP 8
    la a1, page0
    ld a0, 0(a1)
    CHECK a0, 0xabcd
    CASE 31
    li a1, VA_P(1)
    USER U_LOAD, m31
m31:
    EXPECT_TRAP 8
    CHECK a0, 0x2222
    CASE 32                                /* U cannot touch a supervisor page */
    li a1, VA_P(5)
    USER U_LOAD, m32
m32:
    EXPECT_TRAP 13
    CASE 33                                /* nor write a read-only one */
    li a1, VA_P(1)
    USER U_STORE, m33
m33:
    EXPECT_TRAP 15
    CASE 34                                /* X-only: U fetch fine, U load faults (MXR=0) */
    li a1, VA_P(2)
    USER U_LOAD, m34
m34:
    EXPECT_TRAP 13
    CASE 35                                /* MXR applies to U as well */
    li t0, MSTATUS_MXR
    csrs mstatus, t0
    li a1, VA_P(2)
    USER U_LOAD, m35
m35:
    csrc mstatus, t0
    EXPECT_TRAP 8
    CHECK a0, 0x3333
    CASE 36                                /* U fetch from a supervisor page */
    li a1, VA_P(5)
    USER U_JUMP, m36
m36:
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, VA_P(5)
    EXPECT_TRAP 12
    CASE 37                                /* U fetch from the gigapage (not U) */
    la a1, test_main
    USER U_JUMP, m37
m37:
    EXPECT_TRAP 12

    /* ---- M-mode with MPRV ---- */
    CASE 40                                /* M itself is never translated */
    la a1, page1
    ld a0, 0(a1)
    CHECK a0, 0x2222
    CASE 41                                /* MPRV, MPP = S, SUM = 1 */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (1 << 11) | MSTATUS_SUM
    csrs mstatus, t0
    li a1, VA_P(1)
    TRAP_RESUME m41
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    ld a0, 0(a1)
    csrc mstatus, t0
m41:
    li t0, MSTATUS_MPRV | MSTATUS_SUM
    csrc mstatus, t0
    EXPECT_NO_TRAP
    CHECK a0, 0x2222
    CASE 42                                /* MPRV, MPP = U: supervisor page faults */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li a1, VA_P(5)
    TRAP_RESUME m42
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    ld a0, 0(a1)
    csrc mstatus, t0
m42:
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    TRAP_FIELD t3, TR_TVAL
    CHECK t3, VA_P(5)
    EXPECT_TRAP 13
    CASE 43                                /* MPRV, MPP = U: U page works */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li a1, VA_P(0)
    TRAP_RESUME m43
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    ld a0, 0(a1)
    csrc mstatus, t0
m43:
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    EXPECT_NO_TRAP
    CHECK a0, 0xabcd
    CASE 44                                /* MPRV with MPP = M: no translation */
    li t0, MSTATUS_MPP | MSTATUS_MPRV
    csrs mstatus, t0
    la a1, page1
    ld a0, 0(a1)
    csrc mstatus, t0
    CHECK a0, 0x2222
    li t0, MSTATUS_MPP
    csrs mstatus, t0

    /* ---- a page fault delegated to S ---- */
    CASE 50
    STRAP_CLEAR
    li t0, 1 << 13
    csrw medeleg, t0
    ENTER 1, s50
s50:
    li a1, VA_P(3)
    ld a0, 0(a1)
    la t5, strap_rec
    ld t3, TR_TVAL(t5)
    CHECKR t3, a1
    EXPECT_STRAP 13
    EXPECT_NO_TRAP
    BACK_TO_M m50
m50:
    TRAP_CLEAR
    csrw medeleg, zero
    csrw satp, zero
    sfence.vma
    PASS

/* the user code page: snippets entered by USER, ending with an ECALL to M */
    .align 12
user_code:                                 /* snippets at fixed offsets U_LOAD/U_STORE/U_JUMP */
    ld a0, 0(a1)
    li a7, 0
    ecall
    .org user_code + U_STORE
    sd a2, 0(a1)
    li a7, 0
    ecall
    .org user_code + U_JUMP
    jalr zero, 0(a1)
    .align 12

    .bss
    .align 12
pt_root: .skip 4096
pt_l1:   .skip 4096
pt_l0:   .skip 4096
page0:   .skip 4096
page1:   .skip 4096
page2:   .skip 4096
page3:   .skip 4096
page4:   .skip 4096
page5:   .skip 4096
page6:   .skip 4096
