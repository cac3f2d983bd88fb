/* SPDX-License-Identifier: BSD-2-Clause */
/* crt0 for aarch64 root tasks. The kernel enters _start with x0 = the bootinfo frame's address and
 * every other register zero, SP_EL0 and TPIDR_EL0 included (docs/abi.md#root-task-start). Set up the stack
 * and call kaal_start_root(bootinfo) (start.c: TLS, IPC buffer, kaal_root_main), which does not
 * return. */
    .section .text.start, "ax"
    .global _start
    .type _start, %function
_start:
    adrp    x9, kaal_root_stack_top
    add     x9, x9, :lo12:kaal_root_stack_top
    mov     sp, x9
    mov     x29, xzr
    mov     x30, xzr
    bl      kaal_start_root
1:  wfe
    b       1b
    .size _start, . - _start

    .bss
    .balign 16
    .global kaal_root_stack
kaal_root_stack:
    .space  65536
kaal_root_stack_top:
