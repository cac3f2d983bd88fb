/* SPDX-License-Identifier: BSD-2-Clause */
/* CSpace addressing through invocations: guard and depth mismatches, missing caps, depth range and
 * invalid roots, each checked with the FailedLookup/RangeError words seL4 returns. */
#include "ktest.h"

#include <string.h>

#include <kaal/cspace.h>
#include <kaal/kernel.h>

#define ROOT seL4_CapInitThreadCNode

static uint64_t root_radix(void) { return hostsim_bootinfo()->initThreadCNodeSizeBits; }

/* Assert a FailedLookup reply: source flag, lookup type and the type's extra words. */
static void assert_failed_lookup(struct ktest_reply r, uint64_t source, uint64_t type,
                                 unsigned nwords, const uint64_t *words)
{
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(r.label, seL4_FailedLookup);
    ck_assert_uint_eq(r.length, 2 + nwords);
    ck_assert_uint_eq(r.mr[0], source);
    ck_assert_uint_eq(r.mr[1], type);
    for (unsigned i = 0; i < nwords; i++) {
        ck_assert_uint_eq(r.mr[2 + i], words[i]);
    }
}

static void assert_range_1_64(struct ktest_reply r)
{
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(r.label, seL4_RangeError);
    ck_assert_uint_eq(r.length, 2);
    ck_assert_uint_eq(r.mr[0], 1);
    ck_assert_uint_eq(r.mr[1], 64);
}

/* Make an endpoint in root slot `slot`. */
static void make_endpoint(uint64_t slot)
{
    OK(ktest_retype(ktest_untyped(12), seL4_EndpointObject, 0, ROOT, 0, 0, slot, 1));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_ENDPOINT);
}

/* Make a CNode of 2^radix slots (guard 0) in root slot `slot`. */
static void make_cnode(uint64_t slot, uint64_t radix)
{
    OK(ktest_retype(ktest_untyped(12), seL4_CapTableObject, radix, ROOT, 0, 0, slot, 1));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_CNODE);
}

/* ---- cspace_resolve_address_bits ---- */

START_TEST(test_guard_mismatch_source)
{
    uint64_t dest = ktest_first_empty();
    uint64_t src = 1ull << 40; /* inside the root's all-zero guard */
    struct ktest_reply r = ktest_cnode_copy(ROOT, dest, 64, ROOT, src, 64, seL4_AllRights);
    uint64_t w[] = {64, 0, 64 - root_radix()};
    assert_failed_lookup(r, 1, seL4_GuardMismatch, 3, w);
}
END_TEST

START_TEST(test_guard_mismatch_destination)
{
    struct ktest_reply r =
        ktest_cnode_copy(ROOT, 1ull << 63, 64, ROOT, seL4_CapInitThreadTCB, 64, seL4_AllRights);
    uint64_t w[] = {64, 0, 64 - root_radix()};
    assert_failed_lookup(r, 0, seL4_GuardMismatch, 3, w);
}
END_TEST

START_TEST(test_guard_longer_than_depth)
{
    /* depth 10 cannot even cover the root's guard: GuardMismatch with bitsLeft 10. */
    struct ktest_reply r = ktest_cnode_delete(ROOT, 1, 10);
    uint64_t w[] = {10, 0, 64 - root_radix()};
    assert_failed_lookup(r, 0, seL4_GuardMismatch, 3, w);
}
END_TEST

START_TEST(test_depth_mismatch_level_too_wide)
{
    uint64_t c = ktest_first_empty();
    make_cnode(c, 4);
    /* Used as a root, the 4-bit CNode needs 4 bits; 3 are given. */
    struct ktest_reply r = ktest_cnode_delete(c, 0, 3);
    uint64_t w[] = {3, 4};
    assert_failed_lookup(r, 0, seL4_DepthMismatch, 2, w);
}
END_TEST

START_TEST(test_depth_mismatch_bits_left)
{
    uint64_t c = ktest_first_empty();
    uint64_t ep = c + 1;
    make_cnode(c, 4);
    make_endpoint(ep);
    /* Put the endpoint into slot 5 of the new CNode, then address 8 bits: 4 are left over at the
     * endpoint, which is not a CNode. */
    OK(ktest_cnode_copy(c, 5, 4, ROOT, ep, 64, seL4_AllRights));
    struct ktest_reply r =
        ktest_cnode_copy(ROOT, ktest_first_empty() + 2, 64, c, 5 << 4, 8, seL4_AllRights);
    uint64_t w[] = {4, 0};
    assert_failed_lookup(r, 1, seL4_DepthMismatch, 2, w);
}
END_TEST

START_TEST(test_two_levels)
{
    uint64_t c1 = ktest_first_empty();
    uint64_t c2 = c1 + 1;
    uint64_t ep = c1 + 2;
    make_cnode(c1, 4);
    make_cnode(c2, 4);
    make_endpoint(ep);
    /* c1[1] = c2; c2[5] = ep. With c1 as root, (1 << 4 | 5, depth 8) names c2[5]. */
    OK(ktest_cnode_copy(c1, 1, 4, ROOT, c2, 64, seL4_AllRights));
    OK(ktest_cnode_copy(c1, (1 << 4) | 5, 8, ROOT, ep, 64, seL4_AllRights));
    uint64_t dest = c1 + 3;
    OK(ktest_cnode_copy(ROOT, dest, 64, c1, (1 << 4) | 5, 8, seL4_AllRights));
    ck_assert_uint_eq(ktest_cap_type(dest), KAAL_CAP_TAG_ENDPOINT);
    /* Depth 6 reaches c2 with 2 bits left, but c2 needs 4: DepthMismatch(bitsLeft 2, bitsFound 4).
     */
    struct ktest_reply r =
        ktest_cnode_copy(ROOT, dest + 1, 64, c1, (1 << 2) | 1, 6, seL4_AllRights);
    uint64_t w[] = {2, 4};
    assert_failed_lookup(r, 1, seL4_DepthMismatch, 2, w);
    /* An empty slot in the second level: MissingCapability with bitsLeft = the depth asked. */
    r = ktest_cnode_copy(ROOT, dest + 1, 64, c1, (1 << 4) | 6, 8, seL4_AllRights);
    uint64_t w2[] = {8};
    assert_failed_lookup(r, 1, seL4_MissingCapability, 1, w2);
}
END_TEST

/* ---- cspace_lookup_slot_for_cnode_op ---- */

START_TEST(test_missing_capability)
{
    uint64_t dest = ktest_first_empty();
    struct ktest_reply r = ktest_cnode_copy(ROOT, dest, 64, ROOT, dest + 1, 64, seL4_AllRights);
    uint64_t w[] = {64};
    assert_failed_lookup(r, 1, seL4_MissingCapability, 1, w);
}
END_TEST

START_TEST(test_depth_range)
{
    uint64_t dest = ktest_first_empty();
    assert_range_1_64(ktest_cnode_copy(ROOT, dest, 0, ROOT, 1, 64, seL4_AllRights));
    assert_range_1_64(ktest_cnode_copy(ROOT, dest, 65, ROOT, 1, 64, seL4_AllRights));
    assert_range_1_64(ktest_cnode_copy(ROOT, dest, 64, ROOT, 1, 0, seL4_AllRights));
    assert_range_1_64(ktest_cnode_copy(ROOT, dest, 64, ROOT, 1, 65, seL4_AllRights));
    /* The kernel reads the whole word: 0x140 is not 64. */
    assert_range_1_64(ktest_cnode_delete(ROOT, dest, 0x140));
    ck_assert_uint_eq(ktest_cap_type(dest), KAAL_CAP_TAG_NULL);
}
END_TEST

START_TEST(test_invalid_root)
{
    uint64_t dest = ktest_first_empty();
    /* The source root is the TCB cap, not a CNode. */
    struct ktest_reply r =
        ktest_cnode_copy(ROOT, dest, 64, seL4_CapInitThreadTCB, 1, 64, seL4_AllRights);
    assert_failed_lookup(r, 1, seL4_InvalidRoot, 0, NULL);
    /* Rotate's pivot root is looked up as a source too. */
    r = ktest_cnode_rotate(ROOT, dest, 64, 0, seL4_CapInitThreadTCB, 1, 64, 0, ROOT, seL4_CapDomain,
                           64);
    assert_failed_lookup(r, 1, seL4_InvalidRoot, 0, NULL);
}
END_TEST

START_TEST(test_exact_depth_root)
{
    /* The root CNode addressed with exactly its own width (no guard bits): a guard of 52 bits
     * cannot be skipped, so depth = radix alone is a guard mismatch; depth 64 works. */
    uint64_t dest = ktest_first_empty();
    OK(ktest_cnode_copy(ROOT, dest, 64, ROOT, seL4_CapDomain, 64, seL4_AllRights));
    struct ktest_reply r = ktest_cnode_delete(ROOT, dest, root_radix());
    uint64_t w[] = {root_radix(), 0, 64 - root_radix()};
    assert_failed_lookup(r, 0, seL4_GuardMismatch, 3, w);
}
END_TEST

/* ---- cspace_lookup_slot: the inline single-level case agrees with the general walk ---- */

START_TEST(test_lookup_slot_inline_matches_walk)
{
    /* A TCB whose CSpace root is the boot CNode with various guards and radices (radix up to the
     * real one, so every slot the walk reads exists; slot 2 holds the CNode itself, so guards that
     * leave bits over walk a second level). */
    static struct tcb t;
    cap_t boot = ks.root_thread->ctes[TCB_CTABLE].cap;
    word_t real_radix = cap_cnode_cap_get_radix(boot);
    static const word_t radices[] = {1, 2, 4, 12};
    static const word_t guard_sizes[] = {0, 1, 40, 51, 52, 53, 62, 63};
    uint64_t x = 0x9e3779b97f4a7c15ull;
    unsigned fast = 0;
    for (unsigned r = 0; r < sizeof(radices) / sizeof(radices[0]); r++) {
        word_t radix = radices[r] <= real_radix ? radices[r] : real_radix;
        for (unsigned g = 0; g < sizeof(guard_sizes) / sizeof(guard_sizes[0]); g++) {
            word_t gs = guard_sizes[g];
            if (radix + gs > 64) {
                continue;
            }
            word_t guard =
                0x5a5a5a5a5a5a5a5aull & MASK(gs < 58 ? gs : 58); /* the guard field has 58 bits */
            t.ctes[TCB_CTABLE].cap =
                cap_cnode_cap_new(cap_cnode_cap_get_ptr(boot), radix, gs, guard);
            for (unsigned i = 0; i < 200; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                cptr_t c = x;
                if (i % 2 == 0 && radix + gs == 64) {
                    c = (guard << radix) | (x & MASK(radix)); /* a matching guard */
                } else if (i % 4 == 1) {
                    c = x & 0xff; /* small cptrs, as programs use */
                }
                cte_t *s1 = NULL, *s2 = NULL;
                struct lookup_fault l1 = {0}, l2 = {0};
                exception_t e1 = cspace_lookup_slot(&t, c, &s1, &l1);
                exception_t e2 = cspace_lookup_slot_walk(&t, c, &s2, &l2);
                ck_assert_int_eq(e1, e2);
                if (e1 == EXCEPTION_NONE) {
                    ck_assert_ptr_eq(s1, s2);
                    fast += radix + gs == 64;
                } else {
                    ck_assert_int_eq(memcmp(&l1, &l2, sizeof(l1)), 0);
                }
            }
        }
    }
    ck_assert_uint_gt(fast, 100); /* the single-level case was exercised */
}
END_TEST

static Suite *cspace_suite(void)
{
    Suite *s = suite_create("cspace");
    TCase *tc = tcase_create("cspace_resolve_address_bits");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_guard_mismatch_source);
    tcase_add_test(tc, test_guard_mismatch_destination);
    tcase_add_test(tc, test_guard_longer_than_depth);
    tcase_add_test(tc, test_depth_mismatch_level_too_wide);
    tcase_add_test(tc, test_depth_mismatch_bits_left);
    tcase_add_test(tc, test_two_levels);
    tcase_add_test(tc, test_exact_depth_root);
    suite_add_tcase(s, tc);

    tc = tcase_create("cspace_lookup_slot_for_cnode_op");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_missing_capability);
    tcase_add_test(tc, test_depth_range);
    tcase_add_test(tc, test_invalid_root);
    suite_add_tcase(s, tc);

    tc = tcase_create("cspace_lookup_slot");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_lookup_slot_inline_matches_walk);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(cspace_suite()); }
