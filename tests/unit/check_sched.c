/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler on the puppet harness: who runs after each step. Preemption by priority, equal
 * priorities behind the current thread, Yield and time-slice round robin, the idle thread,
 * priority changes of running threads, and the debug dump. */
#include "threads_support.h"

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
}

static uint64_t root(void) { return hostsim_root_thread(); }
static uint64_t current(void) { return hostsim_current_thread(); }

/* ---- sched_possible_switch_to (through Resume) ---- */

START_TEST(test_higher_priority_preempts)
{
    make_thread(E0, 0);
    OK(set_priority(E0, ROOT_TCB, 255)); /* equal to the root: no preemption */
    OK(resume(E0));
    ck_assert_uint_eq(current(), root());
    OK(suspend(E0));

    /* Root at 200, the thread at 201: resuming it switches at once, the root waits ready. */
    OK(set_priority(ROOT_TCB, ROOT_TCB, 200));
    OK(set_priority(E0, ROOT_TCB, 201));
    struct ktest_reply r = resume(E0);
    ck_assert_int_eq(r.status, HOSTSIM_OK); /* the root's call completed before the switch */
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(current(), handle_at(E0));
    ck_assert_uint_eq(hostsim_thread_state(handle_at(E0)), ThreadState_Running);
    ck_assert_uint_eq(hostsim_thread_state(root()), ThreadState_Running);
    ck_assert(ks.root_thread->sched_queued);
    /* The thread started at its pc (Restart: NextIP := FaultIP). */
    uint64_t regs[37];
    hostsim_thread_regs(handle_at(E0), regs);
    ck_assert_uint_eq(regs[32], 0x400000 + 0x1000 * E0);

    /* Acting as the thread: it suspends itself, and the root runs again. */
    r = cur_call(E0, TCBSuspend, 0, NULL, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), root());
    ck_assert(!ks.root_thread->sched_queued);
}
END_TEST

START_TEST(test_lower_priority_waits)
{
    make_thread(E0, 10);
    OK(resume(E0));
    ck_assert_uint_eq(current(), root());
    ck_assert(tcb_at(E0)->sched_queued);
    /* The root lowers itself below the thread: the thread runs at the exit. */
    OK(set_priority(ROOT_TCB, ROOT_TCB, 5));
    ck_assert_uint_eq(current(), handle_at(E0));
    /* The thread raises the root (its authority is the root's TCB, MCP 255) back over itself. */
    uint64_t caps[1] = {ROOT_TCB};
    uint64_t prio = 11;
    ktest_assert_ok(cur_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, caps));
    ck_assert_uint_eq(current(), root());
}
END_TEST

START_TEST(test_idle_when_nothing_runs)
{
    make_thread(E0, 100);
    OK(resume(E0));
    struct ktest_reply r = suspend(ROOT_TCB);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), handle_at(E0));
    r = cur_call(E0, TCBSuspend, 0, NULL, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), 0);
    ck_assert(ks.cur_thread == sched_idle_thread());
    uint64_t regs[8] = {0};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_IDLE);
}
END_TEST

/* ---- sched_handle_yield ---- */

START_TEST(test_yield_round_robin)
{
    /* Three threads at 255 with the root: each Yield passes to the next in the queue. */
    uint64_t A = E0, B = E0 + 2, C = E0 + 4;
    make_thread(A, 255);
    make_thread(B, 255);
    make_thread(C, 255);
    OK(resume(A));
    OK(resume(B));
    OK(resume(C));
    ck_assert_uint_eq(current(), root());
    /* Resume queues each at the head of its priority (seL4 restart), behind the running root. */
    uint64_t order[] = {handle_at(C), handle_at(B), handle_at(A),
                        root(),       handle_at(C), handle_at(B)};
    for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
        yield_current();
        ck_assert_msg(current() == order[i], "step %u", i);
    }
}
END_TEST

START_TEST(test_yield_alone)
{
    yield_current();
    ck_assert_uint_eq(current(), root());
    make_thread(E0, 254); /* lower: never chosen while the root yields */
    OK(resume(E0));
    yield_current();
    ck_assert_uint_eq(current(), root());
}
END_TEST

/* ---- sched_timer_tick ---- */

START_TEST(test_time_slice_round_robin)
{
    uint64_t A = E0;
    make_thread(A, 255);
    OK(resume(A));
    ck_assert_uint_eq(current(), root());
    timer_ticks(CONFIG_TIME_SLICE - 1);
    ck_assert_uint_eq(current(), root());
    timer_ticks(1);
    ck_assert_uint_eq(current(), handle_at(A));
    ck_assert_uint_eq(ks.root_thread->time_slice, CONFIG_TIME_SLICE); /* refilled */
    timer_ticks(CONFIG_TIME_SLICE);
    ck_assert_uint_eq(current(), root());
    /* A higher-priority thread is never sliced away for a lower one. */
    OK(set_priority(A, ROOT_TCB, 100));
    timer_ticks(3 * CONFIG_TIME_SLICE);
    ck_assert_uint_eq(current(), root());
}
END_TEST

START_TEST(test_tick_while_idle)
{
    OK(set_priority(ROOT_TCB, ROOT_TCB, 255));
    ck_assert_int_eq(suspend(ROOT_TCB).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), 0);
    timer_ticks(2 * CONFIG_TIME_SLICE);
    ck_assert_uint_eq(current(), 0);
}
END_TEST

/* ---- sched_set_priority ---- */

START_TEST(test_set_priority_of_queued_thread)
{
    uint64_t A = E0, B = E0 + 2;
    make_thread(A, 50);
    make_thread(B, 60);
    OK(resume(A));
    OK(resume(B));
    OK(set_priority(A, ROOT_TCB, 70)); /* requeued at 70, above B */
    OK(set_priority(ROOT_TCB, ROOT_TCB, 0));
    ck_assert_uint_eq(current(), handle_at(A));
    ck_assert_int_eq(cur_call(A, TCBSuspend, 0, NULL, 0, NULL).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), handle_at(B));
}
END_TEST

/* ---- sched_debug_dump ---- */

START_TEST(test_debug_dump)
{
    make_thread(E0, 7);
    OK(resume(E0));
    hostsim_console_capture(true);
    sched_debug_dump();
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_msg(strstr(out, "rootserver") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "(unnamed)") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "idle") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "queued") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "current") != NULL, "%s", out);
    /* A deleted TCB leaves the list. */
    OK(ktest_cnode_delete(ROOT, E0, 64));
    hostsim_console_capture(true);
    sched_debug_dump();
    out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_msg(strstr(out, "(unnamed)") == NULL, "%s", out);
}
END_TEST

/* ---- deletion of a ready thread ---- */

START_TEST(test_delete_ready_thread)
{
    make_thread(E0, 255);
    OK(resume(E0));
    ck_assert(tcb_at(E0)->sched_queued);
    struct tcb *t = tcb_at(E0);
    OK(ktest_cnode_delete(ROOT, E0, 64));
    ck_assert(!t->sched_queued);
    yield_current();
    ck_assert_uint_eq(current(), root());
}
END_TEST

/* ---- the scheduler against a model of seL4's (differential, random) ---- */

/* A plain model of seL4's non-MCS scheduler (tcbSchedEnqueue/Append/Dequeue with KaaL's "only
 * runnable, never the idle thread" rule, rescheduleRequired, possibleSwitchTo, setThreadState +
 * scheduleTCB, setPriority, setDomain, handleYield, timerTick, schedule() with the fastfail and
 * equal-priority rules, chooseThread, nextDomain, activateThread), written out the long way: the
 * queues are arrays, the choice scans every priority. The kernel's scheduler runs the same random
 * operations on the root thread and MODEL_N - 1 thread structures that no cap names; after every
 * step the current thread, the action, every state, time slice and every ready queue must agree. */
#define MODEL_N 7
#define M_IDLE (-1)
#define M_RESUME (-2)
#define M_CHOOSE (-3)

static struct model {
    struct tcb *t[MODEL_N];
    int state[MODEL_N];
    unsigned prio[MODEL_N], dom[MODEL_N], slice[MODEL_N];
    int q[CONFIG_NUM_DOMAINS][CONFIG_NUM_PRIORITIES][MODEL_N];
    unsigned qlen[CONFIG_NUM_DOMAINS][CONFIG_NUM_PRIORITIES];
    int cur, action;
    unsigned cur_domain, domain_time, dom_index, dom_start;
    bool dom_restart;
    unsigned sched_dom[CONFIG_NUM_DOMAIN_SCHEDULES], sched_dur[CONFIG_NUM_DOMAIN_SCHEDULES];
} m;

static bool m_runnable(int i)
{
    return m.state[i] == ThreadState_Running || m.state[i] == ThreadState_Restart;
}

static int m_find(int i)
{
    unsigned d = m.dom[i], p = m.prio[i];
    for (unsigned k = 0; k < m.qlen[d][p]; k++) {
        if (m.q[d][p][k] == i) {
            return (int)k;
        }
    }
    return -1;
}

static void m_insert(int i, bool head)
{
    if (i == M_IDLE || m_find(i) >= 0 || !m_runnable(i)) {
        return;
    }
    unsigned d = m.dom[i], p = m.prio[i];
    int *q = m.q[d][p];
    if (head) {
        memmove(q + 1, q, m.qlen[d][p] * sizeof(int));
        q[0] = i;
    } else {
        q[m.qlen[d][p]] = i;
    }
    m.qlen[d][p]++;
}

static void m_dequeue(int i)
{
    int k = m_find(i);
    if (k >= 0) {
        unsigned d = m.dom[i], p = m.prio[i];
        memmove(m.q[d][p] + k, m.q[d][p] + k + 1, (m.qlen[d][p] - (unsigned)k - 1) * sizeof(int));
        m.qlen[d][p]--;
    }
}

static void m_reschedule(void)
{
    if (m.action >= 0) {
        m_insert(m.action, true);
    }
    m.action = M_CHOOSE;
}

static void m_possible_switch(int i)
{
    if (m.dom[i] != m.cur_domain) {
        m_insert(i, true);
    } else if (m.action != M_RESUME) {
        m_reschedule();
        m_insert(i, true);
    } else {
        m.action = i;
    }
}

static void m_set_state(int i, int ts)
{
    m.state[i] = ts;
    if (!m_runnable(i)) {
        m_dequeue(i);
        if (i == m.cur && m.action == M_RESUME) {
            m_reschedule();
        }
    }
}

static int m_highest(unsigned d)
{
    for (int p = CONFIG_NUM_PRIORITIES - 1; p >= 0; p--) {
        if (m.qlen[d][p]) {
            return p;
        }
    }
    return -1;
}

static void m_choose_new(void)
{
    if (m.domain_time == 0) {
        unsigned i = m.dom_index + 1;
        if (m.dom_restart || i >= CONFIG_NUM_DOMAIN_SCHEDULES ||
            (m.sched_dom[i] == 0 && m.sched_dur[i] == 0)) {
            i = m.dom_start;
        }
        m.dom_restart = false;
        m.dom_index = i;
        m.cur_domain = m.sched_dom[i];
        m.domain_time = m.sched_dur[i];
    }
    int p = m_highest(m.cur_domain);
    if (p < 0) {
        m.cur = M_IDLE;
        return;
    }
    m.cur = m.q[m.cur_domain][p][0];
    m_dequeue(m.cur);
}

static void m_schedule(void)
{
    if (m.action != M_RESUME) {
        bool was_runnable = m.cur != M_IDLE && m_runnable(m.cur);
        if (was_runnable) {
            m_insert(m.cur, true);
        }
        if (m.action == M_CHOOSE || !m_runnable(m.action)) {
            m_choose_new();
        } else {
            int c = m.action;
            bool fastfail = m.cur == M_IDLE || m.prio[c] < m.prio[m.cur];
            int h = m_highest(m.cur_domain);
            if (fastfail && h >= 0 && (int)m.prio[c] < h) {
                m_insert(c, true);
                m_choose_new();
            } else if (was_runnable && m.prio[c] == m.prio[m.cur]) {
                m_insert(c, false);
                m_choose_new();
            } else {
                m_dequeue(c);
                m.cur = c;
            }
        }
    }
    m.action = M_RESUME;
    if (m.cur != M_IDLE && m.state[m.cur] == ThreadState_Restart) {
        m.state[m.cur] = ThreadState_Running; /* activateThread */
    }
}

static void m_tick(void)
{
    if (m.cur != M_IDLE && m.state[m.cur] == ThreadState_Running) {
        if (m.slice[m.cur] > 1) {
            m.slice[m.cur]--;
        } else {
            m.slice[m.cur] = CONFIG_TIME_SLICE;
            m_insert(m.cur, false);
            m_reschedule();
        }
    }
    if (CONFIG_NUM_DOMAINS > 1 && m.domain_time > 0 && --m.domain_time == 0) {
        m_reschedule();
    }
}

static struct tcb *m_tcb(int i) { return i == M_IDLE ? sched_idle_thread() : m.t[i]; }

/* ck_assert_msg records every passed check with the parent process (slow in a loop this long). */
#define EXPECT(cond, ...)              \
    do {                               \
        if (!(cond)) {                 \
            ck_abort_msg(__VA_ARGS__); \
        }                              \
    } while (0)

static void m_compare(unsigned step)
{
    EXPECT(ks.cur_thread == m_tcb(m.cur), "step %u: current thread", step);
    struct tcb *want = m.action == M_RESUME   ? SCHED_RESUME_CURRENT
                       : m.action == M_CHOOSE ? SCHED_CHOOSE_NEW
                                              : m.t[m.action];
    EXPECT(ks.sched_action == want, "step %u: action", step);
    EXPECT(sched_current_domain() == m.cur_domain, "step %u: domain", step);
    EXPECT(sched_domain_time() == m.domain_time, "step %u: domain time", step);
    for (int i = 0; i < MODEL_N; i++) {
        EXPECT(thread_state_type(m.t[i]) == (word_t)m.state[i], "step %u: state of %d", step, i);
        EXPECT(m.t[i]->time_slice == m.slice[i], "step %u: time slice of %d", step, i);
        EXPECT(m.t[i]->sched_queued == (m_find(i) >= 0), "step %u: queued %d", step, i);
    }
    for (unsigned d = 0; d < CONFIG_NUM_DOMAINS; d++) {
        for (unsigned p = 0; p < CONFIG_NUM_PRIORITIES; p++) {
            struct tcb *t = sched_debug_queue_head(d, p);
            for (unsigned k = 0; k < m.qlen[d][p]; k++) {
                EXPECT(t == m.t[m.q[d][p][k]], "step %u: queue (%u, %u) entry %u", step, d, p, k);
                t = t->sched_next;
            }
            EXPECT(t == NULL, "step %u: queue (%u, %u) too long", step, d, p);
        }
    }
}

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng_state >> 33) % n;
}

static void model_run(uint64_t seed, unsigned steps)
{
    static const unsigned prios[] = {0, 10, 10, 20, 20, 20, 100, 254, 255};
    rng_state = seed;
    memset(&m, 0, sizeof(m));
    /* A domain schedule with a zero-length entry (not an end marker when its domain is not 0). */
    static const unsigned sd[] = {0, 1, 2, 1}, sdur[] = {3, 2, 1, 0};
    for (unsigned i = 0; i < 4 && i < CONFIG_NUM_DOMAIN_SCHEDULES; i++) {
        unsigned d = sd[i] % CONFIG_NUM_DOMAINS, dur = d == 0 && sdur[i] == 0 ? 1 : sdur[i];
        sched_domain_schedule_configure(i, d, dur);
        m.sched_dom[i] = d;
        m.sched_dur[i] = dur;
    }
    sched_domain_schedule_set_start(0);
    kernel_exit();
    m.dom_restart = false;
    m.dom_index = 0;
    m.cur_domain = m.sched_dom[0];
    m.domain_time = m.sched_dur[0];

    m.t[0] = ks.root_thread;
    static struct tcb fake[MODEL_N];
    for (int i = 1; i < MODEL_N; i++) {
        memset(&fake[i], 0, sizeof(fake[i]));
        hal_tcb_init(&fake[i].arch);
        m.t[i] = &fake[i];
        thread_state_ptr_set_ts_type(&fake[i].state, ThreadState_Inactive);
        fake[i].priority = prios[rnd(ARRAY_SIZE(prios))];
        fake[i].domain = rnd(CONFIG_NUM_DOMAINS);
        fake[i].time_slice = 1 + rnd(CONFIG_TIME_SLICE);
    }
    for (int i = 0; i < MODEL_N; i++) {
        m.state[i] = (int)thread_state_type(m.t[i]);
        m.prio[i] = (unsigned)m.t[i]->priority;
        m.dom[i] = (unsigned)m.t[i]->domain;
        m.slice[i] = (unsigned)m.t[i]->time_slice;
    }
    ck_assert(ks.cur_thread == ks.root_thread && !ks.root_thread->sched_queued);
    m.cur = 0;
    m.action = M_RESUME;
    m_compare(0);

    static const int blocked[] = {ThreadState_Inactive, ThreadState_BlockedOnReceive,
                                  ThreadState_BlockedOnSend, ThreadState_BlockedOnReply,
                                  ThreadState_BlockedOnNotification};
    for (unsigned step = 1; step <= steps; step++) {
        int i = (int)rnd(MODEL_N);
        struct tcb *t = m.t[i];
        switch (rnd(12)) {
        case 0: /* wake a blocked thread (signal, IPC delivery) */
        case 1:
            if (!m_runnable(i)) {
                sched_set_thread_state(t, ThreadState_Running);
                sched_possible_switch_to(t);
                m_set_state(i, ThreadState_Running);
                m_possible_switch(i);
            }
            break;
        case 2: /* block (any thread, often the current one) */
        case 3: {
            int who = rnd(2) && m.cur != M_IDLE ? m.cur : i;
            int ts = blocked[rnd(ARRAY_SIZE(blocked))];
            sched_set_thread_state(m.t[who], (word_t)ts);
            m_set_state(who, ts);
            break;
        }
        case 4: /* restart (Resume: Restart, enqueue, possibleSwitchTo) or an IPC cancel (no switch)
                 */
            if (!m_runnable(i)) {
                bool resume = rnd(2);
                sched_set_thread_state(t, ThreadState_Restart);
                sched_enqueue(t);
                m_set_state(i, ThreadState_Restart);
                m_insert(i, true);
                if (resume) {
                    sched_possible_switch_to(t);
                    m_possible_switch(i);
                }
            }
            break;
        case 5: { /* set priority */
            unsigned p = prios[rnd(ARRAY_SIZE(prios))];
            sched_set_priority(t, p);
            m_dequeue(i);
            m.prio[i] = p;
            if (m_runnable(i)) {
                if (i == m.cur) {
                    m_reschedule();
                } else {
                    m_possible_switch(i);
                }
            }
            break;
        }
        case 6: /* set domain */
            if (CONFIG_NUM_DOMAINS > 1) {
                unsigned d = rnd(CONFIG_NUM_DOMAINS);
                sched_set_domain(t, d);
                m_dequeue(i);
                m.dom[i] = d;
                if (m_runnable(i) && i != m.cur) {
                    m_insert(i, true);
                }
                if (i == m.cur) {
                    m_reschedule();
                }
            }
            break;
        case 7: /* yield */
            if (m.cur != M_IDLE && m_runnable(m.cur)) {
                sched_handle_yield();
                m_dequeue(m.cur);
                m_insert(m.cur, false);
                m_reschedule();
            }
            break;
        case 8:
            sched_timer_tick();
            m_tick();
            break;
        case 9:
            sched_reschedule_required();
            m_reschedule();
            break;
        default: /* kernel exit */
            kernel_exit();
            m_schedule();
            break;
        }
        m_compare(step);
    }

    /* Back to the root alone, as the fixture left it. */
    for (int i = 1; i < MODEL_N; i++) {
        sched_set_thread_state(m.t[i], ThreadState_Inactive);
    }
    sched_set_priority(ks.root_thread, 255);
    sched_set_domain(ks.root_thread, 0);
    if (!thread_state_runnable(thread_state_type(ks.root_thread))) {
        sched_set_thread_state(ks.root_thread, ThreadState_Running);
        sched_enqueue(ks.root_thread);
    }
    sched_domain_schedule_configure(1, 0, 0);
    sched_domain_schedule_set_start(0);
    kernel_exit();
    ck_assert(ks.cur_thread == ks.root_thread);
}

START_TEST(test_model_random) { model_run(0x5eed0000u + (uint64_t)_i, 4000); }
END_TEST

/* Corners the random run reaches only by chance, spelled out. */
START_TEST(test_model_corners)
{
    /* Fastfail: a lower-priority wakee is queued at its head and the current thread keeps running;
     * an equal-priority wakee goes behind the current thread; a higher one runs at once. */
    struct tcb a = {0}, b = {0}, c = {0};
    struct tcb *root = ks.root_thread;
    struct tcb *ts[] = {&a, &b, &c};
    for (unsigned i = 0; i < 3; i++) {
        hal_tcb_init(&ts[i]->arch);
        ts[i]->time_slice = CONFIG_TIME_SLICE;
        thread_state_ptr_set_ts_type(&ts[i]->state, ThreadState_BlockedOnNotification);
    }
    sched_set_priority(root, 100);
    kernel_exit();
    a.priority = 50;
    b.priority = 50;
    c.priority = 100;
    sched_set_thread_state(&a, ThreadState_Running);
    sched_possible_switch_to(&a);
    kernel_exit();
    ck_assert(ks.cur_thread == root && sched_debug_queue_head(0, 50) == &a && !root->sched_queued);
    sched_set_thread_state(&b, ThreadState_Running);
    sched_possible_switch_to(&b);
    kernel_exit();
    ck_assert(ks.cur_thread == root && sched_debug_queue_head(0, 50) == &b && b.sched_next == &a);
    sched_set_thread_state(&c, ThreadState_Running);
    sched_possible_switch_to(&c);
    kernel_exit(); /* equal priority: behind the root */
    ck_assert(ks.cur_thread == root && sched_debug_queue_head(0, 100) == &c &&
              c.sched_next == NULL);
    /* The root blocks: c runs; c wakes the root (equal): the root goes behind c. */
    sched_set_thread_state(root, ThreadState_BlockedOnReceive);
    kernel_exit();
    ck_assert(ks.cur_thread == &c && sched_debug_queue_head(0, 100) == NULL);
    sched_set_thread_state(root, ThreadState_Running);
    sched_possible_switch_to(root);
    kernel_exit();
    ck_assert(ks.cur_thread == &c && sched_debug_queue_head(0, 100) == root);
    /* Fastfail with a more urgent thread queued: the lower wakee is queued, the choice runs the
     * queued root (c lowered itself below it first). */
    sched_set_priority(&c, 60);
    kernel_exit();
    ck_assert(ks.cur_thread == root && sched_debug_queue_head(0, 60) == &c);
    /* A woken thread that stops again before the exit is not run. */
    sched_set_thread_state(&a, ThreadState_BlockedOnSend);
    sched_set_thread_state(&b, ThreadState_BlockedOnSend);
    sched_set_thread_state(&c, ThreadState_BlockedOnSend);
    sched_set_priority(&a, 200);
    sched_set_thread_state(&a, ThreadState_Running);
    sched_possible_switch_to(&a);
    ck_assert(ks.sched_action == &a);
    sched_set_thread_state(&a, ThreadState_Inactive);
    kernel_exit();
    ck_assert(ks.cur_thread == root && !a.sched_queued && !root->sched_queued);
    /* A more urgent thread woken in another domain is only queued (possibleSwitchTo). */
    if (CONFIG_NUM_DOMAINS > 1) {
        a.domain = 1;
        sched_set_thread_state(&a, ThreadState_Running);
        sched_possible_switch_to(&a);
        ck_assert(ks.sched_action == SCHED_RESUME_CURRENT && a.sched_queued);
        kernel_exit();
        ck_assert(ks.cur_thread == root && sched_debug_queue_head(1, 200) == &a);
        sched_set_thread_state(&a, ThreadState_Inactive);
        ck_assert(!a.sched_queued && sched_debug_queue_head(1, 200) == NULL);
    }
    sched_set_priority(root, 255);
    kernel_exit();
    ck_assert(ks.cur_thread == root);
}
END_TEST

static Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = fixture_tcase(s, "sched_possible_switch_to", setup);
    tcase_add_test(tc, test_higher_priority_preempts);
    tcase_add_test(tc, test_lower_priority_waits);
    tcase_add_test(tc, test_idle_when_nothing_runs);
    tc = fixture_tcase(s, "sched_handle_yield", setup);
    tcase_add_test(tc, test_yield_round_robin);
    tcase_add_test(tc, test_yield_alone);
    tc = fixture_tcase(s, "sched_timer_tick", setup);
    tcase_add_test(tc, test_time_slice_round_robin);
    tcase_add_test(tc, test_tick_while_idle);
    tc = fixture_tcase(s, "sched_set_priority", setup);
    tcase_add_test(tc, test_set_priority_of_queued_thread);
    tc = fixture_tcase(s, "sched_debug_dump", setup);
    tcase_add_test(tc, test_debug_dump);
    tc = fixture_tcase(s, "sched_tcb_destroyed", setup);
    tcase_add_test(tc, test_delete_ready_thread);
    tc = fixture_tcase(s, "sched_model", setup);
    tcase_add_loop_test(tc, test_model_random, 0, 16);
    tcase_add_test(tc, test_model_corners);
    return s;
}

int main(void) { return ktest_run(sched_suite()); }
