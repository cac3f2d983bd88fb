/* SPDX-License-Identifier: BSD-2-Clause */
/* Save and load a thread's FP/SIMD registers (V0-V31, FPSR, FPCR: the fpsimd[] area of struct
 * hal_tcb). Kernel C code is built -mgeneral-regs-only, so only these routines (and libfdt at boot)
 * touch the FP/SIMD registers. Called with FP/SIMD enabled at EL1 (CPACR_EL1.FPEN != 0b00). */
#include <hal_port/machine.h>

    .text
/* fpsimd_save(word_t *area): area = &hal_tcb->fpsimd[0] (16-byte aligned, 528 bytes). */
    .global fpsimd_save
fpsimd_save:
    stp     q0, q1, [x0, #(0 * 32)]
    stp     q2, q3, [x0, #(1 * 32)]
    stp     q4, q5, [x0, #(2 * 32)]
    stp     q6, q7, [x0, #(3 * 32)]
    stp     q8, q9, [x0, #(4 * 32)]
    stp     q10, q11, [x0, #(5 * 32)]
    stp     q12, q13, [x0, #(6 * 32)]
    stp     q14, q15, [x0, #(7 * 32)]
    stp     q16, q17, [x0, #(8 * 32)]
    stp     q18, q19, [x0, #(9 * 32)]
    stp     q20, q21, [x0, #(10 * 32)]
    stp     q22, q23, [x0, #(11 * 32)]
    stp     q24, q25, [x0, #(12 * 32)]
    stp     q26, q27, [x0, #(13 * 32)]
    stp     q28, q29, [x0, #(14 * 32)]
    stp     q30, q31, [x0, #(15 * 32)]
    mrs     x9, fpsr
    mrs     x10, fpcr
    str     x9, [x0, #512]
    str     x10, [x0, #520]
    ret

/* fpsimd_load(const word_t *area): the inverse of fpsimd_save. */
    .global fpsimd_load
fpsimd_load:
    ldp     q0, q1, [x0, #(0 * 32)]
    ldp     q2, q3, [x0, #(1 * 32)]
    ldp     q4, q5, [x0, #(2 * 32)]
    ldp     q6, q7, [x0, #(3 * 32)]
    ldp     q8, q9, [x0, #(4 * 32)]
    ldp     q10, q11, [x0, #(5 * 32)]
    ldp     q12, q13, [x0, #(6 * 32)]
    ldp     q14, q15, [x0, #(7 * 32)]
    ldp     q16, q17, [x0, #(8 * 32)]
    ldp     q18, q19, [x0, #(9 * 32)]
    ldp     q20, q21, [x0, #(10 * 32)]
    ldp     q22, q23, [x0, #(11 * 32)]
    ldp     q24, q25, [x0, #(12 * 32)]
    ldp     q26, q27, [x0, #(13 * 32)]
    ldp     q28, q29, [x0, #(14 * 32)]
    ldp     q30, q31, [x0, #(15 * 32)]
    ldr     x9, [x0, #512]
    ldr     x10, [x0, #520]
    msr     fpsr, x9
    msr     fpcr, x10
    ret
