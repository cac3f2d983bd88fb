/* SPDX-License-Identifier: BSD-2-Clause */
/* The invariant checker's view of threads (invariants_internal.h): every TCB object from the
 * scheduler's list of them, checked against the ready queues and bitmaps, the scheduler action,
 * the endpoint and notification queues, notification bindings, reply caps, the IRQ table, and the
 * port's cached state (hal_invariants_hold). */
#include "invariants_internal.h"

#ifdef CONFIG_KERNEL_INVARIANTS
#include <kaal/invariants.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

#define MAX_THREADS (1u << 15)
#define MAX_OBJECTS (1u << 16) /* endpoints and notifications named by caps, one full check */
#define SET_BITS 17            /* open addressing, never more than half full */
#define SET_SIZE (1u << SET_BITS)
#define NONE UINT32_MAX

/* Keys of the one set: a TCB (2 KiB aligned) as is, IPC objects (16-byte aligned) tagged. */
#define KEY_TCB(pa) ((word_t)(pa))
#define KEY_EP(pa) ((word_t)(pa) | 1)
#define KEY_NTFN(pa) ((word_t)(pa) | 2)
#define KEY_NAMED(key) ((key) | 4) /* the object some cap names (full check) */

struct tinfo {
    struct tcb *t;
    uint8_t in_ready;   /* times found in a ready queue */
    uint8_t in_ipc;     /* times found in an endpoint or notification queue */
    uint8_t reply_caps; /* one-shot reply caps naming it */
    bool has_cap;       /* a thread cap names it */
};

static struct tinfo thr[MAX_THREADS];
static uint32_t n_thr;
static word_t set_key[SET_SIZE];
static uint32_t set_val[SET_SIZE], set_gen[SET_SIZE], gen;
static paddr_t objs[MAX_OBJECTS]; /* IPC objects named by caps (tagged as their keys) */
static uint32_t n_objs;
#ifndef CONFIG_KERNEL_MCS
static const cte_t *replies[MAX_OBJECTS]; /* slots of reply caps */
#endif
static uint32_t n_replies;
static bool objs_overflow;
static paddr_t bad_thread_cap,
    bad_zombie; /* a thread cap to a dead TCB, a TCB zombie of a live one */
static uint16_t irq_handlers[HAL_MAX_IRQ + 1];
static char *why_buf;
static size_t why_size;

static bool fail(const char *fmt, unsigned long a, unsigned long b, unsigned long c)
{
    if (why_buf != NULL && why_size > 0) {
        ksnprintf(why_buf, why_size, fmt, a, b, c);
    }
    return false;
}

static uint32_t hash(word_t key)
{
    return (uint32_t)(((key >> 3) * 0x9e3779b97f4a7c15ull) >> (64 - SET_BITS));
}

static uint32_t set_find(word_t key)
{
    for (uint32_t h = hash(key);; h = (h + 1) & (SET_SIZE - 1)) {
        if (set_gen[h] != gen) {
            return NONE;
        }
        if (set_key[h] == key) {
            return set_val[h];
        }
    }
}

/* Add key -> value; false if key is there already. */
static bool set_add(word_t key, uint32_t value)
{
    for (uint32_t h = hash(key);; h = (h + 1) & (SET_SIZE - 1)) {
        if (set_gen[h] != gen) {
            set_gen[h] = gen;
            set_key[h] = key;
            set_val[h] = value;
            return true;
        }
        if (set_key[h] == key) {
            return false;
        }
    }
}

static bool in_ram(paddr_t pa, word_t bits)
{
    return IS_ALIGNED(pa, bits) && hal_phys_is_ram(pa, BIT(bits));
}

/* The record of the live TCB at pa, or NULL. */
static struct tinfo *live(paddr_t pa)
{
    if (pa == 0 || !IS_ALIGNED(pa, seL4_TCBBits)) {
        return NULL;
    }
    uint32_t i = set_find(KEY_TCB(pa));
    return i == NONE ? NULL : &thr[i];
}

static struct tinfo *live_ptr(const struct tcb *t) { return t == NULL ? NULL : live(VTOP(t)); }

bool kernel_invariants_thread_is_live(paddr_t pa) { return live(pa) != NULL; }
uint32_t kernel_invariants_thread_count(void) { return n_thr; }
struct tcb *kernel_invariants_thread(uint32_t i) { return thr[i].t; }

bool inv_threads_begin(char *why, size_t why_len)
{
    why_buf = why;
    why_size = why_len;
    gen++;
    if (gen == 0) {
        for (uint32_t h = 0; h < SET_SIZE; h++) {
            set_gen[h] = 0;
        }
        gen = 1;
    }
    n_thr = 0;
    n_objs = 0;
    n_replies = 0;
    objs_overflow = false;
    bad_thread_cap = bad_zombie = 0;
    for (word_t irq = 0; irq <= HAL_MAX_IRQ; irq++) {
        irq_handlers[irq] = 0;
    }
    const struct tcb *prev = NULL;
    for (struct tcb *t = sched_debug_first_thread(); t != NULL; t = t->debug_next) {
        paddr_t pa = VTOP(t);
        if (!in_ram(pa, seL4_TCBBits)) {
            return fail("thread list: %lx (after %lx) is not a TCB object in RAM", pa,
                        prev ? VTOP(prev) : 0, 0);
        }
        if (t->debug_prev != prev) {
            return fail("thread list: TCB %lx has prev %lx, but follows %lx", pa,
                        t->debug_prev ? VTOP(t->debug_prev) : 0, prev ? VTOP(prev) : 0);
        }
        if (n_thr >= MAX_THREADS) {
            return fail("thread list: more than %lu threads for the checker's tables", MAX_THREADS,
                        0, 0);
        }
        if (!set_add(KEY_TCB(pa), n_thr)) {
            return fail("thread list: TCB %lx is on it twice (a cycle)", pa, 0, 0);
        }
        thr[n_thr++] = (struct tinfo){.t = t};
        prev = t;
    }
    return true;
}

/* ---- caps ---------------------------------------------------------------------------------- */

void inv_threads_note_cap(const cte_t *slot)
{
    cap_t cap = slot->cap;
    switch (cap_get_cap_type(cap)) {
    case cap_thread_cap: {
        struct tinfo *ti = live(cap_thread_cap_get_tcb(cap));
        if (ti != NULL) {
            ti->has_cap = true;
        } else {
            bad_thread_cap = cap_thread_cap_get_tcb(cap);
        }
        return;
    }
    case cap_zombie_cap:
        if (cap_zombie_cap_get_zombie_type(cap) == ZOMBIE_TYPE_TCB &&
            live(cap_zombie_cap_get_ptr(cap)) != NULL) {
            bad_zombie = cap_zombie_cap_get_ptr(cap);
        }
        return;
    case cap_endpoint_cap:
    case cap_notification_cap: {
        word_t key = cap_get_cap_type(cap) == cap_endpoint_cap
                         ? KEY_EP(cap_endpoint_cap_get_ptr(cap))
                         : KEY_NTFN(cap_notification_cap_get_ptr(cap));
        if (n_objs < MAX_OBJECTS) {
            objs[n_objs++] = key;
        } else {
            objs_overflow = true;
        }
        return;
    }
#ifdef CONFIG_KERNEL_MCS
    case cap_reply_cap: {
        /* MCS: the thread a reply object links (its caller or receiver) is reachable through it.
         * The reply objects' own invariants are the reply layer's (mcs-reply). */
        const struct reply *r = reply_from_paddr(cap_reply_cap_get_ptr(cap));
        inv_reply_note(r);
        struct tinfo *ti = r->tcb != NULL ? live(VTOP(r->tcb)) : NULL;
        if (ti != NULL && ti->reply_caps < UINT8_MAX) {
            ti->reply_caps++;
        }
        return;
    }
#else
    case cap_reply_cap:
        if (n_replies < MAX_OBJECTS) {
            replies[n_replies++] = slot;
        } else {
            objs_overflow = true;
        }
        if (!cap_reply_cap_get_is_master(cap)) {
            struct tinfo *ti = live(cap_reply_cap_get_tcb(cap));
            if (ti != NULL && ti->reply_caps < UINT8_MAX) {
                ti->reply_caps++;
            }
        }
        return;
#endif
    case cap_irq_handler_cap: {
        word_t irq = cap_irq_handler_cap_get_irq(cap);
        if (irq <= HAL_MAX_IRQ && irq_handlers[irq] < UINT16_MAX) {
            irq_handlers[irq]++;
        }
        return;
    }
    default:
        return;
    }
}

#ifndef CONFIG_KERNEL_MCS
/* A reply cap found in slot (pa slot_pa) names a live thread and sits where it may. */
static bool check_reply_cap(const cte_t *slot)
{
    cap_t cap = slot->cap;
    paddr_t target = cap_reply_cap_get_tcb(cap);
    struct tinfo *ti = live(target);
    if (ti == NULL) {
        return fail("reply cap in slot %lx names %lx, not a live TCB", VTOP(slot), target, 0);
    }
    struct tcb *t = ti->t;
    if (cap_reply_cap_get_is_master(cap)) {
        if (slot != &t->ctes[TCB_REPLY]) {
            return fail("master reply cap of TCB %lx sits in slot %lx, not in its own Reply slot",
                        target, VTOP(slot), 0);
        }
        return true;
    }
    if (thread_state_type(t) != ThreadState_BlockedOnReply) {
        return fail(
            "reply cap in slot %lx names TCB %lx, which is not blocked on reply (state %lu)",
            VTOP(slot), target, thread_state_type(t));
    }
    if (ti->reply_caps > 1) {
        return fail("TCB %lx is named by %lu one-shot reply caps (at most one)", target,
                    ti->reply_caps, 0);
    }
    if (mdb_node_get_next(t->ctes[TCB_REPLY].mdb) != VTOP(slot)) {
        return fail("reply cap in slot %lx to TCB %lx is not its master reply cap's child "
                    "(master's next is %lx)",
                    VTOP(slot), target, mdb_node_get_next(t->ctes[TCB_REPLY].mdb));
    }
    return true;
}
#endif

/* ---- endpoint and notification queues ------------------------------------------------------ */

/* Walk the queue of the endpoint or notification with key (once per check): the state says
 * whether it is empty and who waits; each waiter is a live thread blocked on this object in the
 * matching state, the links run both ways, the tail is the last one. */
static bool walk_ipc_queue(word_t key)
{
    if (!set_add(key, 0)) {
        return true;
    }
    bool is_ep = (key & 3) == 1;
    paddr_t obj = key & ~(word_t)3;
    if (!in_ram(obj, is_ep ? seL4_EndpointBits : seL4_NotificationBits)) {
        return fail("%s %lx is not an object in RAM",
                    (unsigned long)(is_ep ? "endpoint" : "notification"), obj, 0);
    }
    paddr_t head, tail, bound = 0;
    word_t state, want;
    if (is_ep) {
        const endpoint_t *ep = PTOV(endpoint_t, obj);
        head = endpoint_get_queue_head(*ep);
        tail = endpoint_get_queue_tail(*ep);
        state = endpoint_get_state(*ep);
        want = state == EP_SEND ? ThreadState_BlockedOnSend : ThreadState_BlockedOnReceive;
        if (state > EP_RECV) {
            return fail("endpoint %lx has invalid state %lu", obj, state, 0);
        }
    } else {
        const notification_t *n = PTOV(notification_t, obj);
        head = notification_get_queue_head(*n);
        tail = notification_get_queue_tail(*n);
        state = notification_get_state(*n);
        bound = notification_get_bound_tcb(*n);
        want = ThreadState_BlockedOnNotification;
        if (state > NTFN_ACTIVE) {
            return fail("notification %lx has invalid state %lu", obj, state, 0);
        }
        if (bound != 0) {
            struct tinfo *b = live(bound);
            if (b == NULL) {
                return fail("notification %lx is bound to %lx, not a live TCB", obj, bound, 0);
            }
            if (b->t->bound_notification != obj) {
                return fail("notification %lx is bound to TCB %lx, whose bound notification is %lx",
                            obj, bound, b->t->bound_notification);
            }
        }
    }
    bool queue_state = is_ep ? state != EP_IDLE : state == NTFN_WAITING;
    if (!queue_state) {
        if (head != 0 || tail != 0) {
            return fail("%s %lx is not waiting yet has queue head %lx",
                        (unsigned long)(is_ep ? "endpoint" : "notification"), obj, head);
        }
        return true;
    }
    if (head == 0) {
        return fail("%s %lx is in a waiting state with an empty queue",
                    (unsigned long)(is_ep ? "endpoint" : "notification"), obj, 0);
    }
    const struct tcb *prev = NULL;
    for (paddr_t pa = head; pa != 0;) {
        struct tinfo *ti = live(pa);
        if (ti == NULL) {
            return fail("queue of %lx holds %lx (after %lx), not a live TCB", obj, pa,
                        prev ? VTOP(prev) : 0);
        }
        const struct tcb *t = ti->t;
        if (t->ep_prev != prev) {
            return fail("queue of %lx: TCB %lx has prev %lx", obj, pa,
                        t->ep_prev ? VTOP(t->ep_prev) : 0);
        }
        if (thread_state_type(t) != want || thread_state_get_blocking_object(t->state) != obj) {
            return fail("queue of %lx holds TCB %lx, whose state %lu does not wait on it", obj, pa,
                        thread_state_type(t));
        }
        if (want == ThreadState_BlockedOnReceive &&
            thread_state_get_blocking_ipc_badge(t->state) != 0) {
            return fail("receiver TCB %lx on endpoint %lx carries badge %lx", pa, obj,
                        thread_state_get_blocking_ipc_badge(t->state));
        }
        if (bound != 0 && pa != bound) {
            return fail("notification %lx is bound to %lx but TCB %lx waits on it", obj, bound, pa);
        }
        if (++ti->in_ipc > 1) {
            return fail("TCB %lx is in the queue of %lx twice (a cycle)", pa, obj, 0);
        }
        prev = t;
        pa = t->ep_next ? VTOP(t->ep_next) : 0;
    }
    if (tail != VTOP(prev)) {
        return fail("queue of %lx ends at TCB %lx but its tail is %lx", obj, VTOP(prev), tail);
    }
    return true;
}

/* ---- ready queues -------------------------------------------------------------------------- */

/* Walk the ready queue (dom, prio): live queued runnable threads of that priority and domain,
 * links both ways, the tail the last one, each thread once. */
static bool walk_ready_queue(word_t dom, word_t prio, const struct sched_ready_queue *q)
{
    const struct tcb *prev = NULL;
    for (struct tcb *t = q->head; t != NULL; t = t->sched_next) {
        struct tinfo *ti = live_ptr(t);
        if (ti == NULL) {
            return fail("ready queue (domain %lu, priority %lu) holds %lx, not a live TCB", dom,
                        prio, VTOP(t));
        }
        if (!t->sched_queued || !thread_state_runnable(thread_state_type(t)) ||
            t->priority != prio || (CONFIG_NUM_DOMAINS > 1 && t->domain != dom)) {
            return fail("ready queue (domain %lu, priority %lu) holds TCB %lx, which is not a "
                        "queued runnable "
                        "thread of that priority and domain",
                        dom, prio, VTOP(t));
        }
        if (t->sched_prev != prev) {
            return fail("ready queue (priority %lu): TCB %lx has prev %lx", prio, VTOP(t),
                        t->sched_prev ? VTOP(t->sched_prev) : 0);
        }
        if (++ti->in_ready > 1) {
            return fail("TCB %lx is in the ready queues twice (a cycle)", VTOP(t), 0, 0);
        }
        prev = t;
    }
    if (q->tail != prev) {
        return fail("ready queue (priority %lu) ends at TCB %lx but its tail is %lx", prio,
                    prev ? VTOP(prev) : 0, q->tail ? VTOP(q->tail) : 0);
    }
    return true;
}

/* The bitmaps against the queues. full: every queue (an empty one must have no head or tail);
 * quick: the non-empty ones the bitmap names (a thread in a queue the bitmap forgot is still
 * found: it is marked queued but not reached). */
static bool check_ready_queues(bool full)
{
    for (word_t dom = 0; dom < CONFIG_NUM_DOMAINS; dom++) {
        const struct sched_ready_queue *queues = sched_debug_queues(dom);
        word_t l1 = *sched_debug_bitmap_l1(dom);
        if (SCHED_L2_WORDS < 64 && (l1 >> SCHED_L2_WORDS) != 0) {
            return fail("domain %lu: level-1 bitmap %lx has bits past the level-2 words", dom, l1,
                        0);
        }
        for (word_t w = 0; w < SCHED_L2_WORDS; w++) {
            word_t l2 = *sched_debug_bitmap_l2(dom, w);
            if (((l1 >> w) & 1) != (l2 != 0)) {
                return fail("domain %lu: level-1 bitmap bit %lu disagrees with level-2 word %lx",
                            dom, w, l2);
            }
            word_t todo = full ? ~(word_t)0 : l2;
            while (todo != 0) {
                word_t b = (word_t)__builtin_ctzll(todo);
                todo &= todo - 1;
                word_t prio = w * 64 + b;
                if (prio >= CONFIG_NUM_PRIORITIES) {
                    break;
                }
                const struct sched_ready_queue *q = &queues[prio];
                if (((l2 >> b) & 1) != (q->head != NULL) ||
                    (q->head == NULL) != (q->tail == NULL)) {
                    return fail("ready queue (domain %lu, priority %lu): bitmap bit %lu but "
                                "head/tail disagree",
                                dom, prio, (l2 >> b) & 1);
                }
                if (q->head != NULL && !walk_ready_queue(dom, prio, q)) {
                    return false;
                }
            }
        }
    }
    return true;
}

/* ---- each thread --------------------------------------------------------------------------- */

static bool check_thread(struct tinfo *ti)
{
    const struct tcb *t = ti->t;
    paddr_t pa = VTOP(t);
    word_t ts = thread_state_type(t);
    if (ts > ThreadState_BlockedOnNotification) {
        return fail("TCB %lx has thread state %lu (only the idle thread idles)", pa, ts, 0);
    }
    if (t->priority >= CONFIG_NUM_PRIORITIES || t->mcp >= CONFIG_NUM_PRIORITIES ||
        t->domain >= CONFIG_NUM_DOMAINS) {
        return fail("TCB %lx has priority %lu, MCP %lu or domain out of range", pa, t->priority,
                    t->mcp);
    }
    if (t->sched_queued && !thread_state_runnable(ts)) {
        return fail("TCB %lx is marked queued but its state %lu is not runnable", pa, ts, 0);
    }
    if (ts == ThreadState_BlockedOnSend || ts == ThreadState_BlockedOnReceive) {
        if (!walk_ipc_queue(KEY_EP(thread_state_get_blocking_object(t->state)))) {
            return false;
        }
    } else if (ts == ThreadState_BlockedOnNotification) {
        if (!walk_ipc_queue(KEY_NTFN(thread_state_get_blocking_object(t->state)))) {
            return false;
        }
    } else if (t->ep_next != NULL || t->ep_prev != NULL) {
        return fail("TCB %lx is not blocked on an object yet has queue links %lx %lx", pa,
                    t->ep_next ? VTOP(t->ep_next) : 0, t->ep_prev ? VTOP(t->ep_prev) : 0);
    }
    if (t->bound_notification != 0) {
        if (!walk_ipc_queue(KEY_NTFN(t->bound_notification))) {
            return false;
        }
        if (notification_get_bound_tcb(*PTOV(notification_t, t->bound_notification)) != pa) {
            return fail("TCB %lx is bound to notification %lx, which is bound to %lx", pa,
                        t->bound_notification,
                        notification_get_bound_tcb(*PTOV(notification_t, t->bound_notification)));
        }
    }
#ifndef CONFIG_KERNEL_MCS
    /* The Reply slot holds its own master reply cap or nothing; the Caller slot a one-shot reply
     * cap to another thread or nothing. */
    cap_t master = t->ctes[TCB_REPLY].cap;
    if (cap_get_cap_type(master) != cap_null_cap &&
        (cap_get_cap_type(master) != cap_reply_cap || !cap_reply_cap_get_is_master(master) ||
         cap_reply_cap_get_tcb(master) != pa)) {
        return fail("TCB %lx: its Reply slot holds a %s cap that is not its own master reply cap",
                    pa, (unsigned long)cap_type_name(cap_get_cap_type(master)), 0);
    }
    const cte_t *caller = &t->ctes[TCB_CALLER];
    if (cap_get_cap_type(caller->cap) != cap_null_cap) {
        if (cap_get_cap_type(caller->cap) != cap_reply_cap ||
            cap_reply_cap_get_is_master(caller->cap) || cap_reply_cap_get_tcb(caller->cap) == pa) {
            return fail("TCB %lx: its Caller slot holds a %s cap that is not a one-shot reply cap "
                        "to another thread",
                        pa, (unsigned long)cap_type_name(cap_get_cap_type(caller->cap)), 0);
        }
        if (!check_reply_cap(caller)) {
            return false;
        }
    }
#endif
    return true;
}

/* Must t be in a ready queue unless it is current or the scheduler's choice? Base: runnable. MCS:
 * schedulable (a runnable thread without an active, released SC waits elsewhere: passive, or in
 * the release queue; invariants_mcs.c checks those). */
static bool thread_should_be_ready(const struct tcb *t)
{
#ifdef CONFIG_KERNEL_MCS
    return sched_is_schedulable(t);
#else
    return thread_state_runnable(thread_state_type(t));
#endif
}

static bool check_current_and_action(void)
{
    struct tcb *idle = sched_idle_thread(), *cur = ks.cur_thread, *action = ks.sched_action;
    if (thread_state_type(idle) != ThreadState_IdleThreadState || idle->sched_queued) {
        return fail("the idle thread has state %lu, queued %lu", thread_state_type(idle),
                    idle->sched_queued, 0);
    }
    if (cur != idle && live_ptr(cur) == NULL) {
        return fail("the current thread %lx is neither the idle thread nor a live TCB", VTOP(cur),
                    0, 0);
    }
    if (action != SCHED_RESUME_CURRENT && action != SCHED_CHOOSE_NEW) {
        if (live_ptr(action) == NULL) {
            return fail("the scheduler action names %lx, not a live TCB", VTOP(action), 0, 0);
        }
        if (!thread_state_runnable(thread_state_type(action)) || action->sched_queued) {
            return fail("the scheduler action names TCB %lx, which is not a runnable unqueued "
                        "thread (state %lu)",
                        VTOP(action), thread_state_type(action), 0);
        }
    }
    if (action == SCHED_RESUME_CURRENT && cur != idle &&
        (!thread_state_runnable(thread_state_type(cur)) || cur->sched_queued)) {
        return fail(
            "the current thread %lx keeps running but is not runnable or is queued (state %lu)",
            VTOP(cur), thread_state_type(cur), 0);
    }
    for (uint32_t i = 0; i < n_thr; i++) {
        struct tcb *t = thr[i].t;
        if (t->sched_queued && thr[i].in_ready != 1) {
            return fail("TCB %lx is marked queued but is not in its ready queue", VTOP(t), 0, 0);
        }
        if (thread_should_be_ready(t) && t != cur && t != action && thr[i].in_ready != 1) {
            return fail("TCB %lx is runnable but in no ready queue, and neither the current thread "
                        "%lx nor the "
                        "scheduler's choice %lx",
                        VTOP(t), cur ? VTOP(cur) : 0, (unsigned long)(uintptr_t)action);
        }
    }
    return true;
}

/* ---- with every cap: reachability, reply caps, IRQs ---------------------------------------- */

static bool check_caps(void)
{
    if (objs_overflow) {
        return fail("more than %lu endpoint and notification caps for the checker's tables",
                    MAX_OBJECTS, 0, 0);
    }
    if (bad_thread_cap != 0) {
        return fail("a thread cap names %lx, not a live TCB (not on the scheduler's list)",
                    bad_thread_cap, 0, 0);
    }
    if (bad_zombie != 0) {
        return fail("a TCB zombie names %lx, which is still on the scheduler's list", bad_zombie, 0,
                    0);
    }
    for (uint32_t i = 0; i < n_objs; i++) {
        set_add(KEY_NAMED(objs[i]), 0);
        if (!walk_ipc_queue(objs[i])) {
            return false;
        }
    }
#ifndef CONFIG_KERNEL_MCS
    for (uint32_t i = 0; i < n_replies; i++) {
        if (!check_reply_cap(replies[i])) {
            return false;
        }
    }
#endif
    struct tcb *cur = ks.cur_thread, *action = ks.sched_action;
    for (uint32_t i = 0; i < n_thr; i++) {
        const struct tinfo *ti = &thr[i];
        if (!ti->has_cap && ti->in_ready == 0 && ti->in_ipc == 0 && ti->reply_caps == 0 &&
            ti->t != cur && ti->t != action) {
            return fail(
                "TCB %lx is unreachable: no cap, queue, reply cap or the current slot names it",
                VTOP(ti->t), 0, 0);
        }
#ifdef CONFIG_KERNEL_MCS
        if (ti->t->reply != NULL && ti->reply_caps == 0) {
            return fail("TCB %lx holds reply object %lx, which no reply cap names", VTOP(ti->t),
                        VTOP(ti->t->reply), 0);
        }
#endif
        if (ti->t->bound_notification != 0 &&
            set_find(KEY_NAMED(KEY_NTFN(ti->t->bound_notification))) == NONE) {
            return fail("TCB %lx is bound to notification %lx, which no cap names", VTOP(ti->t),
                        ti->t->bound_notification, 0);
        }
    }
    for (word_t irq = 0; irq <= HAL_MAX_IRQ; irq++) {
        bool signal = ks.irq_state[irq] == IRQ_SIGNAL;
        if (ks.irq_state[irq] > IRQ_SIGNAL) {
            return fail("IRQ %lu has invalid state %lu", irq, ks.irq_state[irq], 0);
        }
        if (signal != (irq_handlers[irq] > 0)) {
            return fail("IRQ %lu is in state %lu but %lu IRQHandler caps name it", irq,
                        ks.irq_state[irq], irq_handlers[irq]);
        }
        if (irq == HAL_TIMER_IRQ && signal) {
            return fail("IRQ %lu is the kernel's timer, yet it was issued", irq, 0, 0);
        }
    }
    return true;
}

/* The IRQ node (seL4's intStateIRQNode): slot irq holds nothing, or the notification cap an
 * issued line signals. Its caps are caps like any other: the full check finds them by scanning the
 * node (invariants.c) and checks their place in the derivation tree. */
static bool check_irq_table(void)
{
    if (ks.irq_node == NULL) {
        return fail("no IRQ node (ks.irq_node)", 0, 0, 0);
    }
    for (word_t irq = 0; irq <= HAL_MAX_IRQ; irq++) {
        cap_t n = ks.irq_node[irq].cap;
        word_t type = cap_get_cap_type(n);
        if (type == cap_null_cap) {
            continue;
        }
        if (type != cap_notification_cap || ks.irq_state[irq] != IRQ_SIGNAL) {
            return fail("IRQ %lu (state %lu): its IRQ-node slot holds a %s cap", irq,
                        ks.irq_state[irq], (unsigned long)cap_type_name(type));
        }
        if (!walk_ipc_queue(KEY_NTFN(cap_notification_cap_get_ptr(n)))) {
            return false;
        }
    }
    return true;
}

bool inv_threads_check(bool full, char *why, size_t why_len)
{
    why_buf = why;
    why_size = why_len;
    if (!check_ready_queues(full)) {
        return false;
    }
    for (uint32_t i = 0; i < n_thr; i++) {
        if (!check_thread(&thr[i])) {
            return false;
        }
    }
    for (uint32_t i = 0; i < n_thr; i++) {
        word_t ts = thread_state_type(thr[i].t);
        bool blocked = ts == ThreadState_BlockedOnSend || ts == ThreadState_BlockedOnReceive ||
                       ts == ThreadState_BlockedOnNotification;
        if (thr[i].in_ipc != (blocked ? 1 : 0)) {
            return fail("TCB %lx is blocked on %lx (state %lu) but not in that object's queue",
                        VTOP(thr[i].t), thread_state_get_blocking_object(thr[i].t->state), ts);
        }
    }
#ifdef CONFIG_KERNEL_MCS
    if (!inv_reply_check(full, why, why_len)) {
        return false;
    }
#endif
    if (!check_current_and_action() || !check_irq_table() || (full && !check_caps())) {
        return false;
    }
    return hal_invariants_hold(why, why_len);
}

#endif
