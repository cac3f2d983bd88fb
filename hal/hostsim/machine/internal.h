/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim machine: declarations shared between the machine's files (never seen by the port). */
#ifndef HOSTSIM_MACHINE_INTERNAL_H
#define HOSTSIM_MACHINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <kaal/types.h>

/* Set by hostsim_note_panic(); cleared at boot. */
extern bool hostsim_did_panic;
/* Is a machine booted? */
extern bool hostsim_booted;

/* A fresh machine was booted: clear the halted flag of the previous one. */
void hostsim_note_boot(void);
/* The kernel halted (hostsim_kernel_entry returned false): later calls answer HOSTSIM_HALTED. */
void hostsim_note_halt(void);

/* The interrupt controller (irq.c): reset at boot (every line masked except the timer, nothing
 * pending), and mark a line pending. */
void hostsim_irq_reset(void);
void hostsim_irq_set_pending(unsigned long irq);
/* MCS (timer.c): the virtual clock back to 0 with no deadline, for a freshly booted machine. */
void hostsim_clock_reset(void);
/* MCS (timer.c): move the virtual clock up to ticks (never back), without taking interrupts: the
 * emulated EL0 (emu_el0.c) moves it by the instructions it executed, stopping itself at the
 * deadline and raising the timer interrupt there. */
void hostsim_clock_move_to(uint64_t ticks);
/* The clock and its deadline exactly as a snapshot holds them (snapshot.c), earlier or later. */
void hostsim_clock_restore(uint64_t now, uint64_t deadline);
/* Is a line other than the kernel timer's unmasked (could an interrupt still wake a thread)? */
bool hostsim_user_irq_unmasked(void);
/* Interrupts taken so far: a preempted system call takes one. */
extern unsigned long hostsim_irq_acks;

/* The cache model's bitmap (machine.c): a bit per HOSTSIM_CACHE_LINE bytes of RAM, "zeroed, not yet
 * cleaned"; mapped and unmapped with the RAM, NULL without RAM. */
#define HOSTSIM_CACHE_LINE 64u

#endif
