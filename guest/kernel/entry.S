# entry.S — the first instructions after reset.
#
# QEMU (and our emulator) jump to _entry in M-mode with a0 = mhartid and
# a1 = the device tree (or 0). tiny-os is single-hart: hart 0 gets the 16 KiB
# boot stack stack0 and calls start() (start.c, still in M-mode); any other
# hart parks in a WFI loop forever. The boot stack is 16 KiB aligned so the
# backtrace code can find its top by rounding up, like the kernel stacks.
# s0 (the frame pointer) starts at 0 so that backtraces end here.

        .section .text.entry
        .globl _entry
_entry:
        csrr    t0, mhartid
        bnez    t0, park
        la      sp, stack0
        li      t1, 16384
        add     sp, sp, t1
        li      s0, 0
        call    start
park:
        wfi
        j       park

        .section .bss.stack
        .balign 16384
        .globl stack0
stack0:
        .space  16384
