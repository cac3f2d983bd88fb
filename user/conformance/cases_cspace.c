/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: CSpace addressing through CNode invocations: multi-level CSpaces with guards,
 * depth and guard mismatches and their error words (docs/abi.md#invocation-semantics, #errors). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

/* A two-level CSpace: A (16 slots, no guard) holds in slot 3 a cap to B (16 slots) with a 2-bit
 * guard of value 1. Addressed from A: 4 bits of A, 2 guard bits, 4 bits of B = depth 10. */
struct two_level {
    seL4_CPtr a, b;
};
#define B_INDEX(j) ((3ull << 6) | (1ull << 4) | (j))

static void make_two_level(struct conf_env *env, struct two_level *t)
{
    t->a = conf_alloc(env, seL4_CapTableObject, 4);
    t->b = conf_alloc(env, seL4_CapTableObject, 4);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(t->a, 3, 4, ROOT, t->b, DEPTH, seL4_AllRights,
                           seL4_CNode_CapData_new(1, 2).words[0]));
}

static void case_two_level(struct conf_env *env)
{
    struct two_level t;
    make_two_level(env, &t);
    CONF_CHECK(!conf_failed());
    /* Into B slot 5 through A, then back out to the root CNode. */
    CONF_OK(
        sys_cnode_copy(t.a, B_INDEX(5), 10, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights));
    seL4_CPtr back = conf_slot(env);
    CONF_OK(sys_cnode_copy(ROOT, back, DEPTH, t.a, B_INDEX(5), 10, seL4_AllRights));
    CONF_EQ(conf_tag(back), KAAL_CAP_TAG_THREAD);
    /* B itself, addressed directly, has it in slot 5. */
    seL4_CPtr back2 = conf_slot(env);
    CONF_OK(sys_cnode_move(ROOT, back2, DEPTH, t.b, 5, 4));
    CONF_EQ(conf_tag(back2), KAAL_CAP_TAG_THREAD);
}

static void case_guard_mismatch(struct conf_env *env)
{
    struct two_level t;
    make_two_level(env, &t);
    CONF_CHECK(!conf_failed());
    seL4_Word wrong = (3ull << 6) | (2ull << 4) | 5; /* guard 2, not 1 */
    CONF_ERR(sys_cnode_copy(t.a, wrong, 10, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(0), 0); /* the destination failed */
    CONF_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CONF_EQ(seL4_GetMR(2), 6); /* bits left when B was reached */
    CONF_EQ(seL4_GetMR(3), 1); /* "guard found" is the cap's guard */
    CONF_EQ(seL4_GetMR(4), 2); /* guard size */
}

static void case_depth_mismatch(struct conf_env *env)
{
    struct two_level t;
    make_two_level(env, &t);
    CONF_CHECK(!conf_failed());
    /* Depth 8: A takes 4, B's level needs 6 but 4 are left. */
    CONF_ERR(
        sys_cnode_copy(t.a, B_INDEX(5) >> 2, 8, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights),
        seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CONF_EQ(seL4_GetMR(2), 4); /* bits left */
    CONF_EQ(seL4_GetMR(3), 6); /* bits the level needs */
    /* Depth 2 on A itself (radix 4). */
    CONF_ERR(sys_cnode_copy(t.a, 1, 2, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CONF_EQ(seL4_GetMR(2), 2);
    CONF_EQ(seL4_GetMR(3), 4);
}

/* The walk stops at a cap that is not a CNode with bits left: a depth mismatch, 0 bits found. */
static void case_stops_at_non_cnode(struct conf_env *env)
{
    seL4_CPtr a = conf_alloc(env, seL4_CapTableObject, 4);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_copy(a, 3, 4, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights));
    CONF_ERR(sys_cnode_copy(a, (3ull << 6) | 1, 10, ROOT, seL4_CapInitThreadCNode, DEPTH,
                            seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CONF_EQ(seL4_GetMR(2), 6);
    CONF_EQ(seL4_GetMR(3), 0);
}

/* A guarded CNode addressed at exactly guard + radix bits. */
static void case_guarded_single_level(struct conf_env *env)
{
    seL4_CPtr cn = conf_alloc(env, seL4_CapTableObject, 4);
    seL4_CPtr g = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, g, DEPTH, ROOT, cn, DEPTH, seL4_AllRights,
                           seL4_CNode_CapData_new(0x2a, 8).words[0]));
    CONF_OK(sys_cnode_copy(g, (0x2aull << 4) | 9, 12, ROOT, seL4_CapInitThreadTCB, DEPTH,
                           seL4_AllRights));
    CONF_ERR(sys_cnode_copy(g, (0x2bull << 4) | 9, 12, ROOT, seL4_CapInitThreadTCB, DEPTH,
                            seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CONF_EQ(seL4_GetMR(2), 12);
    CONF_EQ(seL4_GetMR(3), 0x2a); /* the cap's guard, as seL4 reports it */
    CONF_EQ(seL4_GetMR(4), 8);
    /* Slot 9 of the unguarded cap to the same CNode holds the copy. */
    seL4_CPtr out = conf_slot(env);
    CONF_OK(sys_cnode_move(ROOT, out, DEPTH, cn, 9, 4));
    CONF_EQ(conf_tag(out), KAAL_CAP_TAG_THREAD);
}

/* The invoked cap and extra caps are looked up at depth 64 in the caller's CSpace. */
static void case_invoked_cptr_lookup(struct conf_env *env)
{
    CONF_EQ(conf_tag(1ull << 40 | seL4_CapInitThreadTCB), KAAL_CAP_TAG_NULL);
    CONF_EQ(conf_tag(seL4_CapInitThreadTCB), KAAL_CAP_TAG_THREAD);
    seL4_CPtr dst = conf_slot(env);
    /* An extra cap (the source root) in an empty slot resolves to a null cap: not a CNode, so the
     * source lookup fails with InvalidRoot. */
    CONF_ERR(sys_cnode_copy(ROOT, dst, DEPTH, seL4_CapNull, seL4_CapInitThreadTCB, DEPTH,
                            seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(1), seL4_InvalidRoot);
}

static const struct conf_case cases[] = {
    CONF_CASE(two_level),          CONF_CASE(guard_mismatch),       CONF_CASE(depth_mismatch),
    CONF_CASE(stops_at_non_cnode), CONF_CASE(guarded_single_level), CONF_CASE(invoked_cptr_lookup),
};
const struct conf_area conf_area_cspace = CONF_AREA("cspace", cases);
