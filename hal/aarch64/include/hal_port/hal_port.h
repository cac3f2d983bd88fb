/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 port header: the per-thread register file and the kernel's physical window. Core
 * includes this file (through <hal/hal.h>), so it stays freestanding. */
#ifndef HAL_PORT_AARCH64_H
#define HAL_PORT_AARCH64_H

#include <kaal/types.h>
#include <hal/regs.h>
#include <hal_port/machine.h>

/* Saved user state of one thread, in the kernel's internal order (enum user_reg). The entry and
 * exit assembly reach it by the offsets of the generated <asm_offsets_gen.h> (kernel/asm_offsets.c,
 * which also pins the register pairs they move together). */
struct hal_tcb {
    word_t regs[N_USER_REGS];
    /* TTBR0_EL1 for this thread as aarch64_vspace_refresh last computed it from the VTable slot and
     * the ASID tables, valid while vspace_epoch equals aarch64_cpu.vspace_epoch (core reports every
     * change of a VSpace binding: hal_vspace_bindings_changed bumps it). hal_tcb_init zeroes both,
     * and the epoch starts at 1. */
    word_t vspace_ttbr0;
    word_t vspace_epoch;
    word_t pad; /* keeps fpsimd 16-byte aligned */
    /* V0-V31 (128 bits each, low word first), then FPSR, FPCR
     * (docs/abi.md#tls-fpu-and-system-registers). Saved and loaded when
     * the CPU switches between threads that use them (kernel/fpu.S, lazily: trap.c). */
    word_t fpsimd[66] __attribute__((aligned(16)));
};
_Static_assert(sizeof(struct hal_tcb) == 848, "hal_tcb size");

/* The kernel's physical window (docs/abi.md#qemu-virt-addresses): PPTR_BASE + pa <-> pa. Only RAM
 * is mapped there (the port maps every /memory range of the device tree at boot). */
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

/* kernel pointer = physical address + this, for the physical window (any object user code can
 * name; never the kernel image's statically allocated ones). */
#define HAL_WINDOW_OFFSET PPTR_BASE

/* The IPC fastpath's exit (core/kernel/fastpath.c: `return HAL_FASTPATH_EXIT(t);`): resume t,
 * which it made ks.cur_thread, at EL0 straight away (head.S aarch64_resume: its VSpace, FP/SIMD
 * access, registers). It does not return; it is declared as returning so that the compiler makes
 * the call a plain branch and the fastpath needs no stack frame. */
struct tcb;
bool aarch64_fastpath_exit(struct tcb *t);
#define HAL_FASTPATH_EXIT(t) aarch64_fastpath_exit(t)
/* In release builds the vector calls the fastpath without leaving the thread's register save area
 * for the kernel stack (hal/aarch64/kernel/fastpath.S): the fastpath must use no stack at all,
 * which fastpath.c makes a compile error (-Wstack-usage=0). Debug builds' kasserts may call out,
 * so there the vector switches stacks first. */
#include <kaal/gen_config.h>
#ifndef CONFIG_DEBUG_BUILD
#define HAL_FASTPATH_NO_STACK 1
#endif

/* The MCS clock, the EL1 virtual count (hal_timer_now, kernel/timer.c, is this with an isb first,
 * which keeps the read from being done ahead of the instructions before it). The fastpath reads it
 * inline (it may make no call) and without the isb: it reads the count first thing after the
 * exception entry, itself a context synchronization event. */
static inline word_t aarch64_timer_now(void)
{
    word_t now;
    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(now));
    return now;
}
#define HAL_FASTPATH_TIMER_NOW() aarch64_timer_now()

/* Is [pa, pa + bytes) RAM mapped in the physical window? The port records the RAM ranges it
 * maps at boot (kernel/kernel_map.c). Any context. */
bool aarch64_phys_is_ram(paddr_t pa, word_t bytes);
static inline bool hal_phys_is_ram(paddr_t pa, word_t bytes)
{
    return aarch64_phys_is_ram(pa, bytes);
}

/* A thread's saved registers (hal.h). Macros rather than static inline functions, with _Generic
 * for the type check a function would make: so GCC folds the register's offset into every access,
 * where through an inline function's pointer parameter it keeps &t->arch in a register of its own
 * across the fastpath (one more instruction per fastpath_call). */
#define hal_reg_get(t, r) \
    (_Generic((t), struct hal_tcb * : (t), const struct hal_tcb * : (t))->regs[(enum user_reg)(r)])
#define hal_reg_set(t, r, v) \
    ((void)(_Generic((t), struct hal_tcb * : (t))->regs[(enum user_reg)(r)] = (word_t)(v)))

#endif
