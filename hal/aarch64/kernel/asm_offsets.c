/* SPDX-License-Identifier: BSD-2-Clause */
/* Every structure offset and constant the port's assembly (head.S) uses, taken from the C
 * definitions by the compiler: the build compiles this file (never linked) and
 * tools/asm_offsets.py turns each ASM_CONST into a #define of the generated <asm_offsets_gen.h>
 * (hal/aarch64/meson.build). So the numbers are the C layout's by construction; the
 * _Static_asserts pin what the assembly assumes besides them (registers it saves and loads in
 * pairs). */
#include <kaal/kernel.h>
#include <kaal/structures.h>

#include "internal.h"

/* An absolute symbol NAME = value in this file's object, which the generator reads back. */
#define ASM_CONST(name, value) \
    __asm__ volatile(".globl " #name "\n\t.set " #name ", %c0" ::"i"(value))

/* The register save area (struct hal_tcb) starts with regs[], in register order (x0..x30 at 8 *
 * their number); the entry and exit move these pairs with one stp/ldp each. */
_Static_assert(offsetof(struct hal_tcb, regs) == 0 && REG_X0 == 0 && REG_X30 == 30,
               "regs[] in register order");
_Static_assert(REG_SP == REG_X30 + 1 && REG_SPSR == REG_NEXT_IP + 1 &&
                   REG_TPIDR == REG_FAULT_IP + 1 && REG_TPIDRRO == REG_TPIDR + 1,
               "x30/SP_EL0, NextIP/SPSR, FaultIP/TPIDR_EL0 and TPIDR_EL0/TPIDRRO_EL0 are pairs");
_Static_assert(offsetof(struct hal_tcb, vspace_epoch) == offsetof(struct hal_tcb, vspace_ttbr0) + 8,
               "the cached TTBR0 value and its epoch are a pair");
/* struct trap_frame: x0..x30 in register order, then ELR, SPSR, ESR, FAR (pairs x30/ELR, SPSR/ESR).
 */
_Static_assert(offsetof(struct trap_frame, x) == 0 && offsetof(struct trap_frame, elr) == 31 * 8 &&
                   offsetof(struct trap_frame, esr) == offsetof(struct trap_frame, spsr) + 8,
               "trap_frame pairs");
_Static_assert(seL4_TCBFlag_fpuDisabled == BIT(__builtin_ctzl(seL4_TCBFlag_fpuDisabled)),
               "one flag bit");

void asm_offsets(void);
void asm_offsets(void)
{
    /* struct tcb (core/include/kaal/structures.h) */
    ASM_CONST(TCB_ARCH, offsetof(struct tcb, arch));
    ASM_CONST(TCB_FLAGS, offsetof(struct tcb, flags));
    ASM_CONST(TCB_FLAG_FPU_DISABLED_BIT, __builtin_ctzl(seL4_TCBFlag_fpuDisabled));

    /* struct hal_tcb (hal_port.h): the saved registers */
    ASM_CONST(HAL_TCB_NEXT_IP, offsetof(struct hal_tcb, regs[REG_NEXT_IP]));
    ASM_CONST(HAL_TCB_FAULT_IP, offsetof(struct hal_tcb, regs[REG_FAULT_IP]));
    ASM_CONST(HAL_TCB_TPIDR, offsetof(struct hal_tcb, regs[REG_TPIDR]));
    ASM_CONST(HAL_TCB_VSPACE_TTBR0, offsetof(struct hal_tcb, vspace_ttbr0));
    ASM_CONST(HAL_TCB_FPSIMD, offsetof(struct hal_tcb, fpsimd));

    /* struct aarch64_cpu (internal.h) */
    ASM_CONST(CPU_FP_LOADED, offsetof(struct aarch64_cpu, fp_loaded));
    ASM_CONST(CPU_CPACR, offsetof(struct aarch64_cpu, cpacr));
    ASM_CONST(CPU_FP_LOADS, offsetof(struct aarch64_cpu, fp_loads));
    ASM_CONST(CPU_VSPACE_EPOCH, offsetof(struct aarch64_cpu, vspace_epoch));

    /* struct trap_frame (internal.h) */
    ASM_CONST(TRAP_FRAME_SIZE, sizeof(struct trap_frame));
    ASM_CONST(TRAP_FRAME_X30, offsetof(struct trap_frame, x[30]));
    ASM_CONST(TRAP_FRAME_SPSR, offsetof(struct trap_frame, spsr));
    ASM_CONST(TRAP_FRAME_FAR, offsetof(struct trap_frame, far));
}
