# kernelvec.S — trap entry while running in S-mode (stvec in the kernel).
#
# Saves every general register except sp (x2) on the current kernel stack in
# slot 8*n for xn, calls kerneltrap() (trap.c), restores them and returns with
# sret. kerneltrap may switch to another process (preemption); it saves and
# restores sepc/sstatus around that, so this code needs no extra state.

        .section .text
        .globl  kernelvec
        .balign 4
kernelvec:
        addi    sp, sp, -256
        .irp    n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        sd      x\n, (8 * \n)(sp)
        .endr
        call    kerneltrap
        .irp    n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        ld      x\n, (8 * \n)(sp)
        .endr
        addi    sp, sp, 256
        sret
