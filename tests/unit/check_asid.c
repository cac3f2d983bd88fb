/* SPDX-License-Identifier: BSD-2-Clause */
/* ASIDControl_MakePool and ASIDPool_Assign through the root thread's system calls: success, every
 * error with its words, exhaustion of pools (128) and of a pool's ASIDs (512), and what deleting
 * or revoking a pool or VSpace leaves in ks.asid_table, with the invariant checkers throughout. */
#include "vspace_test.h"

/* n fresh 4 KiB RAM untypeds in consecutive slots; *paddr gets the first one's address. */
static uint64_t small_untypeds(uint64_t n, paddr_t *paddr)
{
    uint64_t parent = ktest_untyped(24);
    uint64_t s = vt_make_from(parent, seL4_UntypedObject, 12, n);
    if (paddr != NULL) {
        *paddr = cap_untyped_cap_get_ptr(cap_of(s));
    }
    return s;
}

/* ---- ASIDControl_MakePool ---- */

START_TEST(test_make_pool)
{
    vt_start();
    paddr_t pa;
    uint64_t ut = small_untypeds(1, &pa);
    uint64_t pool = vt_slots(1);
    ck_assert_uint_eq(ks.asid_table[1], 0);
    OK(make_pool(ut, ROOT, pool, 64));
    check_invariants();
    ck_assert_uint_eq(ktest_cap_type(pool), KAAL_CAP_TAG_ASID_POOL);
    ck_assert_uint_eq(cap_asid_pool_cap_get_ptr(cap_of(pool)), pa);
    ck_assert_uint_eq(cap_asid_pool_cap_get_asid_base(cap_of(pool)), 1 * ASID_POOL_ENTRIES);
    ck_assert_uint_eq(ks.asid_table[1], pa);
    /* The untyped is used up: nothing more can be made from it while the pool lives. */
    struct ktest_reply r = ktest_retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, vt_slots(1), 1);
    ERR(r, seL4_NotEnoughMemory, 1);
    ck_assert_uint_eq(r.mr[0], 0);
    /* The pool is the untyped's child: MakePool refuses it now, and revoking it removes the pool.
     */
    ERR(make_pool(ut, ROOT, vt_slots(1), 64), seL4_RevokeFirst, 0);
    uint64_t vs = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(pool, vs));
    ck_assert_uint_eq(vt_asid_of(vs),
                      ASID_POOL_ENTRIES); /* the pool's first ASID: only ASID 0 is skipped */
    OK(ktest_cnode_revoke(ROOT, ut, 64));
    check_invariants();
    ck_assert_uint_eq(ktest_cap_type(pool), KAAL_CAP_TAG_NULL);
    ck_assert_uint_eq(ks.asid_table[1], 0);
    /* The next pool takes the lowest free index again, from the same memory, cleared. */
    uint64_t pool2 = vt_slots(1);
    OK(make_pool(ut, ROOT, pool2, 64));
    ck_assert_uint_eq(cap_asid_pool_cap_get_asid_base(cap_of(pool2)), ASID_POOL_ENTRIES);
    for (unsigned i = 0; i < ASID_POOL_ENTRIES; i++) {
        ck_assert_uint_eq(PTOV(asid_pool_t, pa)->vspace[i], 0);
    }
    check_invariants();
}
END_TEST

START_TEST(test_make_pool_errors)
{
    vt_start();
    uint64_t ut = small_untypeds(2, NULL);
    uint64_t big = vt_make_from(ktest_untyped(24), seL4_UntypedObject, 13, 1);
    uint64_t ep = vt_make(seL4_EndpointObject, 1);
    uint64_t dest = vt_slots(1);
    uint64_t caps[] = {ut, ROOT};

    ERR(ktest_call(seL4_CapASIDControl, ARMASIDPoolAssign, 2, (uint64_t[]){dest, 64}, 2, caps),
        seL4_IllegalOperation, 0);
    ERR(ktest_call(seL4_CapASIDControl, ARMASIDControlMakePool, 1, (uint64_t[]){dest}, 2, caps),
        seL4_TruncatedMessage, 0);
    ERR(ktest_call(seL4_CapASIDControl, ARMASIDControlMakePool, 2, (uint64_t[]){dest, 64}, 1, caps),
        seL4_TruncatedMessage, 0);
    struct ktest_reply r = make_pool(ep, ROOT, dest, 64);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    r = make_pool(big, ROOT, dest, 64);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    /* A 4 KiB device untyped. */
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t dev = 0;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end && dev == 0; s++) {
        if (bi->untypedList[s - bi->untyped.start].isDevice &&
            bi->untypedList[s - bi->untyped.start].sizeBits >= 12) {
            dev = s;
        }
    }
    ck_assert_uint_ne(dev, 0);
    uint64_t dev4k = vt_make_from(dev, seL4_UntypedObject, 12, 1);
    r = make_pool(dev4k, ROOT, dest, 64);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    /* Children: RevokeFirst (before the destination is looked at). */
    uint64_t child = vt_make_from(ut + 1, seL4_EndpointObject, 0, 1);
    (void)child;
    ERR(make_pool(ut + 1, ROOT, ROOT, 64), seL4_RevokeFirst, 0);
    /* The destination: depth, occupied, not a CNode. */
    r = make_pool(ut, ROOT, dest, 0);
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], 1);
    ck_assert_uint_eq(r.mr[1], 64);
    ERR(make_pool(ut, ROOT, ep, 64), seL4_DeleteFirst, 0);
    uint64_t bad_root[] = {ut, ep};
    r = ktest_call(seL4_CapASIDControl, ARMASIDControlMakePool, 2, (uint64_t[]){dest, 64}, 2,
                   bad_root);
    ERR(r, seL4_FailedLookup, 2);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], seL4_InvalidRoot);
    ck_assert_uint_eq(ks.asid_table[1], 0);
    ck_assert_uint_eq(ktest_cap_type(dest), KAAL_CAP_TAG_NULL);
    check_invariants();
}
END_TEST

START_TEST(test_make_pool_exhaustion)
{
    vt_start();
    /* Pool 0 is the boot pool: 127 more fit. */
    uint64_t ut = small_untypeds(ASID_POOLS, NULL);
    uint64_t pools = vt_slots(ASID_POOLS);
    for (unsigned i = 0; i < ASID_POOLS - 1; i++) {
        OK(make_pool(ut + i, ROOT, pools + i, 64));
        ck_assert_uint_eq(cap_asid_pool_cap_get_asid_base(cap_of(pools + i)),
                          (i + 1) * ASID_POOL_ENTRIES);
    }
    check_invariants();
    ERR(make_pool(ut + ASID_POOLS - 1, ROOT, pools + ASID_POOLS - 1, 64), seL4_DeleteFirst, 0);
    /* No free pool is checked first, before the untyped. */
    ERR(make_pool(ROOT, ROOT, pools + ASID_POOLS - 1, 64), seL4_DeleteFirst, 0);
    /* Deleting one frees its index, and the next pool gets exactly that one. */
    OK(ktest_cnode_delete(ROOT, pools + 40, 64));
    ck_assert_uint_eq(ks.asid_table[41], 0);
    check_invariants();
    OK(ktest_cnode_revoke(ROOT, ut + 40, 64)); /* nothing left under it */
    OK(make_pool(ut + ASID_POOLS - 1, ROOT, pools + 40, 64));
    ck_assert_uint_eq(cap_asid_pool_cap_get_asid_base(cap_of(pools + 40)), 41 * ASID_POOL_ENTRIES);
    ck_assert_uint_eq(ks.asid_table[41], cap_untyped_cap_get_ptr(cap_of(ut + ASID_POOLS - 1)));
    check_invariants();
}
END_TEST

/* ---- ASIDPool_Assign ---- */

START_TEST(test_assign)
{
    vt_start();
    uint64_t vs = vt_make(seL4_ARM_VSpaceObject, 3);
    OK(asid_assign(ROOT_POOL, vs));
    check_invariants();
    /* ASID 0 is never handed out and 1 is the root task's: the lowest free is 2. */
    ck_assert(cap_vspace_cap_get_is_mapped(cap_of(vs)));
    ck_assert_uint_eq(vt_asid_of(vs), 2);
    ck_assert_uint_eq(PTOV(asid_pool_t, ks.asid_table[0])->vspace[2], vt_root_of(vs));
    ck_assert_uint_eq(asid_find_vspace(2), vt_root_of(vs));
    OK(asid_assign(ROOT_POOL, vs + 1));
    ck_assert_uint_eq(vt_asid_of(vs + 1), 3);
    /* A freed ASID is the lowest again. */
    OK(ktest_cnode_delete(ROOT, vs, 64));
    OK(asid_assign(ROOT_POOL, vs + 2));
    ck_assert_uint_eq(vt_asid_of(vs + 2), 2);
    check_invariants();
    /* A copy of a VSpace cap with an ASID has it too (copies of unassigned ones are refused). */
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, vs + 2, 64, seL4_AllRights));
    ck_assert_uint_eq(vt_asid_of(copy), 2);
    uint64_t bare = vt_make(seL4_ARM_VSpaceObject, 1);
    ERR(ktest_cnode_copy(ROOT, vt_slots(1), 64, ROOT, bare, 64, seL4_AllRights),
        seL4_IllegalOperation, 0);
    check_invariants();
}
END_TEST

START_TEST(test_assign_errors)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t ep = vt_make(seL4_EndpointObject, 1);
    uint64_t bare = vt_make(seL4_ARM_VSpaceObject, 1);
    ERR(ktest_call(ROOT_POOL, ARMASIDPoolAssign, 0, NULL, 0, NULL), seL4_TruncatedMessage, 0);
    ERR(ktest_call(ROOT_POOL, ARMASIDControlMakePool, 2, (uint64_t[]){0, 64}, 2,
                   (uint64_t[]){bare, ROOT}),
        seL4_IllegalOperation, 0);
    struct ktest_reply r = asid_assign(ROOT_POOL, ep);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    r = asid_assign(ROOT_POOL, vs); /* has an ASID already */
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    r = asid_assign(ROOT_POOL, ROOT_VSPACE);
    ERR(r, seL4_InvalidCapability, 1);
    ERR(ktest_call(seL4_CapASIDControl, ARMASIDPoolAssign, 0, NULL, 1, (uint64_t[]){bare}),
        seL4_IllegalOperation, 0);
    ck_assert(!cap_vspace_cap_get_is_mapped(cap_of(bare)));
    check_invariants();
}
END_TEST

START_TEST(test_assign_exhaustion)
{
    vt_start();
    uint64_t ut = small_untypeds(1, NULL);
    uint64_t pool = vt_slots(1);
    OK(make_pool(ut, ROOT, pool, 64));
    uint64_t vs = vt_make(seL4_ARM_VSpaceObject, 256);
    vt_make(seL4_ARM_VSpaceObject, 256);
    uint64_t extra = vt_make(seL4_ARM_VSpaceObject, 1);
    for (unsigned i = 0; i < ASID_POOL_ENTRIES; i++) {
        OK(asid_assign(pool, vs + i));
        ck_assert_uint_eq(vt_asid_of(vs + i), ASID_POOL_ENTRIES + i);
        if (i % 128 == 127) {
            check_invariants();
        }
    }
    ERR(asid_assign(pool, extra), seL4_DeleteFirst, 0);
    ck_assert(!cap_vspace_cap_get_is_mapped(cap_of(extra)));
    /* The boot pool still has room. */
    OK(asid_assign(ROOT_POOL, extra));
    /* Free one in the middle: it is the one handed out next. */
    OK(ktest_cnode_delete(ROOT, vs + 300, 64));
    uint64_t again = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(pool, again));
    ck_assert_uint_eq(vt_asid_of(again), ASID_POOL_ENTRIES + 300);
    check_invariants();
}
END_TEST

/* ---- deleting pools ---- */

START_TEST(test_delete_pool)
{
    vt_start();
    paddr_t pa;
    uint64_t ut = small_untypeds(1, &pa);
    uint64_t pool = vt_slots(1);
    OK(make_pool(ut, ROOT, pool, 64));
    uint64_t vs = vt_make(seL4_ARM_VSpaceObject, 2);
    OK(asid_assign(pool, vs));
    OK(asid_assign(pool, vs + 1));
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, pool, 64, seL4_AllRights));
    OK(ktest_cnode_delete(ROOT, pool, 64)); /* a copy remains */
    ck_assert_uint_eq(ks.asid_table[1], pa);
    OK(asid_assign(copy, vt_make(seL4_ARM_VSpaceObject, 1)));
    check_invariants();
    OK(ktest_cnode_delete(ROOT, copy, 64));
    check_invariants();
    ck_assert_uint_eq(ks.asid_table[1], 0);
    ck_assert_uint_eq(asid_find_vspace(ASID_POOL_ENTRIES), 0);
    /* The VSpace caps keep their (now dead) ASIDs: using them is a failed lookup. */
    ck_assert(cap_vspace_cap_get_is_mapped(cap_of(vs)));
    struct ktest_reply r = pt_map(vt_make(seL4_ARM_PageTableObject, 1), vs, 0x10000000);
    ERR(r, seL4_FailedLookup, 2);
    ck_assert_uint_eq(r.mr[1], seL4_InvalidRoot);
    /* A new pool at the same index and a new VSpace with the same ASID: the old cap is refused. */
    uint64_t ut2 = small_untypeds(1, NULL);
    uint64_t pool2 = vt_slots(1);
    OK(make_pool(ut2, ROOT, pool2, 64));
    uint64_t vs2 = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(pool2, vs2));
    ck_assert_uint_eq(vt_asid_of(vs2), vt_asid_of(vs));
    r = pt_map(vt_make(seL4_ARM_PageTableObject, 1), vs, 0x10000000);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    check_invariants();
    /* Deleting the stale VSpace cap does not unbind the new one. */
    OK(ktest_cnode_delete(ROOT, vs, 64));
    ck_assert_uint_eq(asid_find_vspace(vt_asid_of(vs2)), vt_root_of(vs2));
    check_invariants();
}
END_TEST

START_TEST(test_delete_boot_pool)
{
    vt_start();
    uint64_t vs = vt_vspace();
    OK(ktest_cnode_delete(ROOT, ROOT_POOL, 64));
    ck_assert_uint_eq(ks.asid_table[0], 0);
    ck_assert_uint_eq(asid_find_vspace(1), 0);
    ck_assert_uint_eq(asid_find_vspace(vt_asid_of(vs)), 0);
    check_invariants();
    /* MakePool now reuses index 0, whose ASID 0 is still never handed out. */
    uint64_t ut = small_untypeds(1, NULL);
    uint64_t pool = vt_slots(1);
    OK(make_pool(ut, ROOT, pool, 64));
    ck_assert_uint_eq(cap_asid_pool_cap_get_asid_base(cap_of(pool)), 0);
    uint64_t vs2 = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(pool, vs2));
    ck_assert_uint_eq(vt_asid_of(vs2), 1);
    check_invariants();
}
END_TEST

static Suite *asid_suite(void)
{
    Suite *s = suite_create("asid");
    struct {
        const char *name;
        const TTest *tests[4];
    } cases[] = {
        {"asid_control_make_pool",
         {test_make_pool, test_make_pool_errors, test_make_pool_exhaustion}},
        {"asid_pool_assign", {test_assign, test_assign_errors, test_assign_exhaustion}},
        {"asid_pool_delete", {test_delete_pool, test_delete_boot_pool}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
        for (size_t k = 0; k < 4 && cases[i].tests[k] != NULL; k++) {
            tcase_add_test(tc, cases[i].tests[k]);
        }
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void) { return ktest_run(asid_suite()); }
