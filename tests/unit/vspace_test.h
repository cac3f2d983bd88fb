/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by check_vspace.c and check_asid.c: typed wrappers for the VSpace invocations (words
 * placed exactly as libsel4's stubs place them), object creation in the root CNode, and the
 * invariant checks run after each operation. */
#ifndef VSPACE_TEST_H
#define VSPACE_TEST_H

#include "ktest.h"

#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/vspace.h>

#define ROOT seL4_CapInitThreadCNode
#define ROOT_VSPACE seL4_CapInitThreadVSpace
#define ROOT_POOL seL4_CapInitThreadASIDPool

/* ktest_assert_ok/_error on a call made exactly once. */

/* The root CNode's slot i and the cap in it, read from the kernel. */
static inline cte_t *slot_of(uint64_t i)
{
    return &cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap)[i];
}
static inline cap_t cap_of(uint64_t i) { return slot_of(i)->cap; }

/* Both invariant checkers hold (the VSpace one and the general one). */
static inline void check_invariants(void)
{
    char why[512];
    ck_assert_msg(vspace_invariants_hold(why, sizeof(why)), "vspace invariants: %s", why);
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "kernel invariants: %s", why);
}

/* ---- invocations ---- */

static inline struct ktest_reply page_map(uint64_t frame, uint64_t vspace, uint64_t vaddr,
                                          uint64_t rights, uint64_t attr)
{
    uint64_t mrs[] = {vaddr, rights, attr}, caps[] = {vspace};
    return ktest_call(frame, ARMPageMap, 3, mrs, 1, caps);
}
static inline struct ktest_reply page_unmap(uint64_t frame)
{
    return ktest_call(frame, ARMPageUnmap, 0, NULL, 0, NULL);
}
static inline struct ktest_reply page_get_address(uint64_t frame)
{
    return ktest_call(frame, ARMPageGetAddress, 0, NULL, 0, NULL);
}
/* label: ARMPageClean_Data .. ARMPageUnify_Instruction. */
static inline struct ktest_reply page_flush(uint64_t frame, uint64_t label, uint64_t start,
                                            uint64_t end)
{
    uint64_t mrs[] = {start, end};
    return ktest_call(frame, label, 2, mrs, 0, NULL);
}
static inline struct ktest_reply pt_map(uint64_t pt, uint64_t vspace, uint64_t vaddr)
{
    uint64_t mrs[] = {vaddr, seL4_ARM_Default_VMAttributes}, caps[] = {vspace};
    return ktest_call(pt, ARMPageTableMap, 2, mrs, 1, caps);
}
static inline struct ktest_reply pt_unmap(uint64_t pt)
{
    return ktest_call(pt, ARMPageTableUnmap, 0, NULL, 0, NULL);
}
/* label: ARMVSpaceClean_Data .. ARMVSpaceUnify_Instruction. */
static inline struct ktest_reply vspace_flush(uint64_t vspace, uint64_t label, uint64_t start,
                                              uint64_t end)
{
    uint64_t mrs[] = {start, end};
    return ktest_call(vspace, label, 2, mrs, 0, NULL);
}
static inline struct ktest_reply make_pool(uint64_t untyped, uint64_t root, uint64_t index,
                                           uint64_t depth)
{
    uint64_t mrs[] = {index, depth}, caps[] = {untyped, root};
    return ktest_call(seL4_CapASIDControl, ARMASIDControlMakePool, 2, mrs, 2, caps);
}
static inline struct ktest_reply asid_assign(uint64_t pool, uint64_t vspace)
{
    uint64_t caps[] = {vspace};
    return ktest_call(pool, ARMASIDPoolAssign, 0, NULL, 1, caps);
}

/* ---- objects ---- */

/* The next free root CNode slot the helpers hand out (reset per test by vt_start()). */
static uint64_t vt_next_slot;
static inline void vt_start(void) { vt_next_slot = ktest_first_empty(); }
static inline uint64_t vt_slots(uint64_t n)
{
    uint64_t s = vt_next_slot;
    vt_next_slot += n;
    return s;
}

/* Retype n objects of type from a RAM untyped of at least 2^ut_bits into fresh slots; returns the
 * first. Boot untypeds start full, so the first retype from one places objects at its base. */
static inline uint64_t vt_make_from(uint64_t ut, uint64_t type, uint64_t size_bits, uint64_t n)
{
    uint64_t s = vt_slots(n);
    OK(ktest_retype(ut, type, size_bits, ROOT, 0, 0, s, n));
    return s;
}
static inline uint64_t vt_make(uint64_t type, uint64_t n)
{
    return vt_make_from(ktest_untyped(24), type, 0, n);
}

/* A new VSpace with an ASID from the root task's pool. */
static inline uint64_t vt_vspace(void)
{
    uint64_t vs = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(ROOT_POOL, vs));
    return vs;
}
static inline paddr_t vt_root_of(uint64_t vs) { return cap_vspace_cap_get_ptr(cap_of(vs)); }
static inline uint64_t vt_asid_of(uint64_t vs)
{
    return cap_vspace_cap_get_mapped_asid(cap_of(vs));
}

/* What vs maps at vaddr: the frame's base, or 0 when nothing is mapped there. */
static inline paddr_t vt_lookup(uint64_t vs, uint64_t vaddr, word_t *bits, word_t *rights,
                                word_t *attrs)
{
    paddr_t pa;
    return vspace_lookup(vt_root_of(vs), vaddr, &pa, bits, rights, attrs) ? pa : 0;
}

#endif
