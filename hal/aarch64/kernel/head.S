/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from a loader (seL4's handoff, ABI §11) and the EL1 exception vectors. */
#include <hal_port/machine.h>

/* _start(x0 ui_p_start, x1 ui_p_end, x2 pv_offset, x3 v_entry, x4 dtb_paddr, x5 dtb_size).
 * Entered at EL1 with the MMU on and the loader's TTBR1 mapping this image at its link address;
 * the loader's stack, vectors and TTBR0 are not used. */
    .section .text.head, "ax"
    .global _start
_start:
    msr     daifset, #0xf           /* mask D, A, I, F */
    msr     spsel, #1               /* run on SP_EL1 */
    /* Keep the handoff registers in callee-saved registers while .bss is cleared. */
    mov     x19, x0
    mov     x20, x1
    mov     x21, x2
    mov     x22, x3
    mov     x23, x4
    mov     x24, x5
    /* Clear .bss (it holds the stack and page tables); the loader need not have. */
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
1:  cmp     x9, x10
    b.hs    2f
    str     xzr, [x9], #8
    b       1b
2:  adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    adrp    x9, aarch64_vectors
    add     x9, x9, :lo12:aarch64_vectors
    msr     vbar_el1, x9
    /* libfdt (Debian's build) uses SIMD registers: let EL1 use FP/SIMD during boot. */
    mov     x9, #CPACR_FPEN_NONE
    msr     cpacr_el1, x9
    isb
    mov     x0, x19
    mov     x1, x20
    mov     x2, x21
    mov     x3, x22
    mov     x4, x23
    mov     x5, x24
    mov     x29, xzr
    mov     x30, xzr
    bl      aarch64_boot
3:  wfi                             /* aarch64_boot does not return */
    b       3b

/* Exception vectors. Every entry saves a struct trap_frame (x0-x30, ELR, SPSR, ESR, FAR; 36
 * words) on the kernel stack and calls aarch64_trap(frame, vector index). There is no user
 * entry yet, so every exception is reported as fatal by aarch64_trap. */
    .macro vector_entry idx
    .balign 0x80
    sub     sp, sp, #(36 * 8)
    stp     x0, x1, [sp, #(0 * 8)]
    mov     x1, #\idx
    b       trap_common
    .endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global aarch64_vectors
aarch64_vectors:
    vector_entry 0   /* current EL, SP_EL0: sync */
    vector_entry 1   /* irq */
    vector_entry 2   /* fiq */
    vector_entry 3   /* serror */
    vector_entry 4   /* current EL, SP_ELx: sync */
    vector_entry 5
    vector_entry 6
    vector_entry 7
    vector_entry 8   /* lower EL, AArch64: sync (svc, faults) */
    vector_entry 9
    vector_entry 10
    vector_entry 11
    vector_entry 12  /* lower EL, AArch32: not supported */
    vector_entry 13
    vector_entry 14
    vector_entry 15

trap_common:
    /* x0 and the old x1 are saved; x1 holds the vector index. */
    stp     x2, x3, [sp, #(2 * 8)]
    stp     x4, x5, [sp, #(4 * 8)]
    stp     x6, x7, [sp, #(6 * 8)]
    stp     x8, x9, [sp, #(8 * 8)]
    stp     x10, x11, [sp, #(10 * 8)]
    stp     x12, x13, [sp, #(12 * 8)]
    stp     x14, x15, [sp, #(14 * 8)]
    stp     x16, x17, [sp, #(16 * 8)]
    stp     x18, x19, [sp, #(18 * 8)]
    stp     x20, x21, [sp, #(20 * 8)]
    stp     x22, x23, [sp, #(22 * 8)]
    stp     x24, x25, [sp, #(24 * 8)]
    stp     x26, x27, [sp, #(26 * 8)]
    stp     x28, x29, [sp, #(28 * 8)]
    mrs     x9, elr_el1
    stp     x30, x9, [sp, #(30 * 8)]
    mrs     x9, spsr_el1
    mrs     x10, esr_el1
    stp     x9, x10, [sp, #(32 * 8)]
    mrs     x9, far_el1
    str     x9, [sp, #(34 * 8)]
    mov     x0, sp
    bl      aarch64_trap
4:  wfi                             /* aarch64_trap does not return */
    b       4b

/* PSCI call through HVC or SMC (SMC Calling Convention): x0 function id, x1-x3 arguments. */
    .text
    .global psci_call_hvc
psci_call_hvc:
    hvc     #0
    ret
    .global psci_call_smc
psci_call_smc:
    smc     #0
    ret

/* Switch to the kernel's own translation tables. x0 = TTBR0 value, x1 = TTBR1 value,
 * x2 = TCR_EL1 value. The new TTBR1 tables map this code at the same address. */
    .global mmu_switch_tables
mmu_switch_tables:
    dsb     ish                     /* table writes complete before the walker may see them */
    ldr     x9, =MAIR_EL1_VALUE
    msr     mair_el1, x9
    msr     tcr_el1, x2
    msr     ttbr0_el1, x0
    msr     ttbr1_el1, x1
    isb
    tlbi    vmalle1
    dsb     ish
    isb
    ret
    .ltorg

/* The one kernel stack. seL4 uses 4 KiB (CONFIG_KERNEL_STACK_BITS, not ABI); boot runs libfdt and
 * the printf path on it, so KaaL gives it 16 KiB. */
    .section .bss.stack, "aw", %nobits
    .balign 4096
    .global kernel_stack_base
kernel_stack_base:
    .space  16384
    .global kernel_stack_top
kernel_stack_top:
