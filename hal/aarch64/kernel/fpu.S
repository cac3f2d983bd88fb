/* SPDX-License-Identifier: BSD-2-Clause */
/* Save a thread's FP/SIMD registers (V0-V31, FPSR, FPCR: the fpsimd[] area of struct hal_tcb) from
 * C: trap.c's fpu_release, before the CPU idles. The exit path (head.S) saves and loads inline with
 * the same macros. Kernel C code is built -mgeneral-regs-only, so only these routines (and libfdt at
 * boot) touch the FP/SIMD registers. Called with FP/SIMD enabled at EL1 (CPACR_EL1.FPEN != 0b00). */
#include <hal_port/machine.h>

#include "fpsimd_asm.h"

    .text
/* fpsimd_save(word_t *area): area = &hal_tcb->fpsimd[0] (16-byte aligned, 528 bytes). */
    .global fpsimd_save
fpsimd_save:
    FPSIMD_SAVE x0, x9, x10
    ret
