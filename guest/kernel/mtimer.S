# mtimer.S — the only M-mode code that runs after boot: the machine timer.
#
# With -bios none there is no SBI firmware, so the kernel keeps a tiny M-mode
# trap vector. The CLINT raises MTIP when mtime >= mtimecmp; this handler
# programs the next deadline and raises the *supervisor software* interrupt
# (mip.SSIP), which is delegated to S-mode. S-mode treats SSIP as "a tick
# happened" and clears it itself (S-mode cannot clear STIP, hence SSIP).
#
# mscratch points at a per-hart scratch block (start.c, struct mscratch):
#   0: a1 save   8: a2 save   16: a3 save
#  24: address of this hart's mtimecmp   32: tick interval (mtime units)
#  40: address of mtime
# Any other M-mode trap is a kernel bug: stop through the test finisher with
# exit code 0xEE ("M-mode trap").

        .section .text
        .globl  mtrapvec
        .balign 4
mtrapvec:
        csrrw   a0, mscratch, a0
        sd      a1, 0(a0)
        sd      a2, 8(a0)
        sd      a3, 16(a0)
        csrr    a1, mcause
        li      a2, 0x8000000000000007   # machine timer interrupt
        bne     a1, a2, mfatal
        ld      a1, 24(a0)               # a1 = &mtimecmp
        ld      a3, 0(a1)
        ld      a2, 32(a0)
        add     a3, a3, a2               # next = mtimecmp + interval
        ld      a2, 40(a0)
        ld      a2, 0(a2)                # a2 = mtime
        bltu    a2, a3, 1f               # fell behind? restart from now
        ld      a3, 32(a0)
        add     a3, a3, a2
1:      sd      a3, 0(a1)
        li      a1, 2
        csrs    mip, a1                  # raise SSIP for S-mode
        ld      a3, 16(a0)
        ld      a2, 8(a0)
        ld      a1, 0(a0)
        csrrw   a0, mscratch, a0
        mret
mfatal:
        li      a1, 0x100000
        li      a2, 0x00EE3333
        sw      a2, 0(a1)
2:      wfi
        j       2b
