/* SPDX-License-Identifier: BSD-2-Clause */
/* KaaL loader entry (QEMU -kernel starts this ELF with the MMU off) and the jump to the kernel. */
#include <hal_port/machine.h>

    .section .text.head, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    mov     x19, x0                 /* QEMU passes 0 here for an ELF image; kept for a firmware that passes a DTB */
    mrs     x9, CurrentEL
    lsr     x9, x9, #2
    cmp     x9, #2
    b.ne    1f
    /* Started at EL2 (virt with virtualization=on): run the kernel at EL1, as seL4's elfloader does. */
    mov     x9, #(1 << 31)          /* HCR_EL2.RW: EL1 is AArch64; nothing else trapped */
    msr     hcr_el2, x9
    mov     x9, #3                  /* CNTHCTL_EL2: EL1 may use the physical counter and timer */
    msr     cnthctl_el2, x9
    msr     cntvoff_el2, xzr
    mov     x9, #0x3c5              /* EL1h, D A I F masked */
    msr     spsr_el2, x9
    adr     x9, 1f
    msr     elr_el2, x9
    eret
1:  ldr     x9, =SCTLR_RES1         /* EL1, MMU and caches off, known state */
    msr     sctlr_el1, x9
    isb
    adrp    x9, loader_stack_top
    add     x9, x9, :lo12:loader_stack_top
    mov     sp, x9
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
2:  cmp     x9, x10
    b.hs    3f
    str     xzr, [x9], #8
    b       2b
3:  mov     x0, x19
    bl      loader_main
4:  wfi
    b       4b
    .ltorg

/* loader_enter_kernel(const word_t args[6], word_t entry, word_t ttbr0, word_t ttbr1, word_t tcr):
 * turn the MMU on with seL4's elfloader state (docs/abi.md#loader-mmu-state) and jump to the kernel's _start with
 * x0..x5 = args. Caches were cleaned by the caller. Runs from the TTBR0 identity map. */
    .text
    .global loader_enter_kernel
loader_enter_kernel:
    ldr     x9, =MAIR_EL1_VALUE
    msr     mair_el1, x9
    msr     tcr_el1, x4
    msr     ttbr0_el1, x2
    msr     ttbr1_el1, x3
    isb
    tlbi    vmalle1
    dsb     sy
    isb
    mrs     x9, sctlr_el1
    ldr     x10, =(SCTLR_M | SCTLR_C | SCTLR_I)
    orr     x9, x9, x10
    msr     sctlr_el1, x9
    isb
    mov     x16, x1
    ldp     x4, x5, [x0, #32]
    ldp     x2, x3, [x0, #16]
    ldp     x0, x1, [x0]
    blr     x16                     /* x30 = return address in the loader, as the elfloader leaves it */
5:  wfi
    b       5b
    .ltorg

    .section .bss.stack, "aw", %nobits
    .balign 16
    .space  16384
    .global loader_stack_top
loader_stack_top:
