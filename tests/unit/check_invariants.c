/* SPDX-License-Identifier: BSD-2-Clause */
/* The invariant checker: it accepts freshly booted kernels and the states valid invocations leave,
 * and each of its checks fires on a deliberately corrupted state. */
#include "ktest.h"

#include <stdio.h>
#include <string.h>

#include <kaal/gen_config.h>

#ifdef CONFIG_KERNEL_INVARIANTS
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/structures.h>

static char why[512];

#define assert_holds() ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "invariants broken: %s", why)

/* The checker must fail, and its reason must mention `needle`. */
#define assert_broken(needle)                                                                                 \
    do {                                                                                                      \
        ck_assert_msg(!kernel_invariants_hold(why, sizeof(why)), "corruption not detected");                  \
        ck_assert_msg(strstr(why, (needle)) != NULL, "reason \"%s\" does not mention \"%s\"", why, (needle)); \
    } while (0)

static cte_t *root_slots(void) { return PTOV(cte_t, cap_cnode_cap_get_ptr(ks.root_thread->ctes[TCB_CTABLE].cap)); }
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
    struct ktest_reply r = ktest_retype(ut, type, size_bits, seL4_CapInitThreadCNode, 0, 0, dest, num);
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
    ktest_assert_ok(
        ktest_cnode_copy(seL4_CapInitThreadCNode, free_slot, 64, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, free_slot + 1, 64, seL4_CapInitThreadCNode, ep, 64,
                                     seL4_AllRights, 42));
    assert_holds();
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, free_slot + 2, 64, seL4_CapInitThreadCNode, free_slot + 1,
                                     64, seL4_CanWrite));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, free_slot + 3, 64, seL4_CapInitThreadCNode, nt, 64,
                                     seL4_AllRights, 7));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mint(seL4_CapInitThreadCNode, free_slot + 4, 64, seL4_CapInitThreadCNode, cn, 64,
                                     seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]));
    assert_holds();
    /* Children of a child untyped, inside a child CNode addressed through it. */
    ktest_assert_ok(ktest_retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cn, 64, 0, 4));
    assert_holds();
    /* Copy of an untyped with no children marks the original full. */
    ktest_assert_ok(ktest_cnode_copy(seL4_CapInitThreadCNode, free_slot + 5, 64, seL4_CapInitThreadCNode, ut + 1, 64,
                                     seL4_AllRights));
    assert_holds();
    ktest_assert_ok(ktest_retype(free_slot + 5, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, cn, 64, 4, 2));
    assert_holds();
    /* Moves, mutate, rotate, delete, revoke. */
    ktest_assert_ok(
        ktest_cnode_move(seL4_CapInitThreadCNode, free_slot + 6, 64, seL4_CapInitThreadCNode, free_slot, 64));
    assert_holds();
    ktest_assert_ok(ktest_cnode_mutate(seL4_CapInitThreadCNode, free_slot + 7, 64, seL4_CapInitThreadCNode,
                                       free_slot + 4, 64, seL4_CNode_CapData_new(0, 59).words[0]));
    assert_holds();
    /* Swap the guarded CNode cap with the frame cap (dest == src). */
    ktest_assert_ok(ktest_cnode_rotate(seL4_CapInitThreadCNode, free_slot + 7, 64, 0, seL4_CapInitThreadCNode, frame,
                                       64, seL4_CNode_CapData_new(0, 60).words[0], seL4_CapInitThreadCNode,
                                       free_slot + 7, 64));
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
    ktest_assert_ok(ktest_cnode_copy(cn + 1, 1, 4, seL4_CapInitThreadCNode, cn + 1, 64, seL4_AllRights));
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
    ktest_assert_ok(ktest_retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cn, 64, 0, 200));
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
    mdb_node_ptr_set_next(&root_slot(ktest_first_empty() + 7)->mdb, VTOP(root_slot(seL4_CapDomain)));
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
    ktest_assert_ok(
        ktest_cnode_copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights));
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
    ktest_assert_ok(
        ktest_cnode_mint(seL4_CapInitThreadCNode, badged, 64, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights, 5));
    ktest_assert_ok(
        ktest_cnode_copy(seL4_CapInitThreadCNode, badged + 1, 64, seL4_CapInitThreadCNode, badged, 64, seL4_AllRights));
    assert_holds();
    /* Point the badged copy at the other endpoint: it now sits in a run of caps to another object. */
    cap_endpoint_cap_ptr_set_ptr(&root_slot(badged + 1)->cap, cap_endpoint_cap_get_ptr(root_slot(ep + 1)->cap));
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
    cap_endpoint_cap_ptr_set_ptr(&root_slot(ep)->cap, cap_cnode_cap_get_ptr(root_slot(cn)->cap) + 16);
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
    ktest_assert_ok(
        ktest_cnode_copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, ut, 64, seL4_AllRights));
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
    ktest_assert_ok(ktest_cnode_copy(cn, 3, 2, seL4_CapInitThreadCNode, seL4_CapDomain, 64, seL4_AllRights));
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
