# Board test start-up: M-mode, hart 0 only. Sets the stack, clears .bss, calls main() and
# turns its return value into a test-finisher store: 0 -> pass (0x5555), n -> fail with code n.
    .section .text.start
    .globl _start
_start:
    csrr  t0, mhartid
    bnez  t0, park
    la    sp, __stack_top
    la    t0, __bss_start
    la    t1, __bss_end
1:  bgeu  t0, t1, 2f
    sd    zero, 0(t0)
    addi  t0, t0, 8
    j     1b
2:  call  main
    call  board_exit
park:
    wfi
    j     park
