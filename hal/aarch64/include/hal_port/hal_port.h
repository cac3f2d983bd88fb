/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 port header: the per-thread register file and the kernel's physical window. Core
 * includes this file (through <hal/hal.h>), so it stays freestanding. */
#ifndef HAL_PORT_AARCH64_H
#define HAL_PORT_AARCH64_H

#include <kaal/types.h>
#include <hal/regs.h>
#include <hal_port/machine.h>

/* Saved user state of one thread, in the kernel's internal order (enum user_reg). The entry
 * assembly saves into regs[] by offset, so the layout is pinned below. */
struct hal_tcb {
    word_t regs[N_USER_REGS];
    word_t pad; /* keeps fpsimd 16-byte aligned */
    /* V0-V31 (128 bits each, low word first), then FPSR, FPCR (ABI §13.2). Saved and loaded when
     * the CPU switches between threads (kernel/fpu.S); the layout matches hostsim so object sizes
     * agree. */
    word_t fpsimd[66] __attribute__((aligned(16)));
};
_Static_assert(__builtin_offsetof(struct hal_tcb, fpsimd) == 304, "hal_tcb layout");
_Static_assert(sizeof(struct hal_tcb) == 832, "hal_tcb is the same size on both ports");
_Static_assert(HAL_TCB_SP == REG_SP * 8 && HAL_TCB_NEXT_IP == REG_NEXT_IP * 8 && HAL_TCB_SPSR == REG_SPSR * 8 &&
                   HAL_TCB_TPIDR == REG_TPIDR * 8 && REG_TPIDRRO == REG_TPIDR + 1 && HAL_TCB_FPSIMD == 304,
               "the entry assembly's offsets (machine.h) match struct hal_tcb");

/* The kernel's physical window (ABI §11.3): PPTR_BASE + pa <-> pa. Only RAM is mapped there
 * (the port maps every /memory range of the device tree at boot). */
static inline void *hal_ptov(paddr_t pa) { return (void *)(PPTR_BASE + pa); }

/* Inverse of hal_ptov. Also accepts pointers into the kernel image (statically allocated
 * objects), which is linked at KERNEL_ELF_BASE and loaded at KERNEL_PHYS_BASE. */
static inline paddr_t hal_vtop(const void *p)
{
    word_t v = (word_t)p;
    if (v >= KERNEL_ELF_BASE) {
        return v - KERNEL_ELF_BASE + KERNEL_PHYS_BASE;
    }
    return v - PPTR_BASE;
}

/* Is [pa, pa + bytes) RAM mapped in the physical window? The port records the RAM ranges it
 * maps at boot (kernel/mmu.c). Any context. */
bool aarch64_phys_is_ram(paddr_t pa, word_t bytes);
static inline bool hal_phys_is_ram(paddr_t pa, word_t bytes) { return aarch64_phys_is_ram(pa, bytes); }

static inline word_t hal_reg_get(const struct hal_tcb *t, enum user_reg r) { return t->regs[r]; }
static inline void hal_reg_set(struct hal_tcb *t, enum user_reg r, word_t v) { t->regs[r] = v; }

#endif
