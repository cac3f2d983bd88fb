/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: CNode invocations (docs/abi.md#invocation-semantics), successes and errors with
 * their words (docs/abi.md#errors). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

static seL4_Word mr(int i) { return seL4_GetMR(i); }

static void case_copy(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env);
    CONF_OK(sys_cnode_copy(ROOT, dst, DEPTH, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights));
    CONF_EQ(conf_tag(dst), KAAL_CAP_TAG_THREAD);
    CONF_EQ(conf_tag(seL4_CapInitThreadTCB), KAAL_CAP_TAG_THREAD);
}

static void case_copy_dest_occupied(struct conf_env *env)
{
    CONF_ERR(sys_cnode_copy(ROOT, seL4_CapInitThreadTCB, DEPTH, ROOT, seL4_CapInitThreadCNode,
                            DEPTH, seL4_AllRights),
             seL4_DeleteFirst);
}

static void case_copy_src_empty(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env), src = conf_slot(env);
    CONF_ERR(sys_cnode_copy(ROOT, dst, DEPTH, ROOT, src, DEPTH, seL4_AllRights), seL4_FailedLookup);
    CONF_EQ(mr(0), 1); /* the source failed */
    CONF_EQ(mr(1), seL4_MissingCapability);
    CONF_EQ(mr(2), DEPTH); /* bits left */
}

static void case_copy_depth_range(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env);
    CONF_ERR(sys_cnode_copy(ROOT, dst, 65, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights),
             seL4_RangeError);
    CONF_EQ(mr(0), 1);
    CONF_EQ(mr(1), 64);
    CONF_ERR(sys_cnode_copy(ROOT, dst, 0, ROOT, seL4_CapInitThreadTCB, DEPTH, seL4_AllRights),
             seL4_RangeError);
    CONF_ERR(sys_cnode_copy(ROOT, dst, DEPTH, ROOT, seL4_CapInitThreadTCB, 65, seL4_AllRights),
             seL4_RangeError);
}

/* A CPtr with bit 40 set meets the root CNode's guard of zeros (as seL4 answered:
 * docs/abi.md#observed-on-sel4). */
static void case_copy_guard_mismatch(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env);
    seL4_Word guard_bits = seL4_WordBits - env->bi->initThreadCNodeSizeBits;
    CONF_ERR(sys_cnode_copy(ROOT, dst, DEPTH, ROOT, 1ull << 40 | seL4_CapInitThreadTCB, DEPTH,
                            seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(mr(0), 1);
    CONF_EQ(mr(1), seL4_GuardMismatch);
    CONF_EQ(mr(2), 64);         /* bits left */
    CONF_EQ(mr(3), 0);          /* "guard found": the cap's guard */
    CONF_EQ(mr(4), guard_bits); /* bits found: in the IPC buffer */
}

static void case_copy_src_root_not_cnode(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env);
    CONF_ERR(sys_cnode_copy(ROOT, dst, DEPTH, seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, DEPTH,
                            seL4_AllRights),
             seL4_FailedLookup);
    CONF_EQ(mr(0), 1);
    CONF_EQ(mr(1), seL4_InvalidRoot);
}

static void case_copy_truncated(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env);
    seL4_Word words[5] = {dst, DEPTH, seL4_CapInitThreadTCB, DEPTH, KAAL_RIGHTS_WORD_ALL};
    sys_set_cap(0, ROOT);
    CONF_EQ(conf_raw_call(ROOT, CNodeCopy, 4, 1, words),
            seL4_TruncatedMessage); /* one word short */
    CONF_EQ(conf_raw_call(ROOT, CNodeCopy, 5, 0, words),
            seL4_TruncatedMessage); /* no source root */
    CONF_EQ(conf_raw_call(ROOT, CNodeCopy, 5, 1, words), seL4_NoError);
    CONF_EQ(conf_tag(dst), KAAL_CAP_TAG_THREAD);
}

static void case_unknown_label(struct conf_env *env)
{
    seL4_Word words[2] = {0, 0};
    CONF_EQ(conf_raw_call(ROOT, UntypedRetype, 2, 0, words), seL4_IllegalOperation);
    CONF_EQ(conf_raw_call(ROOT, ARMPageMap, 2, 0, words), seL4_IllegalOperation);
}

/* Rights are masked on copy: an endpoint copy without all rights cannot CancelBadgedSends. */
static void case_copy_masks_rights(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr all = conf_slot(env), rw = conf_slot(env), again = conf_slot(env);
    CONF_OK(sys_cnode_mint(ROOT, all, DEPTH, ROOT, ep, DEPTH, seL4_AllRights, 7));
    CONF_OK(sys_cnode_mint(ROOT, rw, DEPTH, ROOT, ep, DEPTH, seL4_ReadWrite, 8));
    CONF_OK(sys_cnode_cancel_badged_sends(ROOT, all, DEPTH));
    CONF_ERR(sys_cnode_cancel_badged_sends(ROOT, rw, DEPTH), seL4_IllegalOperation);
    /* Copying the reduced cap with all rights does not give them back. */
    CONF_OK(sys_cnode_copy(ROOT, again, DEPTH, ROOT, rw, DEPTH, seL4_AllRights));
    CONF_ERR(sys_cnode_cancel_badged_sends(ROOT, again, DEPTH), seL4_IllegalOperation);
}

static void case_mint_badge(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr b1 = conf_slot(env), b2 = conf_slot(env), b3 = conf_slot(env), n1 = conf_slot(env);
    CONF_OK(sys_cnode_mint(ROOT, b1, DEPTH, ROOT, ep, DEPTH, seL4_AllRights, 0x77));
    CONF_EQ(conf_tag(b1), KAAL_CAP_TAG_ENDPOINT);
    CONF_OK(sys_cnode_mint(ROOT, n1, DEPTH, ROOT, ntfn, DEPTH, seL4_AllRights,
                           1ull << 63)); /* 64-bit badges */
    CONF_EQ(conf_tag(n1), KAAL_CAP_TAG_NOTIFICATION);
    /* A badged cap cannot be badged again, whatever the new badge (the result is a null cap). */
    CONF_ERR(sys_cnode_mint(ROOT, b2, DEPTH, ROOT, b1, DEPTH, seL4_AllRights, 0x78),
             seL4_IllegalOperation);
    CONF_ERR(sys_cnode_mint(ROOT, b2, DEPTH, ROOT, b1, DEPTH, seL4_AllRights, 0),
             seL4_IllegalOperation);
    CONF_EQ(conf_tag(b2), KAAL_CAP_TAG_NULL);
    /* But a badged cap copies (same badge). */
    CONF_OK(sys_cnode_copy(ROOT, b3, DEPTH, ROOT, b1, DEPTH, seL4_AllRights));
    CONF_EQ(conf_tag(b3), KAAL_CAP_TAG_ENDPOINT);
}

/* Revoking a badged cap's original... the unbadged original's revoke removes badged children. */
static void case_revoke_badged_children(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr b1 = conf_slot(env), c1 = conf_slot(env), c2 = conf_slot(env);
    CONF_OK(sys_cnode_mint(ROOT, b1, DEPTH, ROOT, ep, DEPTH, seL4_AllRights, 5));
    CONF_OK(sys_cnode_copy(ROOT, c1, DEPTH, ROOT, ep, DEPTH, seL4_AllRights));
    CONF_OK(sys_cnode_copy(ROOT, c2, DEPTH, ROOT, b1, DEPTH, seL4_AllRights));
    /* Revoking the badged cap removes only its own copies. */
    CONF_OK(sys_cnode_revoke(ROOT, b1, DEPTH));
    CONF_EQ(conf_tag(b1), KAAL_CAP_TAG_ENDPOINT);
    CONF_EQ(conf_tag(c2), KAAL_CAP_TAG_NULL);
    CONF_EQ(conf_tag(c1), KAAL_CAP_TAG_ENDPOINT);
    /* Revoking the original removes everything derived from it. */
    CONF_OK(sys_cnode_revoke(ROOT, ep, DEPTH));
    CONF_EQ(conf_tag(ep), KAAL_CAP_TAG_ENDPOINT);
    CONF_EQ(conf_tag(b1), KAAL_CAP_TAG_NULL);
    CONF_EQ(conf_tag(c1), KAAL_CAP_TAG_NULL);
}

static void case_mint_cnode_guard(struct conf_env *env)
{
    seL4_CPtr cn = conf_alloc(env, seL4_CapTableObject, 4);
    seL4_CPtr g = conf_slot(env), bad = conf_slot(env);
    CONF_OK(sys_cnode_mint(ROOT, g, DEPTH, ROOT, cn, DEPTH, seL4_AllRights,
                           seL4_CNode_CapData_new(5, 3).words[0]));
    CONF_EQ(conf_tag(g), KAAL_CAP_TAG_CNODE);
    /* guard size + radix > 64: the result is a null cap. */
    CONF_ERR(sys_cnode_mint(ROOT, bad, DEPTH, ROOT, cn, DEPTH, seL4_AllRights,
                            seL4_CNode_CapData_new(0, 61).words[0]),
             seL4_IllegalOperation);
    CONF_EQ(conf_tag(bad), KAAL_CAP_TAG_NULL);
}

static void case_move(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr dst = conf_slot(env);
    CONF_OK(sys_cnode_move(ROOT, dst, DEPTH, ROOT, ep, DEPTH));
    CONF_EQ(conf_tag(dst), KAAL_CAP_TAG_ENDPOINT);
    CONF_EQ(conf_tag(ep), KAAL_CAP_TAG_NULL);
    /* The destination is checked first: occupied beats an empty source. */
    CONF_ERR(sys_cnode_move(ROOT, dst, DEPTH, ROOT, ep, DEPTH), seL4_DeleteFirst);
    seL4_CPtr dst2 = conf_slot(env);
    CONF_ERR(sys_cnode_move(ROOT, dst2, DEPTH, ROOT, ep, DEPTH),
             seL4_FailedLookup); /* source now empty */
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_cnode_move(ROOT, seL4_CapInitThreadTCB, DEPTH, ROOT, dst, DEPTH),
             seL4_DeleteFirst);
}

static void case_mutate(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr cn = conf_alloc(env, seL4_CapTableObject, 4);
    seL4_CPtr d1 = conf_slot(env), d2 = conf_slot(env);
    /* Endpoint (and notification) caps always become null under Mutate. */
    CONF_ERR(sys_cnode_mutate(ROOT, d1, DEPTH, ROOT, ep, DEPTH, 0), seL4_IllegalOperation);
    CONF_EQ(conf_tag(ep), KAAL_CAP_TAG_ENDPOINT); /* nothing moved */
    /* A CNode cap takes the guard and moves. */
    CONF_OK(
        sys_cnode_mutate(ROOT, d2, DEPTH, ROOT, cn, DEPTH, seL4_CNode_CapData_new(1, 2).words[0]));
    CONF_EQ(conf_tag(d2), KAAL_CAP_TAG_CNODE);
    CONF_EQ(conf_tag(cn), KAAL_CAP_TAG_NULL);
}

static void case_rotate(struct conf_env *env)
{
    seL4_CPtr f1 = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr f2 = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    seL4_ARM_Page_GetAddress_t a1 = sys_arm_page_get_address(f1), a2 = sys_arm_page_get_address(f2);
    seL4_CPtr dest = conf_slot(env);
    /* dest <- pivot (f1), pivot <- src (f2), src empty. */
    CONF_OK(sys_cnode_rotate(ROOT, dest, DEPTH, 0, ROOT, f1, DEPTH, 0, ROOT, f2, DEPTH));
    CONF_EQ(sys_arm_page_get_address(dest).paddr, a1.paddr);
    CONF_EQ(sys_arm_page_get_address(f1).paddr, a2.paddr);
    CONF_EQ(conf_tag(f2), KAAL_CAP_TAG_NULL);
    /* dest == src: a swap. */
    CONF_OK(sys_cnode_rotate(ROOT, dest, DEPTH, 0, ROOT, f1, DEPTH, 0, ROOT, dest, DEPTH));
    CONF_EQ(sys_arm_page_get_address(dest).paddr, a2.paddr);
    CONF_EQ(sys_arm_page_get_address(f1).paddr, a1.paddr);
}

static void case_rotate_errors(struct conf_env *env)
{
    seL4_CPtr f1 = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr f2 = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr empty = conf_slot(env), empty2 = conf_slot(env);
    /* The pivot may not be the source or the destination. */
    CONF_ERR(sys_cnode_rotate(ROOT, empty, DEPTH, 0, ROOT, f1, DEPTH, 0, ROOT, f1, DEPTH),
             seL4_IllegalOperation);
    CONF_ERR(sys_cnode_rotate(ROOT, f1, DEPTH, 0, ROOT, f1, DEPTH, 0, ROOT, f2, DEPTH),
             seL4_IllegalOperation);
    /* An occupied destination (that is not the source). */
    CONF_ERR(sys_cnode_rotate(ROOT, seL4_CapInitThreadTCB, DEPTH, 0, ROOT, f1, DEPTH, 0, ROOT, f2,
                              DEPTH),
             seL4_DeleteFirst);
    /* An empty source, an empty pivot. */
    CONF_ERR(sys_cnode_rotate(ROOT, empty, DEPTH, 0, ROOT, f1, DEPTH, 0, ROOT, empty2, DEPTH),
             seL4_FailedLookup);
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_cnode_rotate(ROOT, empty, DEPTH, 0, ROOT, empty2, DEPTH, 0, ROOT, f2, DEPTH),
             seL4_FailedLookup);
    CONF_EQ(mr(0), 0);
    /* Endpoint caps become null in preserve mode. */
    CONF_ERR(sys_cnode_rotate(ROOT, empty, DEPTH, 0, ROOT, ep, DEPTH, 0, ROOT, f2, DEPTH),
             seL4_IllegalOperation);
}

static void case_delete(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr empty = conf_slot(env);
    CONF_OK(sys_cnode_delete(ROOT, ep, DEPTH));
    CONF_EQ(conf_tag(ep), KAAL_CAP_TAG_NULL);
    CONF_OK(sys_cnode_delete(ROOT, empty, DEPTH)); /* an empty slot: nothing to do */
    CONF_ERR(sys_cnode_delete(ROOT, empty, 0), seL4_RangeError);
    CONF_ERR(sys_cnode_delete(ROOT, 1ull << 63, DEPTH), seL4_FailedLookup);
    CONF_EQ(mr(0), 0);
    CONF_EQ(mr(1), seL4_GuardMismatch);
}

/* Revoke of an untyped deletes its objects; the memory is then reused from the start. */
static void case_revoke_untyped(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, seL4_PageBits);
    seL4_CPtr f = conf_slot(env), f2 = conf_slot(env);
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f, 1));
    seL4_Word pa = sys_arm_page_get_address(f).paddr;
    CONF_ERR(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f2, 1),
             seL4_NotEnoughMemory);
    CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH));
    CONF_EQ(conf_tag(f), KAAL_CAP_TAG_NULL);
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f2, 1));
    CONF_EQ(sys_arm_page_get_address(f2).paddr, pa);
}

#ifndef CONFIG_KERNEL_MCS /* MCS has no CNode_SaveCaller */
static void case_save_caller(struct conf_env *env)
{
    seL4_CPtr s = conf_slot(env);
    /* No caller: nothing to save, and that is not an error. */
    CONF_OK(sys_cnode_save_caller(ROOT, s, DEPTH));
    CONF_EQ(conf_tag(s), KAAL_CAP_TAG_NULL);
    CONF_ERR(sys_cnode_save_caller(ROOT, seL4_CapInitThreadTCB, DEPTH), seL4_DeleteFirst);
}
#endif

static void case_cancel_badged_sends(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr empty = conf_slot(env);
    CONF_OK(sys_cnode_cancel_badged_sends(ROOT, ep, DEPTH)); /* badge 0: nothing to do */
    CONF_ERR(sys_cnode_cancel_badged_sends(ROOT, ntfn, DEPTH), seL4_IllegalOperation);
    CONF_ERR(sys_cnode_cancel_badged_sends(ROOT, empty, DEPTH), seL4_IllegalOperation);
}

static const struct conf_case cases[] = {
    CONF_CASE(copy),
    CONF_CASE(copy_dest_occupied),
    CONF_CASE(copy_src_empty),
    CONF_CASE(copy_depth_range),
    CONF_CASE(copy_guard_mismatch),
    CONF_CASE(copy_src_root_not_cnode),
    CONF_CASE(copy_truncated),
    CONF_CASE(unknown_label),
    CONF_CASE(copy_masks_rights),
    CONF_CASE(mint_badge),
    CONF_CASE(revoke_badged_children),
    CONF_CASE(mint_cnode_guard),
    CONF_CASE(move),
    CONF_CASE(mutate),
    CONF_CASE(rotate),
    CONF_CASE(rotate_errors),
    CONF_CASE(delete),
    CONF_CASE(revoke_untyped),
#ifndef CONFIG_KERNEL_MCS
    CONF_CASE(save_caller),
#endif
    CONF_CASE(cancel_badged_sends),
};
const struct conf_area conf_area_cnode = CONF_AREA("cnode", cases);
