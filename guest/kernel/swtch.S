# swtch.S — context switch between two kernel threads of control.
#
# swtch(old, new): saves the callee-saved registers (ra, sp, s0..s11) into
# *old and loads them from *new. Returning then "returns" into whatever called
# swtch in the new context (sched() or scheduler(), or forkret for a fresh
# process). Caller-saved registers need no saving: the C caller already
# assumes swtch clobbers them. Layout matches struct context in proc.h.

        .section .text
        .globl  swtch
swtch:
        sd      ra, 0(a0)
        sd      sp, 8(a0)
        .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        sd      s\n, (16 + 8 * \n)(a0)
        .endr
        ld      ra, 0(a1)
        ld      sp, 8(a1)
        .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        ld      s\n, (16 + 8 * \n)(a1)
        .endr
        ret
