/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler macros (for .S files only) that save and load a thread's FP/SIMD registers: V0-V31,
 * then FPSR and FPCR, in the fpsimd[] area of struct hal_tcb (hal_port.h: 66 words, 16-byte
 * aligned). Four Q registers go in one ST1/LD1 (multiple structures, post-indexed), so a save or
 * a load is 11 instructions: 8 for the vector registers, 3 for FPSR/FPCR. The memory layout is
 * the one STP/LDP of Q registers makes (V0 at offset 0, each register little-endian, FPSR at 512,
 * FPCR at 520). EL1 must not trap FP/SIMD (CPACR_EL1.FPEN != 0b00; 0b01 traps EL0 only). */
#ifndef KAAL_AARCH64_FPSIMD_ASM_H
#define KAAL_AARCH64_FPSIMD_ASM_H

/* Assembler, not C: clang-format leaves it alone. */
/* clang-format off */

/* Save into the area at \area (clobbered: it ends at the FPSR word), \t1, \t2. */
.macro FPSIMD_SAVE area, t1, t2
    st1     {v0.16b, v1.16b, v2.16b, v3.16b}, [\area], #64
    st1     {v4.16b, v5.16b, v6.16b, v7.16b}, [\area], #64
    st1     {v8.16b, v9.16b, v10.16b, v11.16b}, [\area], #64
    st1     {v12.16b, v13.16b, v14.16b, v15.16b}, [\area], #64
    st1     {v16.16b, v17.16b, v18.16b, v19.16b}, [\area], #64
    st1     {v20.16b, v21.16b, v22.16b, v23.16b}, [\area], #64
    st1     {v24.16b, v25.16b, v26.16b, v27.16b}, [\area], #64
    st1     {v28.16b, v29.16b, v30.16b, v31.16b}, [\area], #64
    mrs     \t1, fpsr
    mrs     \t2, fpcr
    stp     \t1, \t2, [\area]
.endm

/* Load from the area at \area (clobbered as above), \t1, \t2: the inverse of FPSIMD_SAVE. */
.macro FPSIMD_LOAD area, t1, t2
    ld1     {v0.16b, v1.16b, v2.16b, v3.16b}, [\area], #64
    ld1     {v4.16b, v5.16b, v6.16b, v7.16b}, [\area], #64
    ld1     {v8.16b, v9.16b, v10.16b, v11.16b}, [\area], #64
    ld1     {v12.16b, v13.16b, v14.16b, v15.16b}, [\area], #64
    ld1     {v16.16b, v17.16b, v18.16b, v19.16b}, [\area], #64
    ld1     {v20.16b, v21.16b, v22.16b, v23.16b}, [\area], #64
    ld1     {v24.16b, v25.16b, v26.16b, v27.16b}, [\area], #64
    ld1     {v28.16b, v29.16b, v30.16b, v31.16b}, [\area], #64
    ldp     \t1, \t2, [\area]
    msr     fpsr, \t1
    msr     fpcr, \t2
.endm

/* clang-format on */
#endif
