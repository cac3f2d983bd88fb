/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: the non-MCS scheduler as user code sees it: the highest priority ready thread runs,
 * a higher priority thread preempts at once when it becomes ready, equal priorities take turns on
 * Yield, a time slice ends by the timer (aarch64), priority changes take effect immediately. */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define PRIO CONF_THREAD_PRIO

/* A log shared by the threads of a case. */
struct log {
    volatile seL4_Word n;
    volatile seL4_Word ids[32];
};
static void log_add(struct log *l, seL4_Word id)
{
    if (l->n < 32) {
        l->ids[l->n] = id;
    }
    l->n++;
}

static void set_root_prio(seL4_Word prio)
{
    (void)sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio);
}

static void logger(struct conf_thread *t)
{
    struct log *l = (struct log *)(uintptr_t)t->arg[0];
    log_add(l, t->arg[1]);
}

/* Resuming a higher priority thread switches to it before Resume returns. */
static void resumer(struct conf_thread *t)
{
    struct log *l = (struct log *)(uintptr_t)t->arg[0];
    log_add(l, 1);
    (void)sys_tcb_resume(t->arg[2]);
    log_add(l, 3);
}

static void case_higher_priority_preempts(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct log l = {0};
    struct conf_thread lo, hi;
    conf_thread_make(env, &lo, resumer, PRIO, 0);
    conf_thread_make(env, &hi, logger, PRIO + 50, 0);
    CONF_CHECK(!conf_failed());
    lo.arg[0] = hi.arg[0] = (seL4_Word)(uintptr_t)&l;
    hi.arg[1] = 2;
    lo.arg[2] = hi.tcb;
    /* hi is configured but stopped; lo resumes it. */
    seL4_UserContext c = {0};
    c.pc = (seL4_Word)(uintptr_t)conf_thread_entry;
    c.sp = hi.stack_top;
    c.x0 = (seL4_Word)(uintptr_t)&hi;
    CONF_OK(sys_tcb_write_registers(hi.tcb, 0, 0, 4, &c));
    conf_thread_start(&lo);
    conf_thread_join(&lo);
    conf_thread_join(&hi);
    CONF_EQ(l.n, 3);
    CONF_EQ(l.ids[0], 1);
    CONF_EQ(l.ids[1], 2);
    CONF_EQ(l.ids[2], 3);
}

/* Ready threads run highest priority first. A thread made ready by Resume (or WriteRegisters with
 * resume) goes to the head of its priority's queue, as seL4's tcbSchedEnqueue puts it: of two
 * started at one priority the later runs first. */
static void case_priority_order(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct log l = {0};
    struct conf_thread t[4];
    static const seL4_Word prios[4] = {PRIO, PRIO + 20, PRIO, PRIO + 10};
    for (unsigned i = 0; i < 4; i++) {
        conf_thread_make(env, &t[i], logger, prios[i], 0);
        CONF_CHECK(!conf_failed());
        t[i].arg[0] = (seL4_Word)(uintptr_t)&l;
        t[i].arg[1] = i;
        conf_thread_start(&t[i]);
    }
    CONF_EQ(l.n, 0); /* the root (255) still runs */
    set_root_prio(PRIO - 1);
    set_root_prio(255);
    CONF_EQ(l.n, 4);
    CONF_EQ(l.ids[0], 1);
    CONF_EQ(l.ids[1], 3);
    CONF_EQ(l.ids[2], 2);
    CONF_EQ(l.ids[3], 0);
}

/* Equal priorities take turns on Yield (to the tail of the queue). b, started last, is first. */
static void yielder(struct conf_thread *t)
{
    struct log *l = (struct log *)(uintptr_t)t->arg[0];
    for (int i = 0; i < 3; i++) {
        log_add(l, t->arg[1]);
        sys_yield();
    }
}

static void case_yield_round_robin(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct log l = {0};
    struct conf_thread a, b;
    conf_thread_make(env, &a, yielder, PRIO, 0);
    conf_thread_make(env, &b, yielder, PRIO, 0);
    CONF_CHECK(!conf_failed());
    a.arg[0] = b.arg[0] = (seL4_Word)(uintptr_t)&l;
    a.arg[1] = 0xa;
    b.arg[1] = 0xb;
    conf_thread_start(&a);
    conf_thread_start(&b);
    conf_thread_join(&a);
    conf_thread_join(&b);
    CONF_EQ(l.n, 6);
    for (unsigned i = 0; i < 6; i++) {
        CONF_EQ(l.ids[i], i % 2 ? 0xa : 0xb);
    }
}

/* Yield with only lower priority threads ready returns at once. */
static void case_yield_keeps_highest(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct log l = {0};
    struct conf_thread t;
    conf_thread_make(env, &t, logger, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = (seL4_Word)(uintptr_t)&l;
    conf_thread_start(&t);
    sys_yield();
    sys_yield();
    CONF_EQ(l.n, 0);
    conf_thread_join(&t);
    CONF_EQ(l.n, 1);
}

/* Lowering its own priority below a ready thread hands over at once; raising a ready thread above
 * the caller does too. */
static void case_set_priority_takes_effect(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct log l = {0};
    struct conf_thread a, b;
    conf_thread_make(env, &a, logger, PRIO, 0);
    conf_thread_make(env, &b, logger, PRIO, 0);
    CONF_CHECK(!conf_failed());
    a.arg[0] = b.arg[0] = (seL4_Word)(uintptr_t)&l;
    a.arg[1] = 0xa;
    b.arg[1] = 0xb;
    conf_thread_start(&a);
    conf_thread_start(&b);
    CONF_OK(sys_tcb_set_priority(b.tcb, seL4_CapInitThreadTCB, 255));
    /* b at the root's priority is queued behind it: it has not run. */
    CONF_EQ(l.n, 0);
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO + 1));
    CONF_EQ(l.n, 1); /* b ran (and finished) */
    CONF_EQ(l.ids[0], 0xb);
    set_root_prio(PRIO - 1);
    CONF_EQ(l.n, 2);
    CONF_EQ(l.ids[1], 0xa);
}

/* Two equal-priority threads that never yield: the timer ends the first one's time slice. */
#if defined(KAAL_ARCH_AARCH64)
static void spinner(struct conf_thread *t)
{
    volatile seL4_Word *other = (volatile seL4_Word *)(uintptr_t)t->arg[0];
    t->out[0] = 1;
    while (*other == 0) {
        t->out[1]++;
    }
}
#endif

static void case_timer_preemption(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP("hostsim user mode has no timer: virtual time passes only when no thread can run");
#else
    struct conf_thread a, b;
    conf_thread_make(env, &a, spinner, PRIO, 0);
    conf_thread_make(env, &b, spinner, PRIO, 0);
    CONF_CHECK(!conf_failed());
    a.arg[0] = (seL4_Word)(uintptr_t)&b.out[0];
    b.arg[0] = (seL4_Word)(uintptr_t)&a.out[0];
    conf_thread_start(&a);
    conf_thread_start(&b);
    conf_thread_join(&a);
    conf_thread_join(&b);
    CONF_EQ(a.out[0], 1);
    CONF_EQ(b.out[0], 1);
    /* The one that ran first (b: started last, it went to the head of the queue) spun until
     * the timer ended its time slice; then a ran and let it finish. */
    CONF_CHECK(b.out[1] > 0);
#endif
}

/* A thread blocked or suspended is not scheduled whatever its priority. */
static void waiter(struct conf_thread *t)
{
    struct log *l = (struct log *)(uintptr_t)t->arg[0];
    sys_wait(t->arg[2], NULL);
    log_add(l, t->arg[1]);
}

static void case_blocked_not_scheduled(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct log l = {0};
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    struct conf_thread hi, lo;
    conf_thread_make(env, &hi, waiter, 254, 0);
    conf_thread_make(env, &lo, logger, PRIO, 0);
    CONF_CHECK(!conf_failed());
    hi.arg[0] = lo.arg[0] = (seL4_Word)(uintptr_t)&l;
    hi.arg[1] = 0x1;
    hi.arg[2] = n;
    lo.arg[1] = 0x2;
    conf_thread_start(&hi);
    conf_thread_start(&lo);
    set_root_prio(PRIO - 1); /* hi runs and blocks, lo runs */
    set_root_prio(255);
    CONF_EQ(l.n, 1);
    CONF_EQ(l.ids[0], 0x2);
    sys_signal(n); /* hi (254) is below the root: it waits */
    CONF_EQ(l.n, 1);
    conf_thread_join(&hi);
    CONF_EQ(l.n, 2);
}

static const struct conf_case cases[] = {
    CONF_CASE(higher_priority_preempts),  CONF_CASE(priority_order),
    CONF_CASE(yield_round_robin),         CONF_CASE(yield_keeps_highest),
    CONF_CASE(set_priority_takes_effect), CONF_CASE(timer_preemption),
    CONF_CASE(blocked_not_scheduled),
};
const struct conf_area conf_area_sched = CONF_AREA("sched", cases);
