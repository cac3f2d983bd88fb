/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from a loader (seL4's handoff, docs/abi.md#loader-handoff) and the EL1 exception vectors. */
#include <hal_port/machine.h>
#include <kaal/gen_config.h>

#include "asm_offsets_gen.h" /* generated: asm_offsets.c */
#include "fpsimd_asm.h"

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
    msr     tpidr_el1, x9           /* the EL0 entries switch to the kernel stack from here */
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

/* Exception vectors (VBAR_EL1).
 *
 * Current EL (the kernel itself, always on SP_EL1): every entry saves a struct trap_frame (x0-x30,
 * ELR, SPSR, ESR, FAR; 36 words) on the kernel stack and calls aarch64_trap(frame, vector index).
 * The only exception the kernel expects there is an IRQ taken in the idle loop; anything else is a
 * kernel bug and panics with the decoded registers.
 *
 * Lower EL, AArch64 (user threads): while a thread runs at EL0, SP_EL1 points at its struct
 * hal_tcb (aarch64_resume leaves it there), so the entry saves the user register file straight
 * into the TCB: x0-x30, SP_EL0, ELR_EL1 (NextIP), SPSR_EL1, TPIDR_EL0. TPIDRRO_EL0 is not saved:
 * EL0 cannot write it. A synchronous entry also stores FaultIP = ELR - 4, the svc itself (docs/abi.md#registers);
 * the C entry corrects it for the other exceptions, whose FaultIP is ELR. An svc goes to
 * el0_svc (with -Dfastpath, Call and ReplyRecv first try the fastpath: fastpath.S); every other
 * entry moves to the one kernel stack (its top is kept in TPIDR_EL1) and calls
 * aarch64_el0_entry(kind, tcb). Neither returns (the exit path ends in eret or the idle loop).
 * Lower EL AArch32 cannot happen (SPSR is always sanitised to AArch64 EL0t) and panics. */
    .macro vector_entry idx
    .balign 0x80
    sub     sp, sp, #TRAP_FRAME_SIZE
    stp     x0, x1, [sp, #(0 * 8)]
    mov     x1, #\idx
    b       trap_common
    .endm

    /* x2-x29 to [sp + 16, sp + 240): the register part both save areas share (struct hal_tcb's
     * regs[] and struct trap_frame's x[] start the same way). */
    .macro save_x2_to_x29
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
    .endm

    /* x0-x30, SP_EL0, ELR, SPSR into the struct hal_tcb at SP_EL1 (20 instructions); leaves
     * x10 = ELR, x12 = TPIDR_EL0 for the caller to store. */
    .macro el0_save
    stp     x0, x1, [sp, #(0 * 8)]
    save_x2_to_x29
    mrs     x9, sp_el0
    stp     x30, x9, [sp, #(30 * 8)]
    mrs     x10, elr_el1
    mrs     x11, spsr_el1
    stp     x10, x11, [sp, #HAL_TCB_NEXT_IP]
    mrs     x12, tpidr_el0
    .endm

    .macro el0_sync_vector
    .balign 0x80
    el0_save
    sub     x13, x10, #4
    stp     x13, x12, [sp, #HAL_TCB_FAULT_IP] /* FaultIP (the svc), TPIDR_EL0 */
    mrs     x9, esr_el1
    lsr     x9, x9, #ESR_EC_SHIFT
    cmp     x9, #EC_SVC64
    b.ne    el0_sync_other
#ifdef CONFIG_FASTPATH
    cmn     x7, #1                  /* seL4_SysCall */
    b.eq    el0_fastpath_call       /* fastpath.S */
    cmn     x7, #2                  /* seL4_SysReplyRecv */
    b.eq    el0_fastpath_reply_recv
#endif
    b       el0_svc
    .endm

    .macro el0_async_vector kind
    .balign 0x80
    el0_save
#ifdef CONFIG_KERNEL_MCS
    /* FaultIP := the interrupted instruction (beside TPIDR_EL0): an interrupt can end the thread's
     * budget with a timeout fault, whose restarting reply resumes it at FaultIP. */
    stp     x10, x12, [sp, #HAL_TCB_FAULT_IP]
#else
    str     x12, [sp, #HAL_TCB_TPIDR]
#endif
    mov     x0, #\kind
    b       el0_to_kernel
    .endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global aarch64_vectors
aarch64_vectors:
    vector_entry 0   /* current EL, SP_EL0: sync (never: the kernel runs on SP_EL1) */
    vector_entry 1   /* irq */
    vector_entry 2   /* fiq */
    vector_entry 3   /* serror */
    vector_entry 4   /* current EL, SP_ELx: sync (kernel bug) */
    vector_entry 5   /* irq: expected only in the idle loop */
    vector_entry 6   /* fiq */
    vector_entry 7   /* serror */
    el0_sync_vector            /* lower EL, AArch64: svc, aborts, other synchronous exceptions */
    el0_async_vector EL0_IRQ
    el0_async_vector EL0_FIQ
    el0_async_vector EL0_SERROR
    vector_entry 12  /* lower EL, AArch32: not supported */
    vector_entry 13
    vector_entry 14
    vector_entry 15

    /* Call the C entry fn (which does not return) on the one kernel stack, whose top TPIDR_EL1
     * holds, at the end of the frame-pointer chain. */
    .macro call_on_kernel_stack fn
    mrs     x9, tpidr_el1
    mov     sp, x9
    mov     x29, xzr
    mov     x30, xzr
    bl      \fn
1:  wfi
    b       1b
    .endm

    /* A system call: aarch64_svc_entry() (it finds the thread's registers through
     * ks.cur_thread). Also fastpath.S's way out when the fastpath declines. */
    .global el0_svc
el0_svc:
    call_on_kernel_stack aarch64_svc_entry

el0_sync_other:
    mov     x0, #EL0_SYNC
el0_to_kernel:
    mov     x1, sp                  /* the thread's struct hal_tcb */
    call_on_kernel_stack aarch64_el0_entry

trap_common:
    /* x0 and the old x1 are saved; x1 holds the vector index. */
    save_x2_to_x29
    mrs     x9, elr_el1
    stp     x30, x9, [sp, #TRAP_FRAME_X30]  /* x30, ELR */
    mrs     x9, spsr_el1
    mrs     x10, esr_el1
    stp     x9, x10, [sp, #TRAP_FRAME_SPSR] /* SPSR, ESR */
    mrs     x9, far_el1
    str     x9, [sp, #TRAP_FRAME_FAR]
    mov     x0, sp
    bl      aarch64_trap
4:  wfi                             /* aarch64_trap does not return */
    b       4b

/* aarch64_resume(struct tcb *t): switch the CPU to t and eret to EL0 (internal.h). In order:
 *  - TTBR0_EL1 = the value t's struct hal_tcb caches, valid while its epoch is the CPU's (no VSpace
 *    binding changed since); when stale, aarch64_vspace_refresh (trap.c) computes it again by
 *    seL4's setVMRoot rule (tcb_vspace, <kaal/vspace.h>) and we start over;
 *  - CPACR_EL1 traps EL0 FP/SIMD for a thread with seL4_TCBFlag_fpuDisabled; any other thread
 *    must own the FP/SIMD registers (aarch64_cpu.fp_loaded): if it does not, the owner's state is
 *    saved and t's loaded right here (FPSIMD_SAVE/LOAD, fpsimd_asm.h), and EL0 stops trapping;
 *  - t's registers, with SP_EL1 left at its struct hal_tcb for the next entry.
 * No ISB after the TTBR0_EL1 and CPACR_EL1 writes: the kernel does not depend on them, and the
 * eret is a context synchronization event, so the thread runs with both. The saved SPSR is
 * restored as it is: the entry saved what EL0 had (its own NZCV, DIT, SSBS, BTYPE, ...), and every
 * other write of it (hal_tcb_init, WriteRegisters, fault replies) goes through
 * user_spsr_sanitise (<hal/regs.h>). Interrupts stay masked until the eret. */
    .text
    .global aarch64_resume
    .global aarch64_fastpath_exit  /* the same: hal_port.h says why it has two names */
aarch64_resume:
aarch64_fastpath_exit:
    adrp    x9, aarch64_cpu
    ldp     x1, x2, [x0, #(TCB_ARCH + HAL_TCB_VSPACE_TTBR0)] /* the cached TTBR0 value, its epoch */
    ldr     x3, [x9, :lo12:aarch64_cpu + CPU_VSPACE_EPOCH]
    cmp     x2, x3
    b.ne    6f                      /* stale: compute it (C) */
1:  msr     ttbr0_el1, x1
    ldr     x2, [x0, #TCB_FLAGS]
    ldr     x4, [x9, :lo12:aarch64_cpu + CPU_CPACR]
    tbz     x2, #TCB_FLAG_FPU_DISABLED_BIT, 2f
    cmp     x4, #(CPACR_FPEN_EL0 >> 12), lsl #12
    b.eq    5f
    mov     x3, #CPACR_FPEN_EL0     /* trap EL0 FP/SIMD */
    b       8f
2:  ldr     x5, [x9, :lo12:aarch64_cpu + CPU_FP_LOADED]
    cmp     x5, x0
    b.ne    4f                      /* another thread's FP/SIMD state is loaded */
3:  cmp     x4, #(CPACR_FPEN_NONE >> 12), lsl #12
    b.eq    5f
    mov     x3, #CPACR_FPEN_NONE
8:  msr     cpacr_el1, x3
    str     x3, [x9, :lo12:aarch64_cpu + CPU_CPACR]
5:  add     sp, x0, #TCB_ARCH
    ldp     x30, x9, [sp, #(30 * 8)]        /* x30, SP_EL0 */
    ldp     x10, x11, [sp, #HAL_TCB_NEXT_IP] /* NextIP, SPSR */
    ldp     x12, x13, [sp, #HAL_TCB_TPIDR]  /* TPIDR_EL0, TPIDRRO_EL0 */
    msr     sp_el0, x9
    msr     elr_el1, x10
    msr     spsr_el1, x11
    msr     tpidr_el0, x12
    msr     tpidrro_el0, x13
    ldp     x0, x1, [sp, #(0 * 8)]
    ldp     x2, x3, [sp, #(2 * 8)]
    ldp     x4, x5, [sp, #(4 * 8)]
    ldp     x6, x7, [sp, #(6 * 8)]
    ldp     x8, x9, [sp, #(8 * 8)]
    ldp     x10, x11, [sp, #(10 * 8)]
    ldp     x12, x13, [sp, #(12 * 8)]
    ldp     x14, x15, [sp, #(14 * 8)]
    ldp     x16, x17, [sp, #(16 * 8)]
    ldp     x18, x19, [sp, #(18 * 8)]
    ldp     x20, x21, [sp, #(20 * 8)]
    ldp     x22, x23, [sp, #(22 * 8)]
    ldp     x24, x25, [sp, #(24 * 8)]
    ldp     x26, x27, [sp, #(26 * 8)]
    ldp     x28, x29, [sp, #(28 * 8)]
    eret
    dsb     nsh                     /* no speculation past the eret */
    isb
4:  cbz     x5, 7f                  /* t becomes the owner: save the old owner's state, if any, */
    add     x6, x5, #(TCB_ARCH + HAL_TCB_FPSIMD)
    FPSIMD_SAVE x6, x7, x8          /* (EL1 never traps here: CPACR_EL1.FPEN is 0b11 or 0b01) */
7:  add     x6, x0, #(TCB_ARCH + HAL_TCB_FPSIMD)
    FPSIMD_LOAD x6, x7, x8          /* and load t's */
    str     x0, [x9, :lo12:aarch64_cpu + CPU_FP_LOADED]
#ifdef CONFIG_DEBUG_BUILD
    ldr     x6, [x9, :lo12:aarch64_cpu + CPU_FP_LOADS] /* counted for the power-off summary */
    add     x6, x6, #1
    str     x6, [x9, :lo12:aarch64_cpu + CPU_FP_LOADS]
#endif
    b       3b                      /* then EL0 must not trap */
6:  mov     x19, x0                 /* compute t's TTBR0 value (C: seL4's rule, trap.c), */
    mrs     x9, tpidr_el1           /* then start over, on the kernel stack: a release build's */
    mov     sp, x9                  /* fastpath runs with SP_EL1 still at the old thread's registers */
    bl      aarch64_vspace_refresh
    mov     x0, x19
    b       aarch64_resume

/* aarch64_idle(): the idle thread. Runs at EL1 on a fresh kernel stack with IRQs unmasked and
 * waits; an interrupt arrives through vector 5 (current EL, SP_ELx), which aarch64_trap recognises
 * by its ELR inside [aarch64_idle, aarch64_idle_end). Does not return. */
    .global aarch64_idle
    .global aarch64_idle_end
aarch64_idle:
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    msr     daifclr, #2             /* unmask IRQ */
6:  wfi
    b       6b
aarch64_idle_end:

/* PSCI call through HVC or SMC (SMC Calling Convention): x0 function id, x1-x3 arguments. */
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
