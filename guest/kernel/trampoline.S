# trampoline.S — the page that switches between user and kernel address spaces.
#
# This page is mapped at the same virtual address, TRAMPOLINE (MAXVA - 4 KiB),
# in the kernel page table and in every user page table, so the instructions
# keep executing while satp changes under them. It is not user-accessible.
#
# uservec: stvec while in user mode. sscratch holds TRAPFRAME (the user VA of
#   this process's trapframe page). Saves x1..x31 into trapframe.regs[n] (at
#   32 + 8*n), then loads the kernel stack, satp and the address of usertrap()
#   from the trapframe header, switches to the kernel page table and jumps.
# userret(a0 = user satp): the reverse; ends with sret to trapframe.epc, which
#   usertrapret() has placed in sepc.
#
# Trapframe layout (proc.h): 0 kernel_satp, 8 kernel_sp, 16 kernel_trap,
# 24 epc, 32 + 8*n register xn.

        .equ    TRAPFRAME, 0x3FFFFFE000

        .section .trampoline, "ax"
        .globl  trampoline
        .balign 4096
trampoline:
        .globl  uservec
uservec:
        csrrw   a0, sscratch, a0              # a0 = TRAPFRAME, sscratch = user a0
        .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        sd      x\n, (32 + 8 * \n)(a0)
        .endr
        csrr    t0, sscratch
        sd      t0, (32 + 8 * 10)(a0)
        ld      sp, 8(a0)
        ld      t0, 16(a0)
        ld      t1, 0(a0)
        sfence.vma zero, zero
        csrw    satp, t1
        sfence.vma zero, zero
        li      s0, 0                         # backtraces end at the user boundary
        jr      t0

        .globl  userret
userret:
        sfence.vma zero, zero
        csrw    satp, a0
        sfence.vma zero, zero
        li      a0, TRAPFRAME
        csrw    sscratch, a0
        .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        ld      x\n, (32 + 8 * \n)(a0)
        .endr
        ld      a0, (32 + 8 * 10)(a0)
        sret
