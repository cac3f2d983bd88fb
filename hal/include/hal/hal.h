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

/* Initialise the register state of a new thread: all zero, SPSR = USER_SPSR_INITIAL, FP enabled.
 * Kernel context; cannot fail. */
void hal_tcb_init(struct hal_tcb *arch);

/* Zero `bytes` of RAM at physical pa (object creation, untyped reset). Kernel context. */
void hal_zero_phys(paddr_t pa, word_t bytes);

#endif
