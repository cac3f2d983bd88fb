/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: notifications (docs/abi.md#how-each-call-uses-the-registers,
 * #invocation-semantics): badges OR into the word, Wait
 * and Poll take and clear it, waiters are woken one per signal in FIFO order, bind errors, and
 * user-level synchronisation built on them (a mutex and a ping-pong handoff between threads). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define PRIO CONF_THREAD_PRIO

static seL4_CPtr mint(struct conf_env *env, seL4_CPtr cap, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr s = conf_slot(env);
    seL4_Error err = sys_cnode_mint(ROOT, s, DEPTH, ROOT, cap, DEPTH, rights, badge);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "mint", (seL4_Word)err, 0, 1);
    }
    return s;
}

static void case_badges_accumulate(struct conf_env *env)
{
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr a = mint(env, n, seL4_CanWrite, 0x1), b = mint(env, n, seL4_CanWrite, 0x4);
    seL4_CPtr c = mint(env, n, seL4_CanWrite, 0x8000000000000000ull);
    seL4_Word word = 9;
    (void)sys_poll(n, &word);
    CONF_EQ(word, 0);
    sys_signal(a);
    sys_signal(b);
    sys_signal(a);
    sys_signal(c);
    (void)sys_poll(n, &word);
    CONF_EQ(word, 0x8000000000000005ull);
    (void)sys_poll(n, &word);
    CONF_EQ(word, 0);
    sys_signal(b);
    sys_wait(n, &word); /* pending: does not block */
    CONF_EQ(word, 0x4);
    /* An unbadged cap signals with badge 0: the word stays 0, but the signal is pending all the
     * same, so Wait returns at once (with 0). */
    sys_signal(n);
    word = 7;
    sys_wait(n, &word);
    CONF_EQ(word, 0);
}

static void waiter(struct conf_thread *t)
{
    seL4_Word word = 0;
    sys_wait(t->arg[0], &word);
    t->out[0] = word;
    t->out[1] = 1;
}

static void case_wait_blocks_until_signal(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, waiter, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = n;
    conf_thread_start(&t);
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO - 1));
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    CONF_EQ(t.out[1], 0); /* waiting */
    seL4_CPtr b = mint(env, n, seL4_CanWrite, 0x20);
    sys_signal(b);
    conf_thread_join(&t);
    CONF_EQ(t.out[0], 0x20);
}

/* One signal wakes one waiter, the first that waited. */
static void case_waiters_fifo(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    struct conf_thread t[3];
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_make(env, &t[i], waiter, PRIO, 0);
        CONF_CHECK(!conf_failed());
        t[i].arg[0] = n;
    }
    static const unsigned order[3] = {1, 2, 0};
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_start(&t[order[i]]);
        CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO - 1));
        CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    }
    for (unsigned i = 0; i < 3; i++) {
        seL4_CPtr b = mint(env, n, seL4_CanWrite, 1ull << i);
        sys_signal(b);
        conf_thread_join(&t[order[i]]);
        CONF_EQ(t[order[i]].out[0], 1ull << i);
        for (unsigned j = i + 1; j < 3; j++) {
            CONF_EQ(t[order[j]].out[1], 0);
        }
    }
}

static void case_bind_errors(struct conf_env *env)
{
    seL4_CPtr t1 = conf_alloc(env, seL4_TCBObject, 0), t2 = conf_alloc(env, seL4_TCBObject, 0);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0),
              n2 = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr no_read = mint(env, n2, seL4_CanWrite, 0);
    CONF_ERR(sys_tcb_unbind_notification(t1), seL4_IllegalOperation);
    CONF_ERR(sys_tcb_bind_notification(t1, ep), seL4_IllegalOperation);
    CONF_ERR(sys_tcb_bind_notification(t1, no_read), seL4_IllegalOperation);
    CONF_OK(sys_tcb_bind_notification(t1, n));
    CONF_ERR(sys_tcb_bind_notification(t1, n2), seL4_IllegalOperation); /* t1 is bound */
    CONF_ERR(sys_tcb_bind_notification(t2, n), seL4_IllegalOperation);  /* n is bound */
    CONF_OK(sys_tcb_unbind_notification(t1));
    CONF_OK(sys_tcb_bind_notification(t2, n));
    seL4_Word none[1] = {0};
    CONF_EQ(conf_raw_call(t1, TCBBindNotification, 0, 0, none), seL4_TruncatedMessage);
}

/* A notification with a thread waiting on it cannot be bound. */
static void case_bind_with_waiter(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0),
              other = conf_alloc(env, seL4_TCBObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, waiter, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = n;
    conf_thread_start(&t);
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO - 1));
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    CONF_ERR(sys_tcb_bind_notification(other, n), seL4_IllegalOperation);
    sys_signal(n);
    conf_thread_join(&t);
    CONF_OK(sys_tcb_bind_notification(other, n));
}

/* --- a mutex from a notification: one pending signal = unlocked --- */
struct mutex_test {
    seL4_CPtr lock;
    volatile seL4_Word counter, inside, violations;
};

static void mutex_worker(struct conf_thread *t)
{
    struct mutex_test *m = (struct mutex_test *)(uintptr_t)t->arg[0];
    for (int i = 0; i < 20; i++) {
        sys_wait(m->lock, NULL); /* lock */
        if (m->inside++ != 0) {
            m->violations++;
        }
        seL4_Word v = m->counter;
        sys_yield(); /* let the others try while holding it */
        m->counter = v + 1;
        m->inside--;
        sys_signal(m->lock); /* unlock */
        sys_yield();
    }
}

static void case_mutex_between_threads(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct mutex_test m = {0};
    m.lock = conf_alloc(env, seL4_NotificationObject, 0);
    CONF_CHECK(!conf_failed());
    sys_signal(m.lock);
    struct conf_thread t[3];
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_make(env, &t[i], mutex_worker, PRIO, 0);
        CONF_CHECK(!conf_failed());
        t[i].arg[0] = (seL4_Word)(uintptr_t)&m;
        conf_thread_start(&t[i]);
    }
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_join(&t[i]);
    }
    CONF_EQ(m.violations, 0);
    CONF_EQ(m.counter, 60);
}

/* --- a strict handoff: two threads alternate through two notifications --- */
struct pingpong {
    seL4_CPtr ping, pong;
    volatile seL4_Word n;
    volatile seL4_Word seq[20];
};

static void player(struct conf_thread *t)
{
    struct pingpong *p = (struct pingpong *)(uintptr_t)t->arg[0];
    seL4_CPtr mine = t->arg[1] ? p->pong : p->ping, theirs = t->arg[1] ? p->ping : p->pong;
    for (int i = 0; i < 10; i++) {
        sys_wait(mine, NULL);
        p->seq[p->n++] = t->arg[1];
        sys_signal(theirs);
    }
}

static void case_handoff_between_threads(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct pingpong p = {0};
    p.ping = conf_alloc(env, seL4_NotificationObject, 0);
    p.pong = conf_alloc(env, seL4_NotificationObject, 0);
    struct conf_thread a, b;
    conf_thread_make(env, &a, player, PRIO, 0);
    conf_thread_make(env, &b, player, PRIO + 1, 0);
    CONF_CHECK(!conf_failed());
    a.arg[0] = b.arg[0] = (seL4_Word)(uintptr_t)&p;
    a.arg[1] = 0;
    b.arg[1] = 1;
    conf_thread_start(&b);
    conf_thread_start(&a);
    sys_signal(p.ping);
    conf_thread_join(&a);
    conf_thread_join(&b);
    CONF_EQ(p.n, 20);
    for (unsigned i = 0; i < 20; i++) {
        CONF_EQ(p.seq[i], i % 2);
    }
}

static const struct conf_case cases[] = {
    CONF_CASE(badges_accumulate),
    CONF_CASE(wait_blocks_until_signal),
    CONF_CASE(waiters_fifo),
    CONF_CASE(bind_errors),
    CONF_CASE(bind_with_waiter),
    CONF_CASE(mutex_between_threads),
    CONF_CASE(handoff_between_threads),
};
const struct conf_area conf_area_ntfn = CONF_AREA("ntfn", cases);
