/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the parts of the invariant checker (<kaal/invariants.h>): invariants.c finds the caps,
 * invariants_threads.c checks threads, queues, the scheduler, reply caps and IRQs against them. */
#ifndef KAAL_INVARIANTS_INTERNAL_H
#define KAAL_INVARIANTS_INTERNAL_H

#include <kaal/gen_config.h>

#ifdef CONFIG_KERNEL_INVARIANTS
#include <kaal/structures.h>

/* Start a check: read the scheduler's list of every TCB object (sched_tcb_created), check its
 * links and record each thread. False with a reason in why when the list is broken. */
bool inv_threads_begin(char *why, size_t why_len);
/* Full check only: one cap the discovery found (every cap once). */
void inv_threads_note_cap(const cte_t *slot);
/* Check threads, ready queues and bitmaps, endpoint and notification queues, bindings, reply
 * caps, IRQ state and the port's cached state. full: the caps noted are every cap there is, so
 * also check what needs all of them (reachability, reply and IRQ handler caps, every queue). */
bool inv_threads_check(bool full, char *why, size_t why_len);

#ifdef CONFIG_KERNEL_MCS
/* invariants_mcs.c: the scheduling contexts of every live thread, the release queue, the current
 * SC and the timer deadline. Run after inv_threads_check (it uses its list of live threads). */
bool inv_mcs_check(char *why, size_t why_len);
/* Full check only: a cap the discovery found; a scheduling-context cap's SC is checked too. *ok
 * false (with a reason in why) when it is broken; nothing is done once *ok is false. */
void inv_mcs_note_cap(const cte_t *slot, char *why, size_t why_len, bool *ok);
/* MCS reply objects and call stacks (invariants_reply.c; docs/mcs.md#invariants). Full check
 * only: a reply object a reply cap names (inv_threads_note_cap, after inv_threads_begin). */
void inv_reply_note(const struct reply *r);
/* Every thread of the list inv_threads_begin read: its reply object and its SC's newest one,
 * every call stack; full: also the reply objects noted (then forgotten). */
bool inv_reply_check(bool full, char *why, size_t why_len);
#endif
#endif

#endif
