/* SPDX-License-Identifier: BSD-2-Clause */
/* Start of the QEMU smoke root task. The kernel enters at _start with x0 = the bootinfo frame and
 * every other register zero, including SP_EL0 (docs/abi.md#root-task-start): set up a stack and call
 * smoke_main(bootinfo, entry SP, entry TPIDR_EL0), which never returns. */
    .section .text.start, "ax"
    .global _start
_start:
    mov     x1, sp
    mrs     x2, tpidr_el0
    adrp    x9, smoke_stack_top
    add     x9, x9, :lo12:smoke_stack_top
    mov     sp, x9
    mov     x29, xzr
    mov     x30, xzr
    bl      smoke_main
1:  b       1b

/* smoke_preserve_loop(iterations, pattern): fill x19-x28 and d8-d15 with values derived from
 * pattern, spin `iterations` times (long enough for timer interrupts to preempt it), then count
 * how many of those 18 registers changed. Returns that count (0 when the kernel kept them). */
    .text
    .global smoke_preserve_loop
smoke_preserve_loop:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    add     x19, x1, #19
    add     x20, x1, #20
    add     x21, x1, #21
    add     x22, x1, #22
    add     x23, x1, #23
    add     x24, x1, #24
    add     x25, x1, #25
    add     x26, x1, #26
    add     x27, x1, #27
    add     x28, x1, #28
    fmov    d8, x19
    fmov    d9, x20
    fmov    d10, x21
    fmov    d11, x22
    fmov    d12, x23
    fmov    d13, x24
    fmov    d14, x25
    fmov    d15, x26
2:  subs    x0, x0, #1
    b.ne    2b
    mov     x0, #0
    .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
    add     x9, x1, #\n
    cmp     x9, x\n
    cinc    x0, x0, ne
    .endr
    fmov    x9, d8
    cmp     x9, x19
    cinc    x0, x0, ne
    fmov    x9, d9
    cmp     x9, x20
    cinc    x0, x0, ne
    fmov    x9, d10
    cmp     x9, x21
    cinc    x0, x0, ne
    fmov    x9, d11
    cmp     x9, x22
    cinc    x0, x0, ne
    fmov    x9, d12
    cmp     x9, x23
    cinc    x0, x0, ne
    fmov    x9, d13
    cmp     x9, x24
    cinc    x0, x0, ne
    fmov    x9, d14
    cmp     x9, x25
    cinc    x0, x0, ne
    fmov    x9, d15
    cmp     x9, x26
    cinc    x0, x0, ne
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret

    .bss
    .balign 16
smoke_stack:
    .space  16384
smoke_stack_top:
