/*
 * crt.S — start-up, trap handlers and exits shared by every ISA test program.
 *
 * _start runs in M-mode at 0x80000000 (QEMU virt with -bios none, and our machine):
 * it sets the stack, opens PMP entry 0 to all of memory (QEMU denies S/U accesses
 * when no PMP entry matches), installs trap_m / trap_s and jumps to test_main.
 *
 * trap_m records every trap in trap_rec (layout in isa.h) and returns: exceptions to
 * the recorded resume address in M-mode, or past the faulting instruction; interrupts
 * to mepc with their mie bit cleared, so a level-triggered source cannot loop. An ECALL
 * with a7 = MAGIC_PASS / MAGIC_FAIL ends the run through the test finisher after printing
 * "PASS name" / "FAIL name case N" on the UART; that is how pass and fail work from any
 * privilege level. trap_s does the same for traps delegated to S-mode (strap_rec) and
 * forwards magic ECALLs to M. Both handlers save what they touch in their scratch area.
 */
#include "isa.h"

    .section .text.init
    .globl _start
_start:
    la sp, stack_top
    la t0, trap_m
    csrw mtvec, t0
    la t0, mscratch_area
    csrw mscratch, t0
    la t0, sscratch_area
    csrw sscratch, t0
    la t0, trap_s
    csrw stvec, t0
    li t0, -1
    srli t0, t0, 10
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    TRAP_CLEAR
    STRAP_CLEAR
    li gp, 0
    j test_main

    .globl fail
fail:
    li a7, MAGIC_FAIL
    ecall
1:  j 1b

/* ---- M-mode trap handler ---- */
    .align 4
    .globl trap_m
trap_m:
    csrrw t6, mscratch, t6
    sd t0, 0(t6)
    sd t1, 8(t6)
    sd t2, 16(t6)
    csrr t0, mcause
    addi t1, t0, -8
    li t2, 4
    bgeu t1, t2, .Lm_record          /* not an ECALL from U, S or M */
    li t1, MAGIC_PASS
    beq a7, t1, pass_m
    li t1, MAGIC_FAIL
    beq a7, t1, fail_m
.Lm_record:
    la t1, trap_rec
    sd t0, TR_CAUSE(t1)
    csrr t2, mtval
    sd t2, TR_TVAL(t1)
    csrr t2, mepc
    sd t2, TR_EPC(t1)
    csrr t2, mstatus
    sd t2, TR_STATUS(t1)
    ld t2, TR_COUNT(t1)
    addi t2, t2, 1
    sd t2, TR_COUNT(t1)
    bltz t0, .Lm_irq
    ld t2, TR_RESUME(t1)
    beqz t2, .Lm_skip
    sd zero, TR_RESUME(t1)
    csrw mepc, t2
    li t2, MSTATUS_MPP
    csrs mstatus, t2
    j .Lm_out
.Lm_skip:
    csrr t2, mepc
    lhu t0, 0(t2)
    andi t0, t0, 3
    addi t2, t2, 2
    li t1, 3
    bne t0, t1, 1f
    addi t2, t2, 2
1:  csrw mepc, t2
    j .Lm_out
.Lm_irq:
    andi t0, t0, 63
    li t2, 1
    sll t2, t2, t0
    csrc mie, t2
.Lm_out:
    ld t0, 0(t6)
    ld t1, 8(t6)
    ld t2, 16(t6)
    csrrw t6, mscratch, t6
    mret

/* ---- S-mode trap handler (used once a test delegates traps) ---- */
    .align 4
    .globl trap_s
trap_s:
    csrrw t6, sscratch, t6
    sd t0, 0(t6)
    sd t1, 8(t6)
    sd t2, 16(t6)
    csrr t0, scause
    addi t1, t0, -8
    li t2, 4
    bgeu t1, t2, .Ls_record
    li t1, MAGIC_PASS
    beq a7, t1, .Ls_forward
    li t1, MAGIC_FAIL
    bne a7, t1, .Ls_record
.Ls_forward:
    ecall                             /* ECALL from S reaches M: pass_m / fail_m */
.Ls_record:
    la t1, strap_rec
    sd t0, TR_CAUSE(t1)
    csrr t2, stval
    sd t2, TR_TVAL(t1)
    csrr t2, sepc
    sd t2, TR_EPC(t1)
    csrr t2, sstatus
    sd t2, TR_STATUS(t1)
    ld t2, TR_COUNT(t1)
    addi t2, t2, 1
    sd t2, TR_COUNT(t1)
    bltz t0, .Ls_irq
    ld t2, TR_RESUME(t1)
    beqz t2, .Ls_skip
    sd zero, TR_RESUME(t1)
    csrw sepc, t2
    li t2, MSTATUS_SPP
    csrs sstatus, t2
    j .Ls_out
.Ls_skip:
    csrr t1, sstatus
    li t2, MSTATUS_SUM
    csrs sstatus, t2                  /* the faulting code may sit on a U page */
    csrr t2, sepc
    lhu t0, 0(t2)
    csrw sstatus, t1
    andi t0, t0, 3
    addi t2, t2, 2
    li t1, 3
    bne t0, t1, 1f
    addi t2, t2, 2
1:  csrw sepc, t2
    j .Ls_out
.Ls_irq:
    andi t0, t0, 63
    li t2, 1
    sll t2, t2, t0
    csrc sie, t2
.Ls_out:
    ld t0, 0(t6)
    ld t1, 8(t6)
    ld t2, 16(t6)
    csrrw t6, sscratch, t6
    sret

/* ---- exits (M-mode, reached from trap_m) ---- */
pass_m:
    la a0, msg_pass
    jal ra, puts
    la a0, test_name
    jal ra, puts
    la a0, msg_nl
    jal ra, puts
    li t0, FINISHER
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b

fail_m:
    la a0, msg_fail
    jal ra, puts
    la a0, test_name
    jal ra, puts
    la a0, msg_case
    jal ra, puts
    mv a0, gp
    jal ra, putdec
    la a0, msg_nl
    jal ra, puts
    li t0, FINISHER
    slli t1, gp, 16
    li t2, 0x3333
    or t1, t1, t2
    sw t1, 0(t0)
1:  j 1b

/* puts(a0): writes a NUL-terminated string to the UART. Clobbers t0, t1. */
puts:
    li t0, UART_THR
1:  lbu t1, 0(a0)
    beqz t1, 2f
    sb t1, 0(t0)
    addi a0, a0, 1
    j 1b
2:  ret

/* putdec(a0): writes a0 (unsigned) in decimal. Clobbers t0-t3, a0. */
putdec:
    la t1, decbuf + 24
    sb zero, 0(t1)
    li t2, 10
1:  remu t3, a0, t2
    addi t3, t3, '0'
    addi t1, t1, -1
    sb t3, 0(t1)
    divu a0, a0, t2
    bnez a0, 1b
    mv a0, t1
    li t0, UART_THR
2:  lbu t3, 0(a0)
    beqz t3, 3f
    sb t3, 0(t0)
    addi a0, a0, 1
    j 2b
3:  ret

    .section .rodata
msg_pass: .string "PASS "
msg_fail: .string "FAIL "
msg_case: .string " case "
msg_nl:   .string "\n"

    .section .bss
    .align 3
    .globl trap_rec, strap_rec
trap_rec:      .skip 64
strap_rec:     .skip 64
mscratch_area: .skip 64
sscratch_area: .skip 64
decbuf:        .skip 32
