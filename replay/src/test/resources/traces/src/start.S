# start.S — entry of panicker.elf: set up a stack and call main.
    .section .text.start
    .globl _start
_start:
    la sp, stack_top
    li s0, 0
    call main
1:  wfi
    j 1b
    .bss
    .balign 16
    .space 16384
stack_top:
