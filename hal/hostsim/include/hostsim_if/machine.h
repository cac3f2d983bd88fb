/* SPDX-License-Identifier: BSD-2-Clause */
/* The hostsim interface, machine side: what the simulated machine (hal/hostsim/machine/) offers the
 * port (hal/hostsim/port/), which builds the HAL functions on it and reaches the machine in no
 * other way (docs/hostsim.md, "Port and machine"). Simulated RAM itself is declared in
 * <hal_port/hal_port.h>, whose inline hal_ptov reads it. The port's half is <hostsim_if/kernel.h>.
 * Everything here is called in kernel context (during a kernel entry or boot) and cannot fail. */
#ifndef HOSTSIM_IF_MACHINE_H
#define HOSTSIM_IF_MACHINE_H

#include <stdbool.h>
#include <stddef.h>

#include <hal_port/hal_port.h>

/* --- The interrupt controller: lines 0..HAL_MAX_IRQ, one pending, masked and edge bit each. --- */
/* The active line (the lowest numbered one that is pending and not masked): false when none. */
bool hostsim_irq_active(word_t *irq);
/* A preemption check: counts towards the forced preemption interval (hostsim.h), whose timer
 * interrupt becomes pending here; then whether a line is active. */
bool hostsim_irq_poll(void);
/* Take the interrupt on line irq: its pending bit clears (an irq out of range is only counted). */
void hostsim_irq_take(word_t irq);
void hostsim_irq_mask(word_t irq, bool masked);
void hostsim_irq_set_edge(word_t irq, bool edge);
/* Software-generated interrupt sgi (0..15) to CPU interface target (only 0 exists). */
void hostsim_irq_send_sgi(word_t sgi, word_t target);

/* --- MCS (CONFIG_KERNEL_MCS): the virtual clock (machine/timer.c), in ticks of the kernel's timer
 * frequency since the machine booted, and its one one-shot deadline (a deadline at or before now
 * makes the timer interrupt pending at once, as the hardware does). --- */
word_t hostsim_timer_now(void);
void hostsim_timer_set_deadline(word_t ticks);
void hostsim_timer_ack_deadline(void);

/* --- The cache model: the host is coherent, so nothing is cleaned; what the kernel asks for is
 * recorded (a bit per 64-byte line of RAM) for the tests to check (hostsim.h). RAM only. --- */
void hostsim_cache_note_zeroed(paddr_t pa, word_t bytes);
void hostsim_cache_note_cleaned(paddr_t pa, word_t bytes);

/* --- The MMU's caches: forget what the shadow MMU and the emulated EL0 translated through entries
 * of that ASID (and address). --- */
void hostsim_tlb_invalidate_asid(word_t asid);
void hostsim_tlb_invalidate_va(word_t asid, word_t vaddr);
/* The shadow MMU's consistency (the port's hal_invariants_hold): every page in the user window is
 * still a translation of the VSpace the window was filled for, whose ASID still names it. False
 * with the reason in why otherwise. */
bool hostsim_window_consistent(char *why, size_t why_len);

/* --- Threads: the machine's own record of a thread (its host context, a pending system call of a
 * puppet thread) is keyed by the thread's register file. A TCB was made or destroyed there:
 * whatever the machine kept for that address is stale and goes. --- */
void hostsim_thread_forget(const struct hal_tcb *t);

/* --- The console and the kernel's end. --- */
void hostsim_console_putc(char c);
/* The kernel panicked (a failed kassert): hostsim_panicked() says so until the next boot. */
void hostsim_note_panic(void);

#endif
