/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler: 256 priorities with constant-time choice of the highest runnable thread, round
 * robin on the time slice, Yield, an idle thread, and domains with a domain schedule. */
#ifndef KAAL_SCHED_H
#define KAAL_SCHED_H

#include <kaal/structures.h>

/* Reset the scheduler at boot: empty queues, the idle thread, domain schedule entry 0. */
void sched_init(void);

/* Is a thread in this state runnable (Running or Restart)? */
bool thread_state_runnable(word_t ts_type);

/* Put t at the head / tail of its (domain, priority) ready queue if runnable and not queued. */
void sched_enqueue(struct tcb *t);
void sched_append(struct tcb *t);
/* Take t off its ready queue if it is on one. */
void sched_dequeue(struct tcb *t);

/* The current thread must not keep running without a new choice: the exit path chooses again
 * (and re-queues the current thread if it is still runnable). */
void sched_reschedule_required(void);
/* t just became runnable: run it at the next exit if it should preempt the current thread (same
 * domain, higher priority), else queue it. */
void sched_possible_switch_to(struct tcb *t);

/* Change t's state with its scheduling consequences (seL4 setThreadState + scheduleTCB): a current
 * thread that stops being runnable forces a reschedule. */
void sched_set_thread_state(struct tcb *t, word_t ts_type);

/* Change t's priority, moving it between queues and rescheduling as needed. */
void sched_set_priority(struct tcb *t, word_t prio);

/* Choose the thread to run (called only by kernel_exit). Sets ks.cur_thread (the idle thread when
 * nothing is runnable). */
void sched_schedule(void);

/* One timer tick: charge the current thread's time slice (round robin on expiry) and advance the
 * domain schedule. Kernel context, from the timer interrupt. */
void sched_timer_tick(void);

/* Yield: the current thread goes to the tail of its queue and the scheduler chooses again. */
void sched_yield(void);

/* The idle thread (never in a queue). */
struct tcb *sched_idle_thread(void);

/* DebugDumpScheduler: print every thread (name, state, priority, domain) to the console. */
void sched_debug_dump(void);

#endif
