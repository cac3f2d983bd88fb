/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim-private declarations shared between the port's files. */
#ifndef HOSTSIM_INTERNAL_H
#define HOSTSIM_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

/* Where hal_halt() returns to during a kernel entry (NULL outside one). */
extern jmp_buf *hostsim_halt_target;
/* Set by hal_panic_dump(); cleared at boot. */
extern bool hostsim_did_panic;
/* Is a machine booted? */
extern bool hostsim_booted;

/* A fresh machine was booted: clear the halted flag of the previous one. */
void hostsim_note_boot(void);
/* The kernel halted during a run (hostsim_run): later system calls answer HOSTSIM_HALTED. */
void hostsim_note_halt(void);

/* The virtual interrupt controller (hal.c): reset at boot (every line masked except the timer,
 * nothing pending), and mark a line pending. */
void hostsim_irq_reset(void);
void hostsim_irq_set_pending(unsigned long irq);
/* Is a line other than the kernel timer's unmasked (could an interrupt still wake a thread)? */
bool hostsim_user_irq_unmasked(void);
/* Interrupts taken so far (hal_irq_ack): a preempted system call takes one. */
extern unsigned long hostsim_irq_acks;

/* The cache model's bitmap (hal.c): a bit per HOSTSIM_CACHE_LINE bytes of RAM, "zeroed, not yet
 * cleaned"; mapped and unmapped with the RAM (machine.c), NULL without RAM. */
#define HOSTSIM_CACHE_LINE 64u
extern uint8_t *hostsim_cache_pending_map;

/* Print the current thread's registers (after a panic). */
void hostsim_dump_state(void);

#endif
