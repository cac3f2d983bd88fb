/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler: 256 priorities with constant-time choice of the highest runnable thread, round
 * robin on the time slice, Yield, an idle thread, and domains with a domain schedule. */
#ifndef KAAL_SCHED_H
#define KAAL_SCHED_H

#include <kaal/kernel.h>
#include <kaal/structures.h>

/* ks.sched_action (seL4 ksSchedulerAction): keep running ks.cur_thread, choose from the ready
 * queues, or (any other value) switch to that woken thread if it should preempt, else choose. */
#define SCHED_RESUME_CURRENT ((struct tcb *)0)
#define SCHED_CHOOSE_NEW ((struct tcb *)1)

/* Reset the scheduler at boot: empty queues, the idle thread, domain schedule entry 0. */
void sched_init(void);

/* Is a thread in this state runnable (Running or Restart)? */
static inline bool thread_state_runnable(word_t ts_type)
{
    _Static_assert(ThreadState_Restart == ThreadState_Running + 1, "one range test");
    return ts_type - ThreadState_Running <= ThreadState_Restart - ThreadState_Running;
}

/* Put t at the head / tail of its (domain, priority) ready queue if runnable and not queued. */
void sched_enqueue(struct tcb *t);
void sched_append(struct tcb *t);
/* Take t off its ready queue if it is on one. */
void sched_dequeue_queued(struct tcb *t); /* t is on one */
static inline void sched_dequeue(struct tcb *t)
{
    if (t->sched_queued) {
        sched_dequeue_queued(t);
    }
}

/* The current thread must not keep running without a new choice: the exit path chooses again
 * (and re-queues the current thread if it is still runnable). */
void sched_reschedule_required(void);
/* t just became runnable: run it at the next exit if it should preempt the current thread (same
 * domain, higher priority), else queue it. Inline for the common case (one domain, no action yet).
 */
void sched_possible_switch_to_general(struct tcb *t);
#ifdef CONFIG_KERNEL_MCS
/* MCS: may t be in a ready queue (seL4 isSchedulable)? Runnable, on an active SC that is not
 * waiting in the release queue for its next refill. */
static inline bool sched_is_schedulable(const struct tcb *t)
{
    const struct sched_context *sc = t->sched_context;
    return thread_state_runnable(thread_state_get_ts_type(t->state)) && sc != NULL &&
           sc->refill_max > 0 && !sc->in_release_queue;
}
#endif
#ifdef CONFIG_KERNEL_MCS
/* MCS: sched_possible_switch_to for a thread its caller found schedulable, with its head refill
 * due and sufficient (a reply's caller): nothing more to check before the choice. */
void sched_possible_switch_to_due(struct tcb *t);
#endif
static inline void sched_possible_switch_to(struct tcb *t)
{
#ifdef CONFIG_KERNEL_MCS
    /* MCS: only a thread with a due refill may run; one whose refill is not due goes to the
     * release queue instead (sched_possible_switch_to_general). */
    sched_possible_switch_to_general(t);
    return;
#endif
    if (CONFIG_NUM_DOMAINS == 1 && ks.sched_action == SCHED_RESUME_CURRENT) {
        ks.sched_action = t;
    } else {
        sched_possible_switch_to_general(t);
    }
}

/* Change t's state with its scheduling consequences (seL4 setThreadState + scheduleTCB): a thread
 * that stops being runnable leaves its ready queue, and the current thread stopping forces a
 * reschedule. Inline: with a constant ts_type a runnable state is one store. */
static inline void sched_set_thread_state(struct tcb *t, word_t ts_type)
{
    thread_state_ptr_set_ts_type(&t->state, ts_type);
    if (!thread_state_runnable(ts_type)) {
        sched_dequeue(t);
        if (t == ks.cur_thread && ks.sched_action == SCHED_RESUME_CURRENT) {
            ks.sched_action = SCHED_CHOOSE_NEW; /* seL4 scheduleTCB -> rescheduleRequired */
        }
    }
}

/* Change t's priority, moving it between queues and rescheduling as needed. */
void sched_set_priority(struct tcb *t, word_t prio);
/* Move t to domain dom's queues (DomainSet_Set); the current thread forces a new choice. */
void sched_set_domain(struct tcb *t, word_t dom);

/* Boot: make the root thread t (Running) the current thread. */
void sched_boot_thread(struct tcb *t);

/* The current domain, its remaining ticks, and the domain schedule (DomainSet invocations).
 * An entry with duration 0 (and domain 0) is an end marker: the schedule wraps to its start. */
word_t sched_current_domain(void);
word_t sched_domain_time(void);
word_t sched_domain_schedule_start(void);
bool sched_domain_schedule_is_end_marker(word_t index);
/* Set entry index to (dom, duration); used from the next time the schedule reaches it. */
void sched_domain_schedule_configure(word_t index, word_t dom, word_t duration);
/* Make index the schedule's start and end the current domain's time: the next choice starts the
 * schedule again at index. */
void sched_domain_schedule_set_start(word_t index);

/* Every TCB object registers when created and deregisters when destroyed, so DebugDumpScheduler
 * can list blocked threads too. */
void sched_tcb_created(struct tcb *t);
void sched_tcb_destroyed(struct tcb *t);

/* The scheduler's state (queues, bitmaps, domain schedule, the idle thread) as bytes, for a port
 * that snapshots a booted kernel and copies it back later (hostsim snapshots, with ks and RAM). */
void *sched_state(word_t *size);

/* Choose the thread to run and activate it (thread_activate unless it is Running); called only by
 * kernel_exit, which skips it when ks.sched_action is SCHED_RESUME_CURRENT. Sets ks.cur_thread (the
 * idle thread when nothing is runnable). */
void sched_schedule(void);

/* The timer interrupt. Base: one tick: charge the current thread's time slice (round robin on
 * expiry) and advance the domain schedule. MCS: the one-shot deadline passed: acknowledge it; the
 * exit path wakes what is due and sets the next deadline. Kernel context. */
void sched_timer_tick(void);

/* Yield: the current thread goes to the tail of its queue and the scheduler chooses again.
 * MCS (seL4-MCS handleYield): the rest of its head refill is charged without a timeout fault
 * (Consumed counts only the time used): round robin: the tail of its queue with a fresh budget;
 * sporadic: the release queue until the next refill.
 * (Not named sched_yield: on hostsim that would replace the host C library's sched_yield.) */
void sched_handle_yield(void);

#ifdef CONFIG_KERNEL_MCS
/* ---- MCS (the SC layer, the IPC layer, the entries, the checker) ---- */
#include <kaal/sporadic.h>

/* Interrupt entry, before the interrupt is handled: charge the time since the last entry
 * (seL4 updateTimestamp + checkBudget; the current thread may lose the CPU, nothing restarts). */
void sched_interrupt_entry(void);
/* Preemption points of long operations: read the clock; has the current SC (not the idle one) run
 * out of budget (or been deleted, or the domain's time ended) since this entry began? If so, the
 * time used is charged at once (seL4 mcsPreemptionPoint: the thread may lose the CPU or send a
 * timeout fault) and the operation must stop (EXCEPTION_PREEMPTED). */
bool sched_budget_exhausted_now(void);
/* sc's thread (runnable, off the ready queues) waits in the release queue for sc's head refill. */
void sched_postpone(struct sched_context *sc);
/* Take sc, which is in the release queue, off it. */
void sched_release_remove_queued(struct sched_context *sc);
/* Take sc off the release queue if it is on it. Inline: it seldom is (donation, thread state). */
static inline void sched_release_remove(struct sched_context *sc)
{
    if (sc->in_release_queue) {
        sched_release_remove_queued(sc);
    }
}
/* seL4 schedContext_resume: sc's thread is schedulable but sc's head refill is not ready or too
 * small: postpone it. Any sc (NULL, unbound: nothing). */
void sched_context_resume(struct sched_context *sc);
/* seL4's refill_unblock_check where a thread is unblocked (IPC, signal, reply, resume, bind):
 * for a sporadic sc other than the current one, a due head moves to now and absorbs overlaps. */
void sched_unblock_check(struct sched_context *sc);
/* Charge what is owed to sc now if it is the current SC (ConfigureFlags on the running SC: the
 * old parameters pay for the time used under them). */
void sched_commit_if_current(struct sched_context *sc);

/* The clock at this kernel entry; the SC the current thread runs on; the idle thread's SC; the
 * release queue's head (then ->release_next); the deadline last programmed; the time not yet
 * charged; whether the exit will program the deadline again. */
ticks_t sched_cur_time(void);
struct sched_context *sched_cur_sc(void);
struct sched_context *sched_idle_sc(void);
struct sched_context *sched_release_queue_head(void);
ticks_t sched_programmed_deadline(void);
ticks_t sched_consumed(void); /* time used since cur_sc was last charged */
bool sched_reprogram_pending(void);
/* schedcontext.c: SchedContext_YieldTo finished for t, which runs again: its answer (label 0,
 * MR0 = µs consumed on the SC it yielded to); and t's YieldTo forgotten without an answer
 * (Suspend, deletion of t). */
void sched_context_complete_yield_to(struct tcb *t);
void sched_context_cancel_yield_to(struct tcb *t);
/* schedcontext.c: the second word of t's timeout-fault message, the µs consumed on its SC since
 * the last read (the counter restarts), into words[0]: 1 word, or 0 when t has no SC. */
word_t sc_timeout_fault_consumed(struct tcb *t, word_t *words);
#endif

/* The idle thread (never in a queue). */
struct tcb *sched_idle_thread(void);

/* DebugDumpScheduler: print every thread (name, state, priority, domain) to the console. */
void sched_debug_dump(void);
/* The first of every TCB object the kernel knows (then t->debug_next), for debug dumps. */
struct tcb *sched_debug_first_thread(void);
/* The head of the (dom, prio) ready queue (then t->sched_next), for tests and debug dumps. */
struct tcb *sched_debug_queue_head(word_t dom, word_t prio);
/* For the invariant checker (and its corruption tests): the queue's tail, and the two-level
 * priority bitmap of a domain: level 1 bit i says level-2 word i is non-zero; bit p % 64 of
 * level-2 word p / 64 says queue p is non-empty. Pointers, so tests can corrupt them. */
#define SCHED_L2_WORDS ((CONFIG_NUM_PRIORITIES + 63) / 64)
struct sched_ready_queue {
    struct tcb *head, *tail;
};
/* The CONFIG_NUM_PRIORITIES ready queues of domain dom. */
const struct sched_ready_queue *sched_debug_queues(word_t dom);
struct tcb *sched_debug_queue_tail(word_t dom, word_t prio);
word_t *sched_debug_bitmap_l1(word_t dom);
word_t *sched_debug_bitmap_l2(word_t dom, word_t word);

#endif
