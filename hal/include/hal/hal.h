/* SPDX-License-Identifier: BSD-2-Clause */
/* The HAL contract: every service a port provides to core. Each function states who calls it, in
 * what state, and whether it can fail. The port's own header (included last) defines
 * struct hal_tcb and may define hot functions static inline. */
#ifndef HAL_HAL_H
#define HAL_HAL_H

#include <kaal/types.h>
#include <hal/regs.h>

/* --- Provided by the port header <hal_port/hal_port.h> (static inline) ---
 *   struct hal_tcb                      saved registers (word_t regs[N_USER_REGS]) and FP state
 *   void *hal_ptov(paddr_t pa)          kernel pointer for a RAM physical address (pa must be RAM)
 *   paddr_t hal_vtop(const void *p)     inverse of hal_ptov
 *   bool hal_phys_is_ram(paddr_t pa, word_t bytes)  is [pa, pa + bytes) RAM? (any context; lets
 *                                       debug code test a pointer before hal_ptov)
 *   word_t hal_reg_get(const struct hal_tcb *t, enum user_reg r)
 *   void hal_reg_set(struct hal_tcb *t, enum user_reg r, word_t v)
 */
#include <hal_port/hal_port.h>

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

/* Interrupt numbers (GIC INTIDs on QEMU virt): 0..HAL_MAX_IRQ; the kernel's timer is
 * HAL_TIMER_IRQ (the EL1 virtual timer PPI, ABI sheet §11). */
#define HAL_MAX_IRQ 159ul
#define HAL_TIMER_IRQ 27ul
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

/* Resume ks.cur_thread in user mode: the last step of kernel_exit (after the scheduler chose the
 * thread and thread_activate ran), and on hostsim the only place a context switch happens.
 * aarch64: restores the thread's registers and returns to EL0 (does not return). hostsim: inside
 * hostsim_run, switches the user window to the thread's VSpace and enters the thread's host
 * context, returning to the run loop when the thread next enters the kernel (or at once when the
 * idle thread is current); outside a run (kernel unit tests acting as puppet threads) returns at
 * once. Kernel context, interrupts masked; cannot fail. */
void hal_return_to_user(void);

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

#endif
