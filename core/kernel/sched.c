/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler (seL4's non-MCS scheduler): ready queues per (domain, priority) with a two-level
 * bitmap, the scheduler action, time slices, Yield, the idle thread and the domain schedule. */
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/string.h>
#include <kaal/thread.h>

#define L2_BITS 6 /* one bitmap word covers 64 priorities */
#define L2_WORDS ((CONFIG_NUM_PRIORITIES + (1 << L2_BITS) - 1) >> L2_BITS)
_Static_assert(L2_WORDS == SCHED_L2_WORDS, "one bitmap size");
_Static_assert(L2_WORDS <= 64, "the level-1 bitmap is one word");
_Static_assert(CONFIG_NUM_PRIORITIES == seL4_MaxPrio + 1, "priorities are 0..seL4_MaxPrio");

#define ready_queue sched_ready_queue /* <kaal/sched.h>, for the invariant checker */

struct dom_entry {
    word_t domain;
    word_t duration; /* ticks; 0 with domain 0 marks the end of the schedule */
};

/* The scheduler action lives in ks.sched_action (beside ks.cur_thread, for the inline helpers). */
static struct {
    struct ready_queue queues[CONFIG_NUM_DOMAINS][CONFIG_NUM_PRIORITIES];
    word_t l1[CONFIG_NUM_DOMAINS];           /* bit i: l2[d][i] != 0 */
    word_t l2[CONFIG_NUM_DOMAINS][L2_WORDS]; /* bit p%64 of word p/64: queue p not empty */

    struct dom_entry dom_schedule[CONFIG_NUM_DOMAIN_SCHEDULES];
    word_t dom_index; /* the running schedule entry */
    word_t dom_start; /* where the schedule starts and wraps to */
    bool dom_restart; /* the next domain switch goes to dom_start (ScheduleSetStart) */
    word_t cur_domain;
    word_t domain_time; /* ticks left in the current domain */

    struct tcb idle;        /* never queued; ks.cur_thread when nothing runs */
    struct tcb *debug_head; /* every TCB object (sched_tcb_created) */
} sched;

/* Default schedule: domain 0 for one tick at a time, which with one domain never switches. */
#define DOMAIN_DEFAULT_DURATION 1

/* ---- queues and bitmaps --------------------------------------------------------------------- */

static inline word_t dom_of(const struct tcb *t) { return CONFIG_NUM_DOMAINS > 1 ? t->domain : 0; }
static inline word_t cur_dom(void) { return CONFIG_NUM_DOMAINS > 1 ? sched.cur_domain : 0; }

static inline void bitmap_add(word_t dom, word_t prio)
{
    word_t i = prio >> L2_BITS;
    sched.l2[dom][i] |= BIT(prio & MASK(L2_BITS));
    sched.l1[dom] |= BIT(i);
}

static inline void bitmap_remove(word_t dom, word_t prio)
{
    word_t i = prio >> L2_BITS;
    word_t w = sched.l2[dom][i] & ~BIT(prio & MASK(L2_BITS));
    sched.l2[dom][i] = w;
    if (w == 0) {
        sched.l1[dom] &= ~BIT(i);
    }
}

static inline word_t highest_bit(word_t w) { return 63u - (word_t)__builtin_clzll(w); }

/* Highest priority with a non-empty queue in dom (the domain must have one). */
static inline word_t highest_prio(word_t dom)
{
    kassert(sched.l1[dom] != 0);
    word_t i = highest_bit(sched.l1[dom]);
    return (i << L2_BITS) | highest_bit(sched.l2[dom][i]);
}

/* seL4 isHighestPrio: no queued thread in dom is more urgent than prio. */
static inline bool is_highest_prio(word_t dom, word_t prio)
{
    return sched.l1[dom] == 0 || prio >= highest_prio(dom);
}

static inline bool runnable(const struct tcb *t)
{
    return thread_state_runnable(thread_state_type(t));
}

/* Link t (runnable, not queued, not the idle thread) at the head / tail of its queue. */
static inline void link_head(struct tcb *t)
{
    kassert(!t->sched_queued && t != &sched.idle && runnable(t));
    kassert(t->priority < CONFIG_NUM_PRIORITIES && t->domain < CONFIG_NUM_DOMAINS);
    word_t dom = dom_of(t), prio = t->priority;
    struct ready_queue *q = &sched.queues[dom][prio];
    struct tcb *head = q->head;
    t->sched_prev = NULL;
    t->sched_next = head;
    if (head != NULL) {
        head->sched_prev = t;
    } else {
        q->tail = t;
        bitmap_add(dom, prio);
    }
    q->head = t;
    t->sched_queued = true;
}

static inline void link_tail(struct tcb *t)
{
    kassert(!t->sched_queued && t != &sched.idle && runnable(t));
    kassert(t->priority < CONFIG_NUM_PRIORITIES && t->domain < CONFIG_NUM_DOMAINS);
    word_t dom = dom_of(t), prio = t->priority;
    struct ready_queue *q = &sched.queues[dom][prio];
    struct tcb *tail = q->tail;
    t->sched_next = NULL;
    t->sched_prev = tail;
    if (tail != NULL) {
        tail->sched_next = t;
    } else {
        q->head = t;
        bitmap_add(dom, prio);
    }
    q->tail = t;
    t->sched_queued = true;
}

/* The idle thread's state (IdleThreadState) is not runnable: it is never queued. */
static inline bool can_queue(const struct tcb *t) { return !t->sched_queued && runnable(t); }

void sched_enqueue(struct tcb *t)
{
    if (can_queue(t)) {
        link_head(t);
    }
}

void sched_append(struct tcb *t)
{
    if (can_queue(t)) {
        link_tail(t);
    }
}

/* The links of a thread off its queue are stale; only sched_queued says whether they mean anything.
 */
void sched_dequeue_queued(struct tcb *t)
{
    kassert(t->sched_queued);
    word_t dom = dom_of(t), prio = t->priority;
    struct ready_queue *q = &sched.queues[dom][prio];
    struct tcb *next = t->sched_next, *prev = t->sched_prev;
    if (prev != NULL) {
        prev->sched_next = next;
    } else {
        q->head = next;
    }
    if (next != NULL) {
        next->sched_prev = prev;
    } else {
        q->tail = prev;
        if (prev == NULL) {
            bitmap_remove(dom, prio);
        }
    }
    t->sched_queued = false;
}

/* Take the head of a non-empty queue off it. */
static inline void unlink_head(struct ready_queue *q, word_t dom, word_t prio)
{
    struct tcb *t = q->head, *next = t->sched_next;
    kassert(t->sched_queued && t->sched_prev == NULL);
    q->head = next;
    if (next != NULL) {
        next->sched_prev = NULL;
    } else {
        q->tail = NULL;
        bitmap_remove(dom, prio);
    }
    t->sched_queued = false;
}

/* ---- scheduler action ----------------------------------------------------------------------- */

void sched_reschedule_required(void)
{
    struct tcb *action = ks.sched_action;
    if (action != SCHED_RESUME_CURRENT && action != SCHED_CHOOSE_NEW) {
        sched_enqueue(action);
    }
    ks.sched_action = SCHED_CHOOSE_NEW;
}

void sched_possible_switch_to_general(struct tcb *t)
{
    if (dom_of(t) != cur_dom()) {
        sched_enqueue(t);
    } else if (ks.sched_action != SCHED_RESUME_CURRENT) {
        sched_reschedule_required();
        sched_enqueue(t);
    } else {
        ks.sched_action = t;
    }
}

void sched_set_priority(struct tcb *t, word_t prio)
{
    kassert(prio < CONFIG_NUM_PRIORITIES); /* decoders check against the MCP, which is <= 255 */
    sched_dequeue(t);
    t->priority = prio;
    if (runnable(t)) {
        if (t == ks.cur_thread) {
            sched_reschedule_required();
        } else {
            sched_possible_switch_to(t);
        }
    }
}

void sched_set_domain(struct tcb *t, word_t dom)
{
    kassert(dom < CONFIG_NUM_DOMAINS); /* DomainSet_Set's decoder checks the range */
    sched_dequeue(t);
    t->domain = dom;
    if (runnable(t) && t != ks.cur_thread) {
        sched_enqueue(t);
    }
    if (t == ks.cur_thread) {
        sched_reschedule_required();
    }
}

/* ---- choosing ------------------------------------------------------------------------------- */

static void next_domain(void)
{
    word_t i = sched.dom_index + 1;
    if (sched.dom_restart || i >= CONFIG_NUM_DOMAIN_SCHEDULES ||
        sched_domain_schedule_is_end_marker(i)) {
        i = sched.dom_start;
    }
    sched.dom_restart = false;
    sched.dom_index = i;
    sched.cur_domain = sched.dom_schedule[i].domain;
    sched.domain_time = sched.dom_schedule[i].duration;
    ks.work_units = 0;
}

/* seL4 scheduleChooseNewThread: the head of the highest non-empty queue of the current domain
 * (after moving to the next domain if its time is up), or the idle thread. */
static void choose_new_thread(void)
{
    if (sched.domain_time == 0) {
        next_domain();
    }
    word_t dom = cur_dom();
    if (sched.l1[dom] != 0) {
        word_t prio = highest_prio(dom);
        struct ready_queue *q = &sched.queues[dom][prio];
        struct tcb *t = q->head;
        kassert(runnable(t)); /* only runnable threads are queued */
        unlink_head(q, dom, prio);
        ks.cur_thread = t;
    } else {
        ks.cur_thread = &sched.idle;
    }
}

/* Run cand (runnable) instead of cur: cur, if runnable, goes to the head of its queue. */
static inline void switch_to(struct tcb *cur, bool was_runnable, struct tcb *cand)
{
    if (was_runnable && !cur->sched_queued) {
        link_head(cur);
    }
    sched_dequeue(cand);
    ks.cur_thread = cand;
}

/* seL4 schedule() for an action other than ResumeCurrentThread: the current thread, if runnable,
 * goes to the head of its queue (SCHED_ENQUEUE_CURRENT_TCB); a woken candidate runs at once unless
 * the fastfail rule (idle current thread or lower priority than the current one, and a more urgent
 * thread queued) or the equal-priority rule (it goes behind a runnable current thread of its
 * priority) sends everyone through chooseNewThread.
 *
 * Shortcut, same result: when the current thread was runnable and not queued and would be chosen
 * again at once (it heads the highest non-empty queue of the current domain, which it stays in),
 * enqueueing it and choosing takes it straight back off: it just keeps running. */
static inline void schedule(void)
{
    struct tcb *action = ks.sched_action;
    if (action == SCHED_RESUME_CURRENT) {
        return;
    }
    ks.sched_action = SCHED_RESUME_CURRENT;
    struct tcb *cur = ks.cur_thread;
    kassert(cur != NULL);
    /* The idle thread's state (IdleThreadState) is not runnable. */
    bool was_runnable = runnable(cur);

    if (action != SCHED_CHOOSE_NEW) {
        struct tcb *cand = action;
        kassert(cand != &sched.idle);
        if (!runnable(cand)) {
            /* The woken thread stopped again before this exit: choose. */
        } else if (was_runnable ? cand->priority < cur->priority
                                : cur == &sched.idle || cand->priority < cur->priority) {
            /* Fastfail: is anything queued in the current domain (the current thread included)
             * more urgent? A runnable current thread of the current domain is. (seL4 asks about
             * ksCurDomain, not the candidate's domain: they differ only if the candidate moved
             * domain after it was woken.) */
            word_t dom = cur_dom();
            if (!(was_runnable && dom_of(cur) == dom) && is_highest_prio(dom, cand->priority)) {
                switch_to(cur, was_runnable, cand);
                return;
            }
            if (!cand->sched_queued) {
                link_head(cand);
            }
        } else if (was_runnable && cand->priority == cur->priority) {
            if (!cand->sched_queued) {
                link_tail(cand); /* behind the current thread, which goes to the head */
            }
        } else {
            switch_to(cur, was_runnable, cand);
            return;
        }
    }

    if (was_runnable) {
        if (!cur->sched_queued) {
            word_t dom = cur_dom();
            if (sched.domain_time != 0 && dom_of(cur) == dom &&
                is_highest_prio(dom, cur->priority)) {
                return; /* chosen again at once */
            }
            link_head(cur);
        }
    }
    choose_new_thread();
}

void sched_schedule(void)
{
    schedule();
    struct tcb *t = ks.cur_thread;
    if (thread_state_type(t) != ThreadState_Running) {
        thread_activate(t); /* Restart, or the idle thread */
    }
}

void sched_timer_tick(void)
{
    struct tcb *cur = ks.cur_thread;
    if (cur != NULL && thread_state_type(cur) == ThreadState_Running) {
        if (cur->time_slice > 1) {
            cur->time_slice--;
        } else {
            cur->time_slice = CONFIG_TIME_SLICE;
            sched_append(cur); /* round robin: behind its equals */
            sched_reschedule_required();
        }
    }
    if (CONFIG_NUM_DOMAINS > 1 && sched.domain_time > 0) {
        sched.domain_time--;
        if (sched.domain_time == 0) {
            sched_reschedule_required();
        }
    }
}

void sched_handle_yield(void)
{
    struct tcb *cur = ks.cur_thread;
    kassert(cur != &sched.idle && runnable(cur)); /* it is making this system call */
    sched_dequeue(cur);
    link_tail(cur);
    sched_reschedule_required();
}

struct tcb *sched_idle_thread(void) { return &sched.idle; }

void *sched_state(word_t *size)
{
    *size = sizeof(sched);
    return &sched;
}

/* ---- boot ----------------------------------------------------------------------------------- */

void sched_init(void)
{
    kmemset(&sched, 0, sizeof(sched));
    ks.sched_action = SCHED_RESUME_CURRENT;
    sched.dom_schedule[0] = (struct dom_entry){.domain = 0, .duration = DOMAIN_DEFAULT_DURATION};
    sched.cur_domain = sched.dom_schedule[0].domain;
    sched.domain_time = sched.dom_schedule[0].duration;

    struct tcb *idle = &sched.idle;
    hal_tcb_init(&idle->arch);
    thread_state_ptr_set_ts_type(&idle->state, ThreadState_IdleThreadState); /* never runnable */
    kstrlcpy(idle->name, "idle", sizeof(idle->name));
    ks.cur_thread = idle;
}

void sched_boot_thread(struct tcb *t)
{
    kassert(runnable(t) && ks.cur_thread == &sched.idle);
    ks.sched_action = SCHED_RESUME_CURRENT;
    sched_dequeue(t);
    ks.cur_thread = t;
}

/* ---- domains -------------------------------------------------------------------------------- */

word_t sched_current_domain(void) { return sched.cur_domain; }
word_t sched_domain_time(void) { return sched.domain_time; }
word_t sched_domain_schedule_start(void) { return sched.dom_start; }

bool sched_domain_schedule_is_end_marker(word_t index)
{
    kassert(index < CONFIG_NUM_DOMAIN_SCHEDULES);
    return sched.dom_schedule[index].domain == 0 && sched.dom_schedule[index].duration == 0;
}

void sched_domain_schedule_configure(word_t index, word_t dom, word_t duration)
{
    kassert(index < CONFIG_NUM_DOMAIN_SCHEDULES && dom < CONFIG_NUM_DOMAINS);
    sched.dom_schedule[index] = (struct dom_entry){.domain = dom, .duration = duration};
}

void sched_domain_schedule_set_start(word_t index)
{
    kassert(index < CONFIG_NUM_DOMAIN_SCHEDULES && !sched_domain_schedule_is_end_marker(index));
    sched.dom_start = index;
    sched.dom_restart = true;
    sched.domain_time = 0;
    sched_reschedule_required();
}

/* ---- the list of every thread (debug) ------------------------------------------------------- */

void sched_tcb_created(struct tcb *t)
{
    t->debug_prev = NULL;
    t->debug_next = sched.debug_head;
    if (sched.debug_head != NULL) {
        sched.debug_head->debug_prev = t;
    }
    sched.debug_head = t;
}

void sched_tcb_destroyed(struct tcb *t)
{
    kassert(!t->sched_queued); /* finalisation suspends the thread first */
    if (t->debug_prev != NULL) {
        t->debug_prev->debug_next = t->debug_next;
    } else if (sched.debug_head == t) {
        sched.debug_head = t->debug_next;
    }
    if (t->debug_next != NULL) {
        t->debug_next->debug_prev = t->debug_prev;
    }
    t->debug_next = t->debug_prev = NULL;
    if (ks.sched_action == t) {
        ks.sched_action = SCHED_CHOOSE_NEW;
    }
}

static const char *state_name(word_t ts)
{
    static const char *const names[] = {
        "inactive",        "running",          "restart",         "blocked on recv",
        "blocked on send", "blocked on reply", "blocked on ntfn", "idle",
    };
    return ts < ARRAY_SIZE(names) ? names[ts] : "?";
}

static void dump_one(const struct tcb *t)
{
    const char *where = t == ks.cur_thread ? "  (current)" : t->sched_queued ? "  (queued)" : "";
    kprintf("  %s: %s, priority %lu, domain %lu%s\n", t->name[0] ? t->name : "(unnamed)",
            state_name(thread_state_type(t)), (unsigned long)t->priority, (unsigned long)t->domain,
            where);
}

struct tcb *sched_debug_first_thread(void) { return sched.debug_head; }

struct tcb *sched_debug_queue_head(word_t dom, word_t prio)
{
    kassert(dom < CONFIG_NUM_DOMAINS && prio < CONFIG_NUM_PRIORITIES);
    return sched.queues[dom][prio].head;
}

const struct sched_ready_queue *sched_debug_queues(word_t dom)
{
    kassert(dom < CONFIG_NUM_DOMAINS);
    return sched.queues[dom];
}

struct tcb *sched_debug_queue_tail(word_t dom, word_t prio)
{
    kassert(dom < CONFIG_NUM_DOMAINS && prio < CONFIG_NUM_PRIORITIES);
    return sched.queues[dom][prio].tail;
}

word_t *sched_debug_bitmap_l1(word_t dom)
{
    kassert(dom < CONFIG_NUM_DOMAINS);
    return &sched.l1[dom];
}

word_t *sched_debug_bitmap_l2(word_t dom, word_t word)
{
    kassert(dom < CONFIG_NUM_DOMAINS && word < L2_WORDS);
    return &sched.l2[dom][word];
}

void sched_debug_dump(void)
{
    kprintf("KaaL scheduler: domain %lu (%lu ticks left), threads:\n",
            (unsigned long)sched.cur_domain, (unsigned long)sched.domain_time);
    for (const struct tcb *t = sched.debug_head; t != NULL; t = t->debug_next) {
        dump_one(t);
    }
    dump_one(&sched.idle);
}
