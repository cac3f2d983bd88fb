/* SPDX-License-Identifier: BSD-2-Clause */
/* The invariant checker: it accepts freshly booted kernels and the states valid invocations leave,
 * and each of its checks fires on a deliberately corrupted state. */
#include "ktest.h"

#include <stdio.h>
#include <string.h>

#include <kaal/gen_config.h>

#ifdef CONFIG_KERNEL_INVARIANTS
#include <kaal/invariants.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/sched.h>
#include <kaal/structures.h>
#include <kaal/thread.h>

static char why[512];

#define assert_holds() \
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "invariants broken: %s", why)

/* The period the incremental tests use: the full check runs on every INC_PERIOD-th entry. */
#define INC_PERIOD 4

/* Run the fuzzer's incremental form (kernel_invariants_after_entry) as after INC_PERIOD kernel
 * entries; returns the entry (1-based) at which it failed, 0 if it never did. */
static unsigned incremental_catches(void)
{
    kernel_invariants_incremental_reset(INC_PERIOD);
    for (unsigned k = 1; k <= INC_PERIOD; k++) {
        if (!kernel_invariants_after_entry(why, sizeof(why))) {
            return k;
        }
    }
    return 0;
}

/* The checker must fail, and its reason must mention `needle`; so must the incremental form
 * within INC_PERIOD entries (at the latest when its full check runs). */
#define assert_broken(needle)                                                                      \
    do {                                                                                           \
        ck_assert_msg(!kernel_invariants_hold(why, sizeof(why)), "corruption not detected");       \
        ck_assert_msg(strstr(why, (needle)) != NULL, "reason \"%s\" does not mention \"%s\"", why, \
                      (needle));                                                                   \
        ck_assert_msg(incremental_catches() != 0, "the incremental form missed it");               \
        ck_assert_msg(strstr(why, (needle)) != NULL,                                               \
                      "incremental reason \"%s\" does not mention \"%s\"", why, (needle));         \
    } while (0)

/* assert_broken, and the quick check alone (after every entry of the incremental form) sees it. */
#define assert_broken_quick(needle)                                                             \
    do {                                                                                        \
        assert_broken(needle);                                                                  \
        ck_assert_msg(!kernel_invariants_quick(why, sizeof(why)), "the quick check missed it"); \
        ck_assert_msg(strstr(why, (needle)) != NULL,                                            \
                      "quick reason \"%s\" does not mention \"%s\"", why, (needle));            \
    } while (0)

#define assert_holds_all()                                                                       \
    do {                                                                                         \
        assert_holds();                                                                          \
        ck_assert_msg(kernel_invariants_quick(why, sizeof(why)), "quick check broken: %s", why); \
        ck_assert_msg(incremental_catches() == 0, "incremental form broken: %s", why);           \
    } while (0)

static cte_t *root_slots(void)
{
    return PTOV(cte_t, cap_cnode_cap_get_ptr(ks.root_thread->ctes[TCB_CTABLE].cap));
}
static cte_t *root_slot(uint64_t i) { return &root_slots()[i]; }

/* Retype `num` objects of `type` from the smallest untyped of at least min_bits into root slots
 * from the first empty one; returns the first slot used. */
static uint64_t make(uint64_t type, uint64_t size_bits, uint64_t num, unsigned min_bits)
{
    uint64_t ut = ktest_untyped(min_bits);
    uint64_t dest = ktest_first_empty();
    while (ktest_cap_type(dest) != cap_null_cap) {
        dest++;
    }
    struct ktest_reply r =
        ktest_retype(ut, type, size_bits, seL4_CapInitThreadCNode, 0, 0, dest, num);
    ktest_assert_ok(r);
    return dest;
}

/* Unlink slot s from its MDB list (test-side surgery, as a buggy kernel might leave it). */
static void unlink_slot(cte_t *s)
{
    paddr_t next = mdb_node_get_next(s->mdb), prev = mdb_node_get_prev(s->mdb);
    if (prev) {
        mdb_node_ptr_set_next(&PTOV(cte_t, prev)->mdb, next);
    }
    if (next) {
        mdb_node_ptr_set_prev(&PTOV(cte_t, next)->mdb, prev);
    }
    mdb_node_ptr_set_next(&s->mdb, 0);
    mdb_node_ptr_set_prev(&s->mdb, 0);
}

/* Link the unlinked slot s right after slot after. */
static void link_after(cte_t *s, cte_t *after)
{
    paddr_t next = mdb_node_get_next(after->mdb);
    mdb_node_ptr_set_prev(&s->mdb, VTOP(after));
    mdb_node_ptr_set_next(&s->mdb, next);
    mdb_node_ptr_set_next(&after->mdb, VTOP(s));
    if (next) {
        mdb_node_ptr_set_prev(&PTOV(cte_t, next)->mdb, VTOP(s));
    }
}

START_TEST(test_fresh_boot_small) { assert_holds(); }
END_TEST

START_TEST(test_fresh_boot_virt)
{
    hostsim_shutdown();
    ktest_boot(KTEST_DTB_VIRT);
    assert_holds();
}
END_TEST

START_TEST(test_valid_operations)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 3, 12);
    assert_holds();
    uint64_t cn = make(seL4_CapTableObject, 4, 2, 12);
    assert_holds();
    uint64_t ut = make(seL4_UntypedObject, 12, 2, 14);
    assert_holds();
    uint64_t nt = make(seL4_NotificationObject, 0, 1, 12);
    assert_holds();
    uint64_t tcb = make(seL4_TCBObject, 0, 1, 12);
    assert_holds();
    uint64_t frame = make(seL4_ARM_SmallPageObject, 0, 1, 13);
    assert_holds();
    (void)tcb;

    uint64_t free_slot = ktest_first_empty() + 200;
    /* Copies, badged mints, a copy of a badged cap, a guarded CNode. */
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, free_slot, 64,
                                     seL4_CapInitThreadCNode, ep, 64, seL4_AllRights));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, free_slot + 1, 64,
                                     seL4_CapInitThreadCNode, ep, 64, seL4_AllRights, 42));
    assert_holds();
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, free_slot + 2, 64,
                                     seL4_CapInitThreadCNode, free_slot + 1, 64, seL4_CanWrite));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, free_slot + 3, 64,
                                     seL4_CapInitThreadCNode, nt, 64, seL4_AllRights, 7));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, free_slot + 4, 64,
                                     seL4_CapInitThreadCNode, cn, 64, seL4_AllRights,
                                     seL4_CNode_CapData_new(0, 60).words[0]));
    assert_holds();
    /* Children of a child untyped, inside a child CNode addressed through it. */
    ktest_assert_ok(
        ktest_retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cn, 64, 0, 4));
    assert_holds();
    /* Copy of an untyped with no children marks the original full. */
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, free_slot + 5, 64,
                                     seL4_CapInitThreadCNode, ut + 1, 64, seL4_AllRights));
    assert_holds();
    ktest_assert_ok(ktest_retype(free_slot + 5, seL4_NotificationObject, 0, seL4_CapInitThreadCNode,
                                 cn, 64, 4, 2));
    assert_holds();
    /* Moves, mutate, rotate, delete, revoke. */
    ktest_assert_ok(ktest_cnode_move(seL4_CapInitThreadCNode, free_slot + 6, 64,
                                     seL4_CapInitThreadCNode, free_slot, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mutate(seL4_CapInitThreadCNode, free_slot + 7, 64,
                                       seL4_CapInitThreadCNode, free_slot + 4, 64,
                                       seL4_CNode_CapData_new(0, 59).words[0]));
    assert_holds();
    /* Swap the guarded CNode cap with the frame cap (dest == src). */
    ktest_assert_ok(ktest_cnode_rotate(
        seL4_CapInitThreadCNode, free_slot + 7, 64, 0, seL4_CapInitThreadCNode, frame, 64,
        seL4_CNode_CapData_new(0, 60).words[0], seL4_CapInitThreadCNode, free_slot + 7, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_delete(seL4_CapInitThreadCNode, free_slot + 1, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_revoke(seL4_CapInitThreadCNode, ep, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_delete(seL4_CapInitThreadCNode, cn, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_revoke(seL4_CapInitThreadCNode, ut, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_delete(seL4_CapInitThreadCNode, ut, 64));
    assert_holds();
    /* A CNode that holds the only cap to itself stays live (unreachable), still consistent. */
    ktest_assert_ok(
        ktest_cnode_copy(cn + 1, 1, 4, seL4_CapInitThreadCNode, cn + 1, 64, seL4_AllRights));
    ktest_assert_ok(ktest_cnode_delete(seL4_CapInitThreadCNode, cn + 1, 64));
    assert_holds();
    /* Revoking an untyped deletes everything under it. */
    ktest_assert_ok(ktest_cnode_revoke(seL4_CapInitThreadCNode, ktest_untyped(12), 64));
    assert_holds();
}
END_TEST

START_TEST(test_preempted_revoke_states)
{
    uint64_t cn = make(seL4_CapTableObject, 8, 1, 14);
    uint64_t ut = ktest_untyped(16);
    ktest_assert_ok(
        ktest_retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cn, 64, 0, 200));
    assert_holds();
    hostsim_set_preempt_interval(1);
    struct ktest_reply r = ktest_cnode_revoke(seL4_CapInitThreadCNode, ut, 64);
    hostsim_set_preempt_interval(0);
    ktest_assert_ok(r);
    ck_assert_uint_gt(r.restarts, 0);
    assert_holds();
}
END_TEST

/* --- (a) the derivation tree --- */

START_TEST(test_catches_bad_prev_link)
{
    cte_t *s = root_slot(seL4_CapInitThreadCNode); /* its next is the root TCB's CTable slot */
    cte_t *next = PTOV(cte_t, mdb_node_get_next(s->mdb));
    mdb_node_ptr_set_prev(&next->mdb, VTOP(root_slot(seL4_CapDomain)));
    assert_broken("MDB");
}
END_TEST

START_TEST(test_catches_link_outside_ram)
{
    mdb_node_ptr_set_next(&root_slot(seL4_CapDomain)->mdb, 0x10);
    assert_broken("not a slot in RAM");
}
END_TEST

START_TEST(test_catches_linked_empty_slot)
{
    mdb_node_ptr_set_next(&root_slot(ktest_first_empty() + 7)->mdb,
                          VTOP(root_slot(seL4_CapDomain)));
    assert_broken("empty slot");
}
END_TEST

START_TEST(test_catches_cycle)
{
    /* Close the list slot 2 -> TCB CTable into a ring: every link consistent, no head. */
    cte_t *a = root_slot(seL4_CapInitThreadCNode);
    cte_t *b = PTOV(cte_t, mdb_node_get_next(a->mdb));
    ck_assert_uint_eq(mdb_node_get_next(b->mdb), 0);
    mdb_node_ptr_set_next(&b->mdb, VTOP(a));
    mdb_node_ptr_set_prev(&a->mdb, VTOP(b));
    assert_broken("cycle");
}
END_TEST

START_TEST(test_catches_object_outside_its_untyped)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 1, 12);
    unlink_slot(root_slot(ep));
    assert_broken("not derived from it");
}
END_TEST

START_TEST(test_catches_split_object_block)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 2, 12);
    uint64_t copy = ktest_first_empty() + 100;
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, ep,
                                     64, seL4_AllRights));
    assert_holds();
    /* Move the copy of the first endpoint's cap to just after the second endpoint's cap. */
    unlink_slot(root_slot(copy));
    link_after(root_slot(copy), root_slot(ep + 1));
    if (mdb_node_get_next(root_slot(copy)->mdb) == VTOP(root_slot(ep))) {
        /* ep + 1 directly precedes ep: put the copy before ep + 1 instead. */
        cte_t *before = PTOV(cte_t, mdb_node_get_prev(root_slot(ep + 1)->mdb));
        unlink_slot(root_slot(copy));
        link_after(root_slot(copy), before);
    }
    assert_broken("not contiguous");
}
END_TEST

START_TEST(test_catches_badged_cap_under_other_object)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 2, 12);
    uint64_t badged = ktest_first_empty() + 100;
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, badged, 64, seL4_CapInitThreadCNode,
                                     ep, 64, seL4_AllRights, 5));
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, badged + 1, 64,
                                     seL4_CapInitThreadCNode, badged, 64, seL4_AllRights));
    assert_holds();
    /* Point the badged copy at the other endpoint: it now sits in a run of caps to another object.
     */
    cap_endpoint_cap_ptr_set_ptr(&root_slot(badged + 1)->cap,
                                 cap_endpoint_cap_get_ptr(root_slot(ep + 1)->cap));
    assert_broken("contiguous");
}
END_TEST

START_TEST(test_catches_subtree_split)
{
    /* A child untyped's object placed after a sibling that is outside the child's region. */
    uint64_t ut = make(seL4_UntypedObject, 12, 2, 14);
    uint64_t ep = ktest_first_empty() + 100;
    ktest_assert_ok(ktest_retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, ep, 1));
    assert_holds();
    /* Relink ut's endpoint after ut + 1 (the second, disjoint child untyped). */
    unlink_slot(root_slot(ep));
    link_after(root_slot(ep), root_slot(ut + 1));
    assert_broken("not derived from it");
}
END_TEST

/* --- (b) overlap --- */

START_TEST(test_catches_overlapping_objects)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 1, 12);
    uint64_t cn = make(seL4_CapTableObject, 2, 1, 12);
    cap_endpoint_cap_ptr_set_ptr(&root_slot(ep)->cap,
                                 cap_cnode_cap_get_ptr(root_slot(cn)->cap) + 16);
    assert_broken("overlaps");
}
END_TEST

START_TEST(test_catches_object_over_boot_object)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 1, 12);
    cap_endpoint_cap_ptr_set_ptr(&root_slot(ep)->cap, VTOP(ks.root_thread) + 64);
    assert_broken("overlaps");
}
END_TEST

/* --- (c) live objects --- */

START_TEST(test_catches_object_outside_ram)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 1, 12);
    cap_endpoint_cap_ptr_set_ptr(&root_slot(ep)->cap, 0x1000);
    assert_broken("not in RAM");
}
END_TEST

START_TEST(test_catches_misaligned_object)
{
    uint64_t cn = make(seL4_CapTableObject, 2, 1, 12);
    cap_cnode_cap_ptr_set_ptr(&root_slot(cn)->cap, cap_cnode_cap_get_ptr(root_slot(cn)->cap) + 32);
    assert_broken("aligned");
}
END_TEST

START_TEST(test_catches_object_above_watermark)
{
    uint64_t ut = ktest_untyped(12);
    uint64_t ep = make(seL4_EndpointObject, 0, 1, 12);
    ck_assert_uint_eq(ut, ktest_untyped(12));
    cap_untyped_cap_ptr_set_free_index(&root_slot(ut)->cap, 0);
    (void)ep;
    assert_broken("watermark");
}
END_TEST

START_TEST(test_catches_bad_thread_state)
{
    thread_state_ptr_set_ts_type(&ks.root_thread->state, 12);
    assert_broken("thread state");
}
END_TEST

/* --- (d) untyped watermarks --- */

START_TEST(test_catches_free_index_past_size)
{
    uint64_t ut = ktest_untyped(12);
    word_t bits = cap_untyped_cap_get_block_size(root_slot(ut)->cap);
    cap_untyped_cap_ptr_set_free_index(&root_slot(ut)->cap, (BIT(bits) >> 4) + 1);
    assert_broken("past its size");
}
END_TEST

START_TEST(test_catches_copy_without_full_parent)
{
    uint64_t ut = make(seL4_UntypedObject, 12, 1, 14);
    uint64_t copy = ktest_first_empty() + 100;
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, ut,
                                     64, seL4_AllRights));
    assert_holds();
    cap_untyped_cap_ptr_set_free_index(&root_slot(ut)->cap, 0);
    assert_broken("watermark");
}
END_TEST

/* --- (e) CNode shapes --- */

START_TEST(test_catches_guard_too_long)
{
    cap_t *c = &root_slot(seL4_CapInitThreadCNode)->cap;
    cap_cnode_cap_ptr_set_guard_size(c, 64 - cap_cnode_cap_get_radix(*c) + 1);
    assert_broken("radix");
}
END_TEST

START_TEST(test_catches_zero_radix)
{
    uint64_t cn = make(seL4_CapTableObject, 1, 1, 12);
    cap_cnode_cap_ptr_set_radix(&root_slot(cn)->cap, 0);
    assert_broken("radix");
}
END_TEST

/* --- (f) root thread, zombies --- */

START_TEST(test_catches_wrong_root_thread_slot)
{
    ks.root_thread->ctes[TCB_REPLY].cap = cap_domain_cap_new();
    assert_broken("Reply slot");
}
END_TEST

START_TEST(test_catches_zombie_count)
{
    uint64_t cn = make(seL4_CapTableObject, 2, 1, 12);
    cap_t c = root_slot(cn)->cap;
    root_slot(cn)->cap = cap_zombie_cap_new(cap_cnode_cap_get_ptr(c), 2, 5);
    assert_broken("zombie");
}
END_TEST

START_TEST(test_catches_cap_past_zombie_count)
{
    uint64_t cn = make(seL4_CapTableObject, 2, 1, 12);
    cap_t c = root_slot(cn)->cap;
    /* Put a cap in the CNode's last slot, then claim only 3 slots are left to clear. */
    ktest_assert_ok(
        ktest_cnode_copy(cn, 3, 2, seL4_CapInitThreadCNode, seL4_CapDomain, 64, seL4_AllRights));
    root_slot(cn)->cap = cap_zombie_cap_new(cap_cnode_cap_get_ptr(c), 2, 3);
    assert_broken("zombie");
}
END_TEST

START_TEST(test_catches_null_cap_with_links)
{
    uint64_t ep = make(seL4_EndpointObject, 0, 1, 12);
    root_slot(ep)->cap = cap_null_cap_new();
    assert_broken("MDB");
}
END_TEST

/* --- (g)-(l) threads, queues, the scheduler, bindings, reply caps, IRQs --- */

#define SCENE_IRQ 40

/* A state with every kind of thread relation: the root (priority 10) current; R blocked receiving
 * on ep; S (which served C's Call: C is blocked on reply, S holds the reply cap in its Caller slot)
 * and W waiting on nt, in that order; Q1, Q2 runnable at priority 5, queued; B inactive, bound to
 * nb; IRQ SCENE_IRQ issued and signalling nt. */
static struct scene {
    uint64_t ep, ep2, nt, nb, irq;
    struct tcb *r, *s, *c, *w, *q1, *q2, *b;
} sc;

static struct tcb *tcb_in(uint64_t slot)
{
    return PTOV(struct tcb, cap_thread_cap_get_tcb(root_slot(slot)->cap));
}

static uint64_t scene_thread(uint64_t prio)
{
    uint64_t tcb = make(seL4_TCBObject, 0, 1, 18);
    uint64_t frame = make(seL4_ARM_SmallPageObject, 0, 1, 18);
    uint64_t words[4] = {0, 0, 0, 0};
    uint64_t caps[3] = {seL4_CapInitThreadCNode, seL4_CapInitThreadVSpace, frame};
    ktest_assert_ok(ktest_call(tcb, TCBConfigure, 4, words, 3, caps));
    uint64_t auth = seL4_CapInitThreadTCB;
    ktest_assert_ok(ktest_call(tcb, TCBSetPriority, 1, &prio, 1, &auth));
    return tcb;
}

/* Resume thread `tcb` (priority above the root's: it runs) and make it do system call sysno on
 * cptr. */
static void run_as(uint64_t tcb, int64_t sysno, uint64_t cptr, uint64_t info)
{
    ktest_assert_ok(ktest_call(tcb, TCBResume, 0, NULL, 0, NULL));
    ck_assert_uint_eq(hostsim_current_thread(), cap_thread_cap_get_tcb(root_slot(tcb)->cap));
    uint64_t regs[8] = {cptr, info, 0, 0, 0, 0, 0, (uint64_t)sysno};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED);
}

static void build_scene(void)
{
    uint64_t prio = 10, auth = seL4_CapInitThreadTCB;
    ktest_assert_ok(ktest_call(seL4_CapInitThreadTCB, TCBSetPriority, 1, &prio, 1, &auth));
    sc.ep = make(seL4_EndpointObject, 0, 1, 18);
    sc.ep2 = make(seL4_EndpointObject, 0, 1, 18);
    sc.nt = make(seL4_NotificationObject, 0, 1, 18);
    sc.nb = make(seL4_NotificationObject, 0, 1, 18);
    uint64_t r = scene_thread(100), s = scene_thread(100), c = scene_thread(100),
             w = scene_thread(100);
    uint64_t q1 = scene_thread(5), q2 = scene_thread(5), b = scene_thread(5);
    run_as(r, seL4_SysRecv, sc.ep, 0);
    run_as(s, seL4_SysRecv, sc.ep2, 0);
    run_as(c, seL4_SysCall, sc.ep2, seL4_MessageInfo_new(7, 0, 0, 0).words[0]); /* S now runs */
    ck_assert_uint_eq(hostsim_current_thread(), cap_thread_cap_get_tcb(root_slot(s)->cap));
    uint64_t regs[8] = {sc.nt, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysRecv};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED); /* S waits on nt */
    run_as(w, seL4_SysRecv, sc.nt, 0);
    ktest_assert_ok(ktest_call(q1, TCBResume, 0, NULL, 0, NULL));
    ktest_assert_ok(ktest_call(q2, TCBResume, 0, NULL, 0, NULL));
    uint64_t nb = sc.nb;
    ktest_assert_ok(ktest_call(b, TCBBindNotification, 0, NULL, 1, &nb));
    sc.irq = ktest_first_empty();
    while (ktest_cap_type(sc.irq) != cap_null_cap) {
        sc.irq++;
    }
    uint64_t iw[3] = {SCENE_IRQ, sc.irq, 64}, root = seL4_CapInitThreadCNode, nt = sc.nt;
    ktest_assert_ok(ktest_call(seL4_CapIRQControl, IRQIssueIRQHandler, 3, iw, 1, &root));
    ktest_assert_ok(ktest_call(sc.irq, IRQSetIRQHandler, 0, NULL, 1, &nt));
    sc.r = tcb_in(r);
    sc.s = tcb_in(s);
    sc.c = tcb_in(c);
    sc.w = tcb_in(w);
    sc.q1 = tcb_in(q1);
    sc.q2 = tcb_in(q2);
    sc.b = tcb_in(b);
    ck_assert_uint_eq(thread_state_get_ts_type(sc.c->state), ThreadState_BlockedOnReply);
    ck_assert_uint_eq(cap_get_cap_type(sc.s->ctes[TCB_CALLER].cap), cap_reply_cap);
    ck_assert_ptr_eq(sc.s->ep_next, sc.w);
    ck_assert(sc.q1->sched_queued && sc.q2->sched_queued);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
}

static endpoint_t *scene_ep(void)
{
    return PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(sc.ep)->cap));
}
static notification_t *scene_nt(uint64_t slot)
{
    return PTOV(notification_t, cap_notification_cap_get_ptr(root_slot(slot)->cap));
}

START_TEST(test_scene_holds)
{
    build_scene();
    assert_holds_all();
}
END_TEST

START_TEST(test_catches_thread_list_link)
{
    build_scene();
    struct tcb *t = sched_debug_first_thread()->debug_next;
    t->debug_prev = t; /* the list's prev link points elsewhere */
    assert_broken_quick("thread list");
}
END_TEST

START_TEST(test_catches_queued_thread_wrong_state)
{
    build_scene();
    thread_state_ptr_set_ts_type(&sc.w->state, ThreadState_BlockedOnSend); /* in nt's queue */
    assert_broken_quick("does not wait on it");
}
END_TEST

START_TEST(test_catches_blocked_thread_not_queued)
{
    build_scene();
    /* R is blocked receiving on ep, but ep forgets its queue. */
    endpoint_ptr_set_queue_head(scene_ep(), 0);
    endpoint_ptr_set_queue_tail(scene_ep(), 0);
    endpoint_ptr_set_state(scene_ep(), 0);
    assert_broken_quick("not in that object's queue");
}
END_TEST

START_TEST(test_catches_ipc_queue_prev_link)
{
    build_scene();
    sc.w->ep_prev = NULL; /* W follows S in nt's queue */
    assert_broken_quick("has prev");
}
END_TEST

START_TEST(test_catches_ipc_queue_tail)
{
    build_scene();
    notification_ptr_set_queue_tail(scene_nt(sc.nt), VTOP(sc.s));
    assert_broken_quick("its tail is");
}
END_TEST

START_TEST(test_catches_ipc_queue_cycle)
{
    build_scene();
    sc.w->ep_next =
        sc.s; /* the last waiter links back to the first: seen at the first's prev link */
    assert_broken_quick("has prev");
}
END_TEST

START_TEST(test_catches_receiver_badge)
{
    build_scene();
    thread_state_ptr_set_blocking_ipc_badge(&sc.r->state, 5);
    assert_broken_quick("carries badge");
}
END_TEST

START_TEST(test_catches_waiting_with_empty_queue)
{
    build_scene();
    endpoint_ptr_set_state(scene_ep(), 1); /* "send" state: wrong for the receiver in it */
    assert_broken_quick("does not wait on it");
    endpoint_ptr_set_state(scene_ep(), 2);
    assert_holds();
    /* An idle notification (no waiting state) that still has a queue. */
    notification_ptr_set_state(scene_nt(sc.nt), 0);
    assert_broken_quick("not waiting yet has queue head");
}
END_TEST

START_TEST(test_catches_runnable_not_queued)
{
    build_scene();
    /* Q2 is taken off its ready queue behind the scheduler's back. */
    sched_dequeue(sc.q2);
    assert_broken_quick("in no ready queue");
}
END_TEST

START_TEST(test_catches_marked_queued_not_in_queue)
{
    build_scene();
    sched_dequeue(sc.q2);
    sc.q2->sched_queued = true;
    assert_broken_quick("marked queued but is not in its ready queue");
}
END_TEST

START_TEST(test_catches_bitmap)
{
    build_scene();
    *sched_debug_bitmap_l2(0, 0) &= ~(uint64_t)(1u << 5); /* priority 5's queue is not empty */
    assert_broken_quick("bitmap");
    *sched_debug_bitmap_l2(0, 0) |= 1u << 5;
    *sched_debug_bitmap_l2(0, 1) |= 1; /* priority 64: an empty queue */
    assert_broken_quick("bitmap");
}
END_TEST

START_TEST(test_catches_queued_at_wrong_priority)
{
    build_scene();
    sc.q1->priority = 6; /* still in priority 5's queue */
    assert_broken_quick("not a queued runnable thread of that priority");
}
END_TEST

START_TEST(test_catches_inactive_thread_queued)
{
    build_scene();
    thread_state_ptr_set_ts_type(&sc.q1->state, ThreadState_Inactive);
    assert_broken_quick("not a queued runnable thread");
}
END_TEST

START_TEST(test_catches_bad_scheduler_action)
{
    build_scene();
    ks.sched_action = sc.r; /* blocked, not runnable */
    assert_broken_quick("scheduler action");
    ks.sched_action = (struct tcb *)PTOV(struct tcb, VTOP(sc.r) + 0x10000); /* not a TCB */
    assert_broken_quick("scheduler action");
}
END_TEST

START_TEST(test_catches_current_not_runnable)
{
    build_scene();
    thread_state_ptr_set_ts_type(&ks.root_thread->state, ThreadState_Inactive);
    assert_broken_quick("current thread");
}
END_TEST

START_TEST(test_catches_one_sided_binding)
{
    build_scene();
    notification_ptr_set_bound_tcb(scene_nt(sc.nb), 0); /* B still names nb */
    assert_broken_quick("is bound to notification");
    notification_ptr_set_bound_tcb(scene_nt(sc.nb), VTOP(sc.b));
    assert_holds();
    sc.b->bound_notification = 0; /* nb still names B; found through nb's cap (full check) */
    assert_broken("whose bound notification is");
}
END_TEST

START_TEST(test_catches_waiter_on_others_bound_notification)
{
    build_scene();
    notification_ptr_set_bound_tcb(scene_nt(sc.nt), VTOP(sc.b)); /* S and W wait on it */
    sc.b->bound_notification = cap_notification_cap_get_ptr(root_slot(sc.nt)->cap);
    notification_ptr_set_bound_tcb(scene_nt(sc.nb), 0);
    assert_broken_quick("waits on it");
}
END_TEST

START_TEST(test_catches_reply_cap_without_caller)
{
    build_scene();
    /* C stops waiting for the reply while S still holds the reply cap. */
    thread_state_ptr_set_ts_type(&sc.c->state, ThreadState_Inactive);
    assert_broken_quick("not blocked on reply");
}
END_TEST

START_TEST(test_catches_reply_cap_wrong_slot)
{
    build_scene();
    /* A master reply cap in another TCB's Reply slot. */
    cte_t *m = &sc.c->ctes[TCB_REPLY];
    m->cap = cap_reply_cap_set_tcb(m->cap, VTOP(sc.r));
    assert_broken_quick("Reply slot");
}
END_TEST

START_TEST(test_catches_two_reply_caps)
{
    build_scene();
    /* A second one-shot reply cap to C (linked after the first: a buggy SaveCaller might). */
    cte_t *first = &sc.s->ctes[TCB_CALLER];
    cte_t *second = &sc.w->ctes[TCB_CALLER];
    second->cap = first->cap;
    link_after(second, first);
    ck_assert(!kernel_invariants_hold(why, sizeof(why)));
    ck_assert_msg(strstr(why, "one-shot reply caps") != NULL, "reason: %s", why);
    /* The quick check sees the second one is not its master's child (it counts no caps). */
    ck_assert_uint_eq(incremental_catches(), 1);
    ck_assert_msg(strstr(why, "not its master reply cap's child") != NULL, "reason: %s", why);
}
END_TEST

START_TEST(test_catches_reply_cap_not_child_of_master)
{
    build_scene();
    cte_t *caller = &sc.s->ctes[TCB_CALLER];
    unlink_slot(caller); /* a derivation tree of its own */
    assert_broken_quick("not its master reply cap's child");
}
END_TEST

START_TEST(test_catches_irq_state_without_handler)
{
    build_scene();
    ks.irq_state[SCENE_IRQ + 1] = IRQ_SIGNAL; /* issued, but no IRQHandler cap names it */
    assert_broken("IRQHandler caps name it");
    ks.irq_state[SCENE_IRQ + 1] = IRQ_INACTIVE;
    cte_t *bound = &ks.irq_node[SCENE_IRQ]; /* the line's notification cap, cleared as Clear does */
    unlink_slot(bound);
    bound->cap = cap_null_cap_new();
    bound->mdb = mdb_node_new(0, 0, 0, 0);
    assert_holds();
    ks.irq_state[SCENE_IRQ] = IRQ_INACTIVE; /* its handler cap exists */
    assert_broken("IRQHandler caps name it");
}
END_TEST

START_TEST(test_catches_irq_binding_on_inactive_line)
{
    build_scene();
    /* A notification cap in the IRQ-node slot of a line never issued (well placed in the tree). */
    cte_t *s = &ks.irq_node[SCENE_IRQ + 2];
    s->cap = root_slot(sc.nt)->cap;
    link_after(s, root_slot(sc.nt));
    assert_broken_quick("IRQ-node slot holds");
}
END_TEST

START_TEST(test_catches_irq_binding_outside_tree)
{
    build_scene();
    /* The IRQ's notification cap leaves the derivation tree (the defect of issue 13: a copy that a
     * revoke of its source cannot reach). Only the full check sees it: the incremental form within
     * its period. */
    unlink_slot(&ks.irq_node[SCENE_IRQ]);
    ck_assert(kernel_invariants_quick(why, sizeof(why)));
    assert_broken("is not derived from it");
}
END_TEST

START_TEST(test_catches_irq_binding_of_revoked_notification)
{
    build_scene();
    /* The IRQ's cap names a notification whose every other cap is gone and whose memory its
     * untyped no longer covers (watermark reset, as after a revoke that missed the IRQ's copy). */
    cte_t *s = &ks.irq_node[SCENE_IRQ];
    ck_assert_uint_eq(cap_get_cap_type(s->cap), cap_notification_cap);
    paddr_t obj = cap_notification_cap_get_ptr(s->cap);
    for (uint64_t i = 0; i < (1u << CONFIG_ROOT_CNODE_SIZE_BITS); i++) {
        cte_t *c = root_slot(i);
        if (cap_get_cap_type(c->cap) == cap_untyped_cap && cap_untyped_cap_get_ptr(c->cap) <= obj &&
            obj < cap_untyped_cap_get_ptr(c->cap) +
                      (1ull << cap_untyped_cap_get_block_size(c->cap)) &&
            cap_untyped_cap_get_free_index(c->cap) != 0) {
            c->cap = cap_untyped_cap_set_free_index(c->cap, 0);
        }
    }
    assert_broken("watermark");
}
END_TEST

START_TEST(test_catches_unreachable_thread)
{
    build_scene();
    /* B's only cap vanishes (as if deleted without finalisation): B stays on the thread list. */
    cte_t *s = NULL;
    for (uint64_t i = ktest_first_empty(); i < 4096 && s == NULL; i++) {
        cte_t *c = root_slot(i);
        if (cap_get_cap_type(c->cap) == cap_thread_cap &&
            cap_thread_cap_get_tcb(c->cap) == VTOP(sc.b)) {
            s = c;
        }
    }
    ck_assert_ptr_nonnull(s);
    unlink_slot(s);
    s->cap = cap_null_cap_new();
    s->mdb = mdb_node_new(0, 0, 0, 0);
    assert_broken("unreachable");
}
END_TEST

START_TEST(test_catches_tcb_zombie_of_live_thread)
{
    build_scene();
    /* B's cap becomes a TCB zombie (what finalisation leaves), but B stays on the thread list (a
     * finalisation that forgot sched_tcb_destroyed). */
    cte_t *cap = NULL;
    for (uint64_t i = ktest_first_empty(); i < 4096 && cap == NULL; i++) {
        cte_t *c = root_slot(i);
        if (cap_get_cap_type(c->cap) == cap_thread_cap &&
            cap_thread_cap_get_tcb(c->cap) == VTOP(sc.b)) {
            cap = c;
        }
    }
    ck_assert_ptr_nonnull(cap);
    sc.b->bound_notification = 0;
    notification_ptr_set_bound_tcb(scene_nt(sc.nb), 0);
    cap->cap = cap_zombie_cap_new(VTOP(sc.b), ZOMBIE_TYPE_TCB, TCB_CNODE_ENTRIES);
    assert_broken("TCB zombie");
}
END_TEST

START_TEST(test_catches_thread_cap_to_dead_tcb)
{
    build_scene();
    /* B leaves the thread list (as finalisation does) while its cap and binding remain. */
    sc.b->bound_notification = 0;
    notification_ptr_set_bound_tcb(scene_nt(sc.nb), 0);
    sched_tcb_destroyed(sc.b);
    assert_broken("not a live TCB");
}
END_TEST

static Suite *invariants_suite(void)
{
    Suite *s = suite_create("invariants");
    struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"fresh_boot_small", test_fresh_boot_small},
        {"fresh_boot_virt", test_fresh_boot_virt},
        {"valid_operations", test_valid_operations},
        {"preempted_revoke", test_preempted_revoke_states},
        {"bad_prev_link", test_catches_bad_prev_link},
        {"link_outside_ram", test_catches_link_outside_ram},
        {"linked_empty_slot", test_catches_linked_empty_slot},
        {"cycle", test_catches_cycle},
        {"object_outside_untyped_tree", test_catches_object_outside_its_untyped},
        {"split_object_block", test_catches_split_object_block},
        {"badged_under_other_object", test_catches_badged_cap_under_other_object},
        {"subtree_split", test_catches_subtree_split},
        {"overlap", test_catches_overlapping_objects},
        {"overlap_boot_object", test_catches_object_over_boot_object},
        {"outside_ram", test_catches_object_outside_ram},
        {"misaligned", test_catches_misaligned_object},
        {"above_watermark", test_catches_object_above_watermark},
        {"thread_state", test_catches_bad_thread_state},
        {"free_index_past_size", test_catches_free_index_past_size},
        {"copy_without_full_parent", test_catches_copy_without_full_parent},
        {"guard_too_long", test_catches_guard_too_long},
        {"zero_radix", test_catches_zero_radix},
        {"root_thread_slot", test_catches_wrong_root_thread_slot},
        {"zombie_count", test_catches_zombie_count},
        {"cap_past_zombie_count", test_catches_cap_past_zombie_count},
        {"null_cap_with_links", test_catches_null_cap_with_links},
        {"scene_holds", test_scene_holds},
        {"thread_list_link", test_catches_thread_list_link},
        {"queued_thread_wrong_state", test_catches_queued_thread_wrong_state},
        {"blocked_thread_not_queued", test_catches_blocked_thread_not_queued},
        {"ipc_queue_prev_link", test_catches_ipc_queue_prev_link},
        {"ipc_queue_tail", test_catches_ipc_queue_tail},
        {"ipc_queue_cycle", test_catches_ipc_queue_cycle},
        {"receiver_badge", test_catches_receiver_badge},
        {"waiting_state_vs_queue", test_catches_waiting_with_empty_queue},
        {"runnable_not_queued", test_catches_runnable_not_queued},
        {"marked_queued_not_in_queue", test_catches_marked_queued_not_in_queue},
        {"bitmap", test_catches_bitmap},
        {"queued_at_wrong_priority", test_catches_queued_at_wrong_priority},
        {"inactive_thread_queued", test_catches_inactive_thread_queued},
        {"bad_scheduler_action", test_catches_bad_scheduler_action},
        {"current_not_runnable", test_catches_current_not_runnable},
        {"one_sided_binding", test_catches_one_sided_binding},
        {"waiter_on_others_bound_notification", test_catches_waiter_on_others_bound_notification},
        {"reply_cap_without_caller", test_catches_reply_cap_without_caller},
        {"reply_cap_wrong_slot", test_catches_reply_cap_wrong_slot},
        {"two_reply_caps", test_catches_two_reply_caps},
        {"reply_cap_not_child_of_master", test_catches_reply_cap_not_child_of_master},
        {"irq_state_without_handler", test_catches_irq_state_without_handler},
        {"irq_binding_on_inactive_line", test_catches_irq_binding_on_inactive_line},
        {"irq_binding_outside_tree", test_catches_irq_binding_outside_tree},
        {"irq_binding_of_revoked_notification", test_catches_irq_binding_of_revoked_notification},
        {"unreachable_thread", test_catches_unreachable_thread},
        {"thread_cap_to_dead_tcb", test_catches_thread_cap_to_dead_tcb},
        {"tcb_zombie_of_live_thread", test_catches_tcb_zombie_of_live_thread},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void) { return ktest_run(invariants_suite()); }

#else /* !CONFIG_KERNEL_INVARIANTS: no checker in this build */
int main(void)
{
    puts("1..0 # SKIP the invariant checker is built only with kernel_debug");
    return 0;
}
#endif
