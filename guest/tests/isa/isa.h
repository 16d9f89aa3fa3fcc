/*
 * isa.h — shared macros for the ISA conformance programs (assembly, run through cpp).
 *
 * Every program is a bare-metal M-mode ELF at 0x80000000. crt.S owns _start, the
 * trap handlers and the pass/fail exits; a test file provides `test_main` and
 * `test_name` (TEST_NAME) and ends with PASS or jumps to `fail`.
 *
 * Register conventions inside a test:
 *   gp  (x3)  current case number (CASE n); the failing case becomes the exit code.
 *   a7  (x17) 0x9A55 / 0xFA11 are reserved: an ECALL with them means "pass" / "fail"
 *             (this is how a test in S or U mode still reaches the finisher).
 *   t6  (x31) scratch of the CHECK macros.
 *   sp        stack (crt.S), valid in every mode while paging is off or identity-mapped.
 *
 * Trap record (filled by the M handler in crt.S, `trap_rec`; the S handler fills
 * `strap_rec` with the same layout):
 *   +0 cause  +8 tval  +16 epc  +24 count  +32 status at entry  +40 resume address
 * An exception returns to `resume` (then cleared; M handler returns to M-mode, S handler to
 * S-mode) or, when resume is 0, to the next instruction (epc + its length).
 * An interrupt clears its enable bit in mie/sie and returns to epc.
 */
#define FINISHER   0x100000
#define UART_THR   0x10000000
#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME 0x200bff8

#define MAGIC_PASS 0x9A55
#define MAGIC_FAIL 0xFA11

#define TR_CAUSE  0
#define TR_TVAL   8
#define TR_EPC   16
#define TR_COUNT 24
#define TR_STATUS 32
#define TR_RESUME 40

#define MSTATUS_SIE  (1 << 1)
#define MSTATUS_MIE  (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_UBE  (1 << 6)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP  (1 << 8)
#define MSTATUS_MPP  (3 << 11)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM  (1 << 18)
#define MSTATUS_MXR  (1 << 19)
#define MSTATUS_TVM  (1 << 20)
#define MSTATUS_TW   (1 << 21)
#define MSTATUS_TSR  (1 << 22)

#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)

#define SATP_SV39 (8 << 60)

/* Names the program; the string is printed by pass/fail. */
#define TEST_NAME(s) .pushsection .rodata; .globl test_name; test_name: .string s; .popsection

/* Starts numbered case n. */
.macro CASE n
    li gp, \n
.endm

/* Fails the current case unless register reg == 64-bit constant exp. */
.macro CHECK reg, exp
    li t6, \exp
    beq \reg, t6, .Lok\@
    j fail
.Lok\@:
.endm

/* Fails the current case unless registers a == b. */
.macro CHECKR a, b
    beq \a, \b, .Lok\@
    j fail
.Lok\@:
.endm

/* Case n: rd = inst(a, b) with constant operands, expects exp. */
.macro TRR n, inst, exp, a, b
    CASE \n
    li a1, \a
    li a2, \b
    \inst a0, a1, a2
    CHECK a0, \exp
.endm

/* Case n: rd = inst(a, imm), expects exp. */
.macro TRI n, inst, exp, a, imm
    CASE \n
    li a1, \a
    \inst a0, a1, \imm
    CHECK a0, \exp
.endm

/* Clears the M-mode trap record (count and cause). */
.macro TRAP_CLEAR
    la t6, trap_rec
    sd zero, TR_COUNT(t6)
    sd zero, TR_TVAL(t6)
    sd zero, TR_RESUME(t6)
    li t5, -1
    sd t5, TR_CAUSE(t6)
.endm

/* The next M-mode trap resumes at label (in M-mode). Clobbers t5, t6. */
.macro TRAP_RESUME label
    la t6, trap_rec
    la t5, \label
    sd t5, TR_RESUME(t6)
.endm

/* Fails unless exactly one M trap with cause c was recorded since TRAP_CLEAR; clears it. */
.macro EXPECT_TRAP c
    la t5, trap_rec
    ld t4, TR_COUNT(t5)
    CHECK t4, 1
    ld t4, TR_CAUSE(t5)
    CHECK t4, \c
    TRAP_CLEAR
.endm

/* Fails unless no M trap was recorded since TRAP_CLEAR. */
.macro EXPECT_NO_TRAP
    la t5, trap_rec
    ld t4, TR_COUNT(t5)
    CHECK t4, 0
.endm

/* Fails unless the recorded M-trap tval equals the constant v. */
.macro EXPECT_TVAL v
    la t5, trap_rec
    ld t4, TR_TVAL(t5)
    CHECK t4, \v
.endm

/* Loads field off of the M trap record into reg. */
.macro TRAP_FIELD reg, off
    la \reg, trap_rec
    ld \reg, \off(\reg)
.endm

/* Same for the S-mode record. */
.macro STRAP_CLEAR
    la t6, strap_rec
    sd zero, TR_COUNT(t6)
    sd zero, TR_TVAL(t6)
    sd zero, TR_RESUME(t6)
    li t5, -1
    sd t5, TR_CAUSE(t6)
.endm

.macro STRAP_RESUME label
    la t6, strap_rec
    la t5, \label
    sd t5, TR_RESUME(t6)
.endm

.macro EXPECT_STRAP c
    la t5, strap_rec
    ld t4, TR_COUNT(t5)
    CHECK t4, 1
    ld t4, TR_CAUSE(t5)
    CHECK t4, \c
    STRAP_CLEAR
.endm

/* From M-mode: continue at label in privilege p (0 U, 1 S, 3 M) with MPIE=0. */
.macro ENTER p, label
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    li t6, (\p << 11)
    csrs mstatus, t6
    la t6, \label
    csrw mepc, t6
    mret
.endm

/* From any mode: ECALL that the M handler turns into "continue at label in M-mode".
 * Only valid while ECALLs from the current mode are not delegated. */
.macro BACK_TO_M label
    TRAP_RESUME \label
    ecall
.endm

/* Ends the test successfully (works in every mode). */
.macro PASS
    li a7, MAGIC_PASS
    ecall
.endm

/* Fails unless exactly one M trap with cause c1 or c2 was recorded; clears it. */
.macro EXPECT_TRAP2 c1, c2
    la t5, trap_rec
    ld t4, TR_COUNT(t5)
    CHECK t4, 1
    ld t4, TR_CAUSE(t5)
    li t6, \c1
    beq t4, t6, .Lok\@
    CHECK t4, \c2
.Lok\@:
    TRAP_CLEAR
.endm
