/* SPDX-License-Identifier: BSD-2-Clause */
/* Structure offsets and constants the exit assembly (head.S: aarch64_resume) uses. trap.c checks
 * every one against the C definitions with _Static_assert. */
#ifndef AARCH64_ASM_OFFSETS_H
#define AARCH64_ASM_OFFSETS_H

/* struct tcb (core/include/kaal/structures.h) */
#define TCB_VTABLE_CAP 32   /* ctes[TCB_VTABLE].cap: two words */
#define TCB_ARCH 160        /* struct hal_tcb arch */
#define TCB_FLAGS 1056      /* seL4_TCBFlag_* */
#define TCB_FLAG_FPU_DISABLED_BIT 0

/* struct kernel_state (core/include/kaal/kernel.h) */
#define KS_ASID_TABLE 40    /* paddr_t asid_table[128]: the pool of each high ASID */
#define ASID_LOW_BITS 9     /* seL4_ASIDPoolIndexBits */

/* cap tags and the physical window */
#define CAP_TAG_VSPACE 9
#define ASM_PPTR_BASE 0xffffff8000000000

/* struct aarch64_cpu (internal.h) */
#define CPU_FP_LOADED 0
#define CPU_CPACR 8
#define CPU_VSPACE_EPOCH 16
#define CPU_EMPTY_TTBR0 24

#endif
