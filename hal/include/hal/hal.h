/* SPDX-License-Identifier: BSD-2-Clause */
/* The HAL contract: every service a port provides to core. Each function states who calls it, in
 * what state, and whether it can fail. The port's own header (included last) defines
 * struct hal_tcb and may define hot functions static inline. */
#ifndef HAL_HAL_H
#define HAL_HAL_H

#include <kaal/types.h>
#include <hal/regs.h>

/* --- Provided by the port header <hal_port/hal_port.h> (static inline, or macros of these types)
 * --- struct hal_tcb                      saved registers (word_t regs[N_USER_REGS]) and FP state
 *   void *hal_ptov(paddr_t pa)          kernel pointer for a RAM physical address (pa must be RAM)
 *   paddr_t hal_vtop(const void *p)     inverse of hal_ptov
 *   bool hal_phys_is_ram(paddr_t pa, word_t bytes)  is [pa, pa + bytes) RAM? (any context; lets
 *                                       debug code test a pointer before hal_ptov)
 *   word_t hal_reg_get(const struct hal_tcb *t, enum user_reg r)
 *   void hal_reg_set(struct hal_tcb *t, enum user_reg r, word_t v)
 *   HAL_WINDOW_OFFSET                   kernel pointer = physical address + this, for every object
 *                                       user code can name (the IPC fastpath's one-add conversions)
 *   bool HAL_FASTPATH_EXIT(struct tcb *t)  the IPC fastpath's last step (core/kernel/fastpath.c:
 *                                       `return HAL_FASTPATH_EXIT(t);` after making t current):
 *                                       aarch64 resumes t at EL0 and does not return; hostsim
 *                                       returns true and its run loop resumes t
 *   HAL_FASTPATH_NO_STACK               defined (as 1) when the port runs the fastpath with no
 *                                       stack: fastpath.c then makes any stack use a build error
 *   word_t HAL_FASTPATH_TIMER_NOW()     MCS: hal_timer_now() (below) in a form the fastpath can
 *                                       use with no stack (aarch64: inline; hostsim: the call);
 *                                       read only right after an exception entry (the fastpath,
 *                                       the system call, fault and interrupt entries' charge)
 *   HAL_MAX_IRQ, HAL_TIMER_IRQ          the platform's interrupt numbers (the port's platform
 *                                       header): lines 0..HAL_MAX_IRQ, the kernel timer's line
 * The checks below the include make a port header that lacks one a build error.
 */
#include <hal_port/hal_port.h>

_Static_assert(__builtin_types_compatible_p(__typeof__(hal_ptov((paddr_t)0)), void *), "hal_ptov");
_Static_assert(__builtin_types_compatible_p(__typeof__(hal_vtop((const void *)0)), paddr_t),
               "hal_vtop");
_Static_assert(__builtin_types_compatible_p(__typeof__(hal_phys_is_ram((paddr_t)0, 0)), bool),
               "hal_phys_is_ram");
_Static_assert(__builtin_types_compatible_p(
                   __typeof__(hal_reg_get((const struct hal_tcb *)0, REG_X0)), word_t),
               "hal_reg_get");
_Static_assert(__builtin_types_compatible_p(__typeof__(hal_reg_set((struct hal_tcb *)0, REG_X0, 0)),
                                            void),
               "hal_reg_set");
_Static_assert(__builtin_types_compatible_p(__typeof__(HAL_WINDOW_OFFSET), word_t),
               "HAL_WINDOW_OFFSET");
#if !defined(HAL_FASTPATH_EXIT) || !defined(HAL_MAX_IRQ) || !defined(HAL_TIMER_IRQ)
#error "the port header must define HAL_FASTPATH_EXIT, HAL_MAX_IRQ and HAL_TIMER_IRQ"
#endif
#if defined(HAL_FASTPATH_NO_STACK) && HAL_FASTPATH_NO_STACK != 1
#error "HAL_FASTPATH_NO_STACK is 1 or undefined"
#endif
#if !defined(HAL_FASTPATH_TIMER_NOW)
#error "the port header must define HAL_FASTPATH_TIMER_NOW"
#endif

/* Write one character to the kernel console. Any kernel context; cannot fail. */
void hal_console_putc(char c);

/* Stop the machine for good (DebugHalt, kernel panic). Kernel context; does not return. On
 * hostsim this ends the simulated machine and returns control to the simulator. */
void hal_halt(void) __attribute__((noreturn));

/* Called from kernel_panic/kassert after the message is printed: dump what the port knows
 * (registers of the current thread, ...). Kernel context; must not fail. */
void hal_panic_dump(void);

/* Is an interrupt pending? Called by preemption points in long operations (kernel context,
 * interrupts masked). Cheap; cannot fail. hostsim can be told to answer true periodically so the
 * restart paths of preemptible operations are exercised deterministically. */
bool hal_irq_pending(void);

/* The highest-priority pending interrupt, or HAL_IRQ_NONE. Kernel context. */
#define HAL_IRQ_NONE (~0ul)
word_t hal_irq_get_active(void);
/* Acknowledge an interrupt taken with hal_irq_get_active (end of interrupt). Kernel context. */
void hal_irq_ack(word_t irq);

/* Mask / unmask one interrupt line (irq <= HAL_MAX_IRQ). A masked line can become pending but is
 * not reported by hal_irq_get_active / hal_irq_pending. Kernel context; cannot fail. */
void hal_irq_mask(word_t irq);
void hal_irq_unmask(word_t irq);
/* Configure a line as edge (true) or level (false) triggered (IRQControl_GetTrigger). Kernel
 * context; cannot fail. */
void hal_irq_set_trigger(word_t irq, bool edge);
/* Send software-generated interrupt sgi (0..15) to CPU interface target (0..7). Kernel context;
 * cannot fail (a target without a CPU drops it). */
void hal_irq_issue_sgi(word_t sgi, word_t target);

/* The MCS kernel's one-shot timer (CONFIG_KERNEL_MCS; the base kernel ticks periodically on
 * HAL_TIMER_IRQ instead, a port matter). Its clock counts at 62.5 MHz (MCS_TIMER_CLOCK_HZ of
 * <kaal/mcs.h>: aarch64, the EL1 virtual count CNTVCT_EL0; hostsim, the deterministic virtual
 * clock). Kernel context, interrupts masked; none can fail.
 *   hal_timer_now: the clock, monotonic.
 *   hal_timer_set_deadline: HAL_TIMER_IRQ becomes pending once the clock reaches `ticks` (at once
 *     if it has already); replaces the previous deadline.
 *   hal_timer_ack_deadline: the timer interrupt was taken: no more until the next deadline is set
 *     (called before the interrupt's hal_irq_ack). */
word_t hal_timer_now(void);
void hal_timer_set_deadline(word_t ticks);
void hal_timer_ack_deadline(void);

/* Core changed a VSpace binding: an ASID pool was created or deleted, an ASID assigned or
 * released, or a VSpace cap inserted into, moved between or removed from slots (a TCB's VTable
 * slot among them). Whatever a port derived from the VTable slots and ASID tables is stale (the
 * aarch64 port caches each thread's TTBR0_EL1 value). Kernel context; cannot fail. */
void hal_vspace_bindings_changed(void);

/* Initialise the register state of a new thread: all zero, SPSR = USER_SPSR_INITIAL, FP enabled.
 * Kernel context; cannot fail. */
void hal_tcb_init(struct hal_tcb *arch);

/* The TCB holding arch is being destroyed (its final cap is finalised): the port forgets any
 * reference it keeps to it (aarch64: the owner of the FP/SIMD registers, switched lazily).
 * Kernel context; cannot fail. */
void hal_tcb_destroy(struct hal_tcb *arch);

/* Debug kernel (CONFIG_KERNEL_INVARIANTS), from the invariant checker between kernel entries:
 * does the state the port caches about threads agree with them (aarch64: the FP/SIMD owner is a
 * live thread, each thread's cached TTBR0 value is what its VTable slot gives; hostsim: the user
 * window's pages are still the translations of the VSpace and ASID it was filled for)? The live
 * threads are kernel_invariants_thread*() of <kaal/invariants.h>. False with a reason in why. */
bool hal_invariants_hold(char *why, size_t why_len);

/* Zero `bytes` of RAM at physical pa (object creation, untyped reset). Kernel context. */
void hal_zero_phys(paddr_t pa, word_t bytes);

/* RAM at [pa, pa + bytes) was just zeroed (hal_zero_phys) and user code may map it, or a page
 * table the walker reads lives there: write it back to the point of coherency, so that an
 * observer that does not look through the data cache (a non-cacheable or device mapping of a new
 * frame, a non-coherent device or walker) sees the zeros and never older data. As seL4's
 * clearMemory after its memzero. Core calls it for non-device memory only: after each chunk of an
 * untyped reset (every frame and page table is carved from memory zeroed that way), after zeroing
 * the root task's boot objects, and after clearing an unmapped page table. Kernel context; cannot
 * fail. aarch64: dc cvac per data cache line (CTR_EL0.DminLine), then dsb ish. hostsim (coherent
 * host): nothing to do; it counts the calls and which memory is zeroed but not yet cleaned, for
 * the tests (<hostsim/hostsim.h>). */
void hal_cache_clean_new_memory(paddr_t pa, word_t bytes);

#endif
