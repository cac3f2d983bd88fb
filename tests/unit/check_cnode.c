/* SPDX-License-Identifier: BSD-2-Clause */
/* CNode invocations through the root thread: each one's success and every error it can return,
 * with the error's extra words and reply length. */
#include "ktest.h"

#include <kaal/cdt.h>
#include <kaal/kernel.h>
#include <kaal/thread.h>

/* The last CNode label: SaveCaller in the base configuration, Rotate under MCS. */
#ifdef CONFIG_KERNEL_MCS
#define CNODE_LAST_LABEL CNodeRotate
#else
#define CNODE_LAST_LABEL CNodeSaveCaller
#endif

#define ROOT seL4_CapInitThreadCNode

static uint64_t root_radix(void) { return hostsim_bootinfo()->initThreadCNodeSizeBits; }
static cte_t *root_slot(uint64_t i)
{
    return cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap) + i;
}

static uint64_t E0; /* first free slot; tests use E0, E0 + 1, ... */

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
}

static void retype(uint64_t type, uint64_t bits, uint64_t slot)
{
    OK(ktest_retype(ktest_untyped(12), type, bits, ROOT, 0, 0, slot, 1));
}

static void assert_failed_lookup_missing(struct ktest_reply r, uint64_t source, uint64_t bits_left)
{
    ERR(r, seL4_FailedLookup, 3);
    ck_assert_uint_eq(r.mr[0], source);
    ck_assert_uint_eq(r.mr[1], seL4_MissingCapability);
    ck_assert_uint_eq(r.mr[2], bits_left);
}

static void assert_range_1_64(struct ktest_reply r)
{
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], 1);
    ck_assert_uint_eq(r.mr[1], 64);
}

/* Call a CNode label with n raw words and ncaps extra caps. */
static struct ktest_reply raw(uint64_t label, unsigned n, const uint64_t *mrs, unsigned ncaps,
                              const uint64_t *caps)
{
    return ktest_call(ROOT, label, n, mrs, ncaps, caps);
}

/* ---- decode_cnode_invocation ---- */

START_TEST(test_unknown_labels)
{
    uint64_t mrs[8] = {E0, 64, 1, 64, seL4_AllRights, 0, 0, 0};
    uint64_t caps[2] = {ROOT, ROOT};
    ERR(raw(CNODE_LAST_LABEL + 1, 8, mrs, 2, caps), seL4_IllegalOperation, 0);
    ERR(raw(CNodeRevoke - 1, 8, mrs, 2, caps), seL4_IllegalOperation, 0);
    ERR(raw(0, 8, mrs, 2, caps), seL4_IllegalOperation, 0);
    ERR(raw(UntypedRetype, 8, mrs, 2, caps), seL4_IllegalOperation, 0);
}
END_TEST

START_TEST(test_truncated_slot_words)
{
    uint64_t mrs[2] = {E0, 64};
    for (uint64_t label = CNodeRevoke; label <= CNODE_LAST_LABEL; label++) {
        ERR(raw(label, 1, mrs, 0, NULL), seL4_TruncatedMessage, 0);
        ERR(raw(label, 0, mrs, 0, NULL), seL4_TruncatedMessage, 0);
    }
}
END_TEST

START_TEST(test_destination_lookup_errors)
{
    /* The destination is looked up in the invoked CNode first, as a destination (MR0 = 0). */
    struct ktest_reply r = ktest_cnode_copy(ROOT, 1ull << 50, 64, ROOT, 1, 64, seL4_AllRights);
    ERR(r, seL4_FailedLookup, 5);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], seL4_GuardMismatch);
    assert_range_1_64(ktest_cnode_revoke(ROOT, E0, 0));
#ifndef CONFIG_KERNEL_MCS
    assert_range_1_64(ktest_cnode_save_caller(ROOT, E0, 65));
#endif
}
END_TEST

/* ---- Copy ---- */

START_TEST(test_copy)
{
    retype(seL4_EndpointObject, 0, E0);
    OK(ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_CanRead | seL4_CanGrant));
    ck_assert_uint_eq(ktest_cap_type(E0 + 1), KAAL_CAP_TAG_ENDPOINT);
    cap_t c = root_slot(E0 + 1)->cap;
    ck_assert_uint_eq(cap_endpoint_cap_get_can_send(c), 0);
    ck_assert_uint_eq(cap_endpoint_cap_get_can_receive(c), 1);
    ck_assert_uint_eq(cap_endpoint_cap_get_can_grant(c), 1);
    ck_assert_uint_eq(cap_endpoint_cap_get_can_grant_reply(c), 0);
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_ENDPOINT); /* the source stays */
    /* Copies of the TCB, CNode and domain caps. */
    OK(ktest_cnode_copy(ROOT, E0 + 2, 64, ROOT, seL4_CapInitThreadTCB, 64, seL4_AllRights));
    ck_assert_uint_eq(ktest_cap_type(E0 + 2), KAAL_CAP_TAG_THREAD);
    OK(ktest_cnode_copy(ROOT, E0 + 3, 64, ROOT, seL4_CapDomain, 64, seL4_AllRights));
    ck_assert_uint_eq(ktest_cap_type(E0 + 3), KAAL_CAP_TAG_DOMAIN);
}
END_TEST

START_TEST(test_copy_errors)
{
    retype(seL4_EndpointObject, 0, E0);
    /* Occupied destination. */
    ERR(ktest_cnode_copy(ROOT, seL4_CapInitThreadTCB, 64, ROOT, E0, 64, seL4_AllRights),
        seL4_DeleteFirst, 0);
    /* Empty source. */
    assert_failed_lookup_missing(
        ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, E0 + 2, 64, seL4_AllRights), 1, 64);
    /* Source depth out of range. */
    assert_range_1_64(ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, E0, 0, seL4_AllRights));
    /* The IRQ control cap cannot be copied. */
    ERR(ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, seL4_CapIRQControl, 64, seL4_AllRights),
        seL4_IllegalOperation, 0);
    /* An untyped with children cannot be copied. */
    uint64_t ut = ktest_untyped(12);
    ERR(ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, ut, 64, seL4_AllRights), seL4_RevokeFirst, 0);
    /* Short messages: 4 words (no rights), and no extra cap. */
    uint64_t mrs[5] = {E0 + 1, 64, E0, 64, seL4_AllRights};
    uint64_t caps[1] = {ROOT};
    ERR(raw(CNodeCopy, 4, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ERR(raw(CNodeCopy, 3, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ERR(raw(CNodeCopy, 5, mrs, 0, NULL), seL4_TruncatedMessage, 0);
    /* seL4 checks the destination before the rights word is needed. */
    uint64_t occupied[5] = {E0, 64, E0, 64, seL4_AllRights};
    ERR(raw(CNodeCopy, 4, occupied, 1, caps), seL4_DeleteFirst, 0);
    ck_assert_uint_eq(ktest_cap_type(E0 + 1), KAAL_CAP_TAG_NULL);
}
END_TEST

/* ---- Mint ---- */

START_TEST(test_mint)
{
    retype(seL4_EndpointObject, 0, E0);
    retype(seL4_NotificationObject, 0, E0 + 1);
    OK(ktest_cnode_mint(ROOT, E0 + 2, 64, ROOT, E0, 64, seL4_AllRights, 0x1234));
    ck_assert_uint_eq(cap_endpoint_cap_get_badge(root_slot(E0 + 2)->cap), 0x1234);
    OK(ktest_cnode_mint(ROOT, E0 + 3, 64, ROOT, E0 + 1, 64, seL4_CanWrite, ~0ull));
    ck_assert_uint_eq(ktest_cap_type(E0 + 3), KAAL_CAP_TAG_NOTIFICATION);
    ck_assert_uint_eq(cap_notification_cap_get_badge(root_slot(E0 + 3)->cap), ~0ull);
    ck_assert_uint_eq(cap_notification_cap_get_can_receive(root_slot(E0 + 3)->cap), 0);
    /* A CNode cap gets guard data: guard size 4, guard 0x5 (seL4_CNode_CapData). */
    retype(seL4_CapTableObject, 4, E0 + 4);
    OK(ktest_cnode_mint(ROOT, E0 + 5, 64, ROOT, E0 + 4, 64, seL4_AllRights,
                        seL4_CNode_CapData_new(0x5, 4).words[0]));
    cap_t c = root_slot(E0 + 5)->cap;
    ck_assert_uint_eq(cap_cnode_cap_get_guard_size(c), 4);
    ck_assert_uint_eq(cap_cnode_cap_get_guard(c), 0x5);
    /* Guard bits beyond the guard size are dropped. */
    OK(ktest_cnode_mint(ROOT, E0 + 6, 64, ROOT, E0 + 4, 64, seL4_AllRights,
                        seL4_CNode_CapData_new(0xff, 2).words[0]));
    ck_assert_uint_eq(cap_cnode_cap_get_guard(root_slot(E0 + 6)->cap), 0x3);
    /* Other caps ignore the badge word. */
    OK(ktest_cnode_mint(ROOT, E0 + 7, 64, ROOT, seL4_CapInitThreadTCB, 64, seL4_AllRights, 99));
    ck_assert_uint_eq(ktest_cap_type(E0 + 7), KAAL_CAP_TAG_THREAD);
}
END_TEST

START_TEST(test_mint_errors)
{
    retype(seL4_EndpointObject, 0, E0);
    OK(ktest_cnode_mint(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_AllRights, 7));
    /* Re-badging a badged cap gives a null cap: IllegalOperation. */
    ERR(ktest_cnode_mint(ROOT, E0 + 2, 64, ROOT, E0 + 1, 64, seL4_AllRights, 8),
        seL4_IllegalOperation, 0);
    /* Guard size + radix > 64. */
    uint64_t gs = 65 - root_radix();
    ERR(ktest_cnode_mint(ROOT, E0 + 2, 64, ROOT, ROOT, 64, seL4_AllRights, gs),
        seL4_IllegalOperation, 0);
    ck_assert_uint_eq(ktest_cap_type(E0 + 2), KAAL_CAP_TAG_NULL);
    /* Exactly 64 is fine. */
    OK(ktest_cnode_mint(ROOT, E0 + 2, 64, ROOT, ROOT, 64, seL4_AllRights, gs - 1));
    ERR(ktest_cnode_mint(ROOT, E0 + 2, 64, ROOT, E0, 64, seL4_AllRights, 1), seL4_DeleteFirst, 0);
    assert_failed_lookup_missing(
        ktest_cnode_mint(ROOT, E0 + 3, 64, ROOT, E0 + 4, 64, seL4_AllRights, 1), 1, 64);
    uint64_t mrs[6] = {E0 + 3, 64, E0, 64, seL4_AllRights, 1};
    uint64_t caps[1] = {ROOT};
    ERR(raw(CNodeMint, 5, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ERR(raw(CNodeMint, 6, mrs, 0, NULL), seL4_TruncatedMessage, 0);
}
END_TEST

/* ---- Move ---- */

START_TEST(test_move)
{
    retype(seL4_EndpointObject, 0, E0);
    OK(ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_AllRights));
    OK(ktest_cnode_move(ROOT, E0 + 2, 64, ROOT, E0, 64));
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_NULL);
    ck_assert_uint_eq(ktest_cap_type(E0 + 2), KAAL_CAP_TAG_ENDPOINT);
    /* The moved cap keeps its place in the tree: still the copy's parent. */
    ck_assert(cdt_is_parent_of(root_slot(E0 + 2), root_slot(E0 + 1)));
    /* The IRQ control cap cannot be copied, but it can be moved. */
    OK(ktest_cnode_move(ROOT, E0 + 3, 64, ROOT, seL4_CapIRQControl, 64));
    ck_assert_uint_eq(ktest_cap_type(E0 + 3), KAAL_CAP_TAG_IRQ_CONTROL);
}
END_TEST

START_TEST(test_move_errors)
{
    retype(seL4_EndpointObject, 0, E0);
    ERR(ktest_cnode_move(ROOT, seL4_CapDomain, 64, ROOT, E0, 64), seL4_DeleteFirst, 0);
    assert_failed_lookup_missing(ktest_cnode_move(ROOT, E0 + 1, 64, ROOT, E0 + 2, 64), 1, 64);
    uint64_t mrs[4] = {E0 + 1, 64, E0, 64};
    uint64_t caps[1] = {ROOT};
    ERR(raw(CNodeMove, 3, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ERR(raw(CNodeMove, 4, mrs, 0, NULL), seL4_TruncatedMessage, 0);
    /* The source root must be a CNode. */
    uint64_t bad_root[1] = {seL4_CapInitThreadTCB};
    struct ktest_reply r = raw(CNodeMove, 4, mrs, 1, bad_root);
    ERR(r, seL4_FailedLookup, 2);
    ck_assert_uint_eq(r.mr[0], 1);
    ck_assert_uint_eq(r.mr[1], seL4_InvalidRoot);
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_ENDPOINT);
}
END_TEST

/* ---- Mutate ---- */

START_TEST(test_mutate)
{
    retype(seL4_CapTableObject, 4, E0);
    OK(ktest_cnode_mutate(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_CNode_CapData_new(0x3, 2).words[0]));
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_NULL);
    cap_t c = root_slot(E0 + 1)->cap;
    ck_assert_uint_eq(cap_cnode_cap_get_guard_size(c), 2);
    ck_assert_uint_eq(cap_cnode_cap_get_guard(c), 3);
    /* Other caps move unchanged. */
    OK(ktest_cnode_mutate(ROOT, E0 + 2, 64, ROOT, seL4_CapDomain, 64, 1234));
    ck_assert_uint_eq(ktest_cap_type(E0 + 2), KAAL_CAP_TAG_DOMAIN);
    ck_assert_uint_eq(ktest_cap_type(seL4_CapDomain), KAAL_CAP_TAG_NULL);
}
END_TEST

START_TEST(test_mutate_errors)
{
    retype(seL4_EndpointObject, 0, E0);
    /* Endpoint caps always become null under Mutate, whatever the data. */
    ERR(ktest_cnode_mutate(ROOT, E0 + 1, 64, ROOT, E0, 64, 0), seL4_IllegalOperation, 0);
    ERR(ktest_cnode_mutate(ROOT, E0 + 1, 64, ROOT, E0, 64, 5), seL4_IllegalOperation, 0);
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_ENDPOINT);
    ERR(ktest_cnode_mutate(ROOT, E0 + 1, 64, ROOT, ROOT, 64, 63), seL4_IllegalOperation,
        0); /* 63 + radix > 64 */
    ERR(ktest_cnode_mutate(ROOT, E0, 64, ROOT, seL4_CapDomain, 64, 0), seL4_DeleteFirst, 0);
    assert_failed_lookup_missing(ktest_cnode_mutate(ROOT, E0 + 1, 64, ROOT, E0 + 2, 64, 0), 1, 64);
    uint64_t mrs[5] = {E0 + 1, 64, seL4_CapDomain, 64, 0};
    uint64_t caps[1] = {ROOT};
    ERR(raw(CNodeMutate, 4, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ck_assert_uint_eq(ktest_cap_type(seL4_CapDomain), KAAL_CAP_TAG_DOMAIN);
}
END_TEST

/* ---- Rotate ---- */

START_TEST(test_rotate)
{
    uint64_t dest = E0, pivot = E0 + 1, src = E0 + 2;
    retype(seL4_CapTableObject, 2, pivot);
    OK(ktest_cnode_copy(ROOT, src, 64, ROOT, seL4_CapInitThreadTCB, 64, seL4_AllRights));
    /* pivot -> dest (dest badge applied as guard data), src -> pivot. */
    OK(ktest_cnode_rotate(ROOT, dest, 64, 1, ROOT, pivot, 64, 0, ROOT, src, 64));
    ck_assert_uint_eq(ktest_cap_type(dest), KAAL_CAP_TAG_CNODE);
    ck_assert_uint_eq(cap_cnode_cap_get_guard_size(root_slot(dest)->cap), 1);
    ck_assert_uint_eq(ktest_cap_type(pivot), KAAL_CAP_TAG_THREAD);
    ck_assert_uint_eq(ktest_cap_type(src), KAAL_CAP_TAG_NULL);
    /* dest == src: the two caps swap. */
    OK(ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, pivot, 64, 0, ROOT, dest, 64));
    ck_assert_uint_eq(ktest_cap_type(dest), KAAL_CAP_TAG_THREAD);
    ck_assert_uint_eq(ktest_cap_type(pivot), KAAL_CAP_TAG_CNODE);
}
END_TEST

START_TEST(test_rotate_errors)
{
    uint64_t dest = E0, pivot = E0 + 1, src = E0 + 2, ep = E0 + 3;
    OK(ktest_cnode_copy(ROOT, pivot, 64, ROOT, seL4_CapDomain, 64, seL4_AllRights));
    OK(ktest_cnode_copy(ROOT, src, 64, ROOT, seL4_CapInitThreadTCB, 64, seL4_AllRights));
    /* The pivot must differ from src and dest. */
    ERR(ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, src, 64, 0, ROOT, src, 64),
        seL4_IllegalOperation, 0);
    ERR(ktest_cnode_rotate(ROOT, pivot, 64, 0, ROOT, pivot, 64, 0, ROOT, src, 64),
        seL4_IllegalOperation, 0);
    /* dest occupied (and not src). */
    ERR(ktest_cnode_rotate(ROOT, seL4_CapIRQControl, 64, 0, ROOT, pivot, 64, 0, ROOT, src, 64),
        seL4_DeleteFirst, 0);
    /* Empty src (flag 1) and empty pivot (flag 0). */
    assert_failed_lookup_missing(
        ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, pivot, 64, 0, ROOT, E0 + 9, 64), 1, 64);
    assert_failed_lookup_missing(
        ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, E0 + 9, 64, 0, ROOT, src, 64), 0, 64);
    /* Lookup failures of src and pivot both count as source. */
    struct ktest_reply r = ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, pivot, 0, 0, ROOT, src, 64);
    assert_range_1_64(r);
    r = ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, 1ull << 60, 64, 0, ROOT, src, 64);
    ERR(r, seL4_FailedLookup, 5);
    ck_assert_uint_eq(r.mr[0], 1);
    /* Endpoint caps become null under preserve mode. */
    retype(seL4_EndpointObject, 0, ep);
    ERR(ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, ep, 64, 0, ROOT, src, 64),
        seL4_IllegalOperation, 0);
    ERR(ktest_cnode_rotate(ROOT, dest, 64, 0, ROOT, pivot, 64, 0, ROOT, ep, 64),
        seL4_IllegalOperation, 0);
    /* Short: 7 words, or one extra cap. */
    uint64_t mrs[8] = {dest, 64, 0, pivot, 64, 0, src, 64};
    uint64_t caps[2] = {ROOT, ROOT};
    ERR(raw(CNodeRotate, 7, mrs, 2, caps), seL4_TruncatedMessage, 0);
    ERR(raw(CNodeRotate, 8, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ck_assert_uint_eq(ktest_cap_type(dest), KAAL_CAP_TAG_NULL);
    ck_assert_uint_eq(ktest_cap_type(pivot), KAAL_CAP_TAG_DOMAIN);
    ck_assert_uint_eq(ktest_cap_type(src), KAAL_CAP_TAG_THREAD);
}
END_TEST

/* ---- Delete ---- */

START_TEST(test_delete)
{
    retype(seL4_EndpointObject, 0, E0);
    OK(ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_AllRights));
    OK(ktest_cnode_delete(ROOT, E0 + 1, 64));
    ck_assert_uint_eq(ktest_cap_type(E0 + 1), KAAL_CAP_TAG_NULL);
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_ENDPOINT);
    OK(ktest_cnode_delete(ROOT, E0, 64));
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_NULL);
    /* Deleting an empty slot succeeds. */
    OK(ktest_cnode_delete(ROOT, E0, 64));
    assert_range_1_64(ktest_cnode_delete(ROOT, E0, 65));
}
END_TEST

/* ---- Revoke ---- */

START_TEST(test_revoke)
{
    retype(seL4_NotificationObject, 0, E0);
    OK(ktest_cnode_mint(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_AllRights, 3));
    OK(ktest_cnode_copy(ROOT, E0 + 2, 64, ROOT, E0, 64, seL4_AllRights));
    OK(ktest_cnode_revoke(ROOT, E0, 64));
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_NOTIFICATION);
    ck_assert_uint_eq(ktest_cap_type(E0 + 1), KAAL_CAP_TAG_NULL);
    ck_assert_uint_eq(ktest_cap_type(E0 + 2), KAAL_CAP_TAG_NULL);
    /* Revoking a cap without children, or an empty slot, succeeds. */
    OK(ktest_cnode_revoke(ROOT, E0, 64));
    OK(ktest_cnode_revoke(ROOT, E0 + 1, 64));
    assert_range_1_64(ktest_cnode_revoke(ROOT, E0, 0));
}
END_TEST

/* ---- SaveCaller (base only: MCS has reply objects, no caller slot) ---- */
#ifndef CONFIG_KERNEL_MCS

START_TEST(test_save_caller)
{
    /* Nothing in the caller slot: success, nothing saved. */
    OK(ktest_cnode_save_caller(ROOT, E0, 64));
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_NULL);
    /* A reply cap in the caller slot (placed by hand, as a Call would) is moved out. */
    struct tcb *root = ks.root_thread;
    root->ctes[TCB_CALLER].cap = cap_reply_cap_new(VTOP(root), 0, 1);
    OK(ktest_cnode_save_caller(ROOT, E0, 64));
    ck_assert_uint_eq(ktest_cap_type(E0), KAAL_CAP_TAG_REPLY);
    ck_assert_uint_eq(cap_get_cap_type(root->ctes[TCB_CALLER].cap), cap_null_cap);
}
END_TEST

START_TEST(test_save_caller_errors)
{
    ERR(ktest_cnode_save_caller(ROOT, seL4_CapInitThreadTCB, 64), seL4_DeleteFirst, 0);
    struct ktest_reply r = ktest_cnode_save_caller(ROOT, E0, 12);
    ERR(r, seL4_FailedLookup, 5);
    ck_assert_uint_eq(r.mr[0], 0);
}
END_TEST
#endif

/* ---- CancelBadgedSends ---- */

/* Queue thread t as blocked sending on ep with badge (what a blocked Send will leave). */
static void enqueue_sender(endpoint_t *ep, struct tcb *t, word_t badge)
{
    thread_state_t st = {{0}};
    st = thread_state_set_ts_type(st, ThreadState_BlockedOnSend);
    st = thread_state_set_blocking_object(st, VTOP(ep));
    t->state = thread_state_set_blocking_ipc_badge(st, badge);
    struct tcb *tail = tcb_from_paddr(endpoint_get_queue_tail(*ep));
    t->ep_prev = tail;
    t->ep_next = NULL;
    if (tail != NULL) {
        tail->ep_next = t;
    } else {
        endpoint_ptr_set_queue_head(ep, VTOP(t));
    }
    endpoint_ptr_set_queue_tail(ep, VTOP(t));
    endpoint_ptr_set_state(ep, 1);
}

START_TEST(test_cancel_badged_sends)
{
    uint64_t ep = E0, badged = E0 + 1, t0 = E0 + 2;
    retype(seL4_EndpointObject, 0, ep);
    OK(ktest_retype(ktest_untyped(14), seL4_TCBObject, 0, ROOT, 0, 0, t0, 3));
    OK(ktest_cnode_mint(ROOT, badged, 64, ROOT, ep, 64, seL4_AllRights, 42));
    endpoint_t *e = PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(ep)->cap));
    struct tcb *t[3];
    word_t badges[3] = {42, 7, 42};
    for (int i = 0; i < 3; i++) {
        t[i] = tcb_from_paddr(cap_thread_cap_get_tcb(root_slot(t0 + i)->cap));
        enqueue_sender(e, t[i], badges[i]);
    }
    /* Badge 0 (the unbadged cap): nothing happens. */
    OK(ktest_cnode_cancel_badged_sends(ROOT, ep, 64));
    ck_assert_uint_eq(thread_state_type(t[0]), ThreadState_BlockedOnSend);
    /* Badge 42: the first and third are released, the second stays queued alone. */
    OK(ktest_cnode_cancel_badged_sends(ROOT, badged, 64));
    ck_assert_uint_eq(thread_state_type(t[0]), ThreadState_Restart);
    ck_assert_uint_eq(thread_state_type(t[1]), ThreadState_BlockedOnSend);
    ck_assert_uint_eq(thread_state_type(t[2]), ThreadState_Restart);
    ck_assert_uint_eq(endpoint_get_queue_head(*e), VTOP(t[1]));
    ck_assert_uint_eq(endpoint_get_queue_tail(*e), VTOP(t[1]));
    ck_assert_ptr_null(t[1]->ep_next);
    ck_assert_ptr_null(t[1]->ep_prev);
    /* Deleting the last endpoint caps releases the rest. */
    OK(ktest_cnode_delete(ROOT, badged, 64));
    ck_assert_uint_eq(thread_state_type(t[1]), ThreadState_BlockedOnSend);
    OK(ktest_cnode_delete(ROOT, ep, 64));
    ck_assert_uint_eq(thread_state_type(t[1]), ThreadState_Restart);
    ck_assert_uint_eq(endpoint_get_state(*e), 0);
    ck_assert_uint_eq(endpoint_get_queue_head(*e), 0);
}
END_TEST

START_TEST(test_cancel_badged_sends_errors)
{
    retype(seL4_EndpointObject, 0, E0);
    OK(ktest_cnode_mint(ROOT, E0 + 1, 64, ROOT, E0, 64, seL4_NoWrite, 5)); /* lacks one right */
    ERR(ktest_cnode_cancel_badged_sends(ROOT, E0 + 1, 64), seL4_IllegalOperation, 0);
    ERR(ktest_cnode_cancel_badged_sends(ROOT, seL4_CapInitThreadTCB, 64), seL4_IllegalOperation, 0);
    ERR(ktest_cnode_cancel_badged_sends(ROOT, E0 + 5, 64), seL4_IllegalOperation, 0); /* empty */
    retype(seL4_NotificationObject, 0, E0 + 2);
    ERR(ktest_cnode_cancel_badged_sends(ROOT, E0 + 2, 64), seL4_IllegalOperation, 0);
    assert_range_1_64(ktest_cnode_cancel_badged_sends(ROOT, E0, 0));
}
END_TEST

static TCase *fixture_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *cnode_suite(void)
{
    Suite *s = suite_create("cnode");
    TCase *tc = fixture_tcase(s, "decode_cnode_invocation");
    tcase_add_test(tc, test_unknown_labels);
    tcase_add_test(tc, test_truncated_slot_words);
    tcase_add_test(tc, test_destination_lookup_errors);
    tc = fixture_tcase(s, "CNode_Copy");
    tcase_add_test(tc, test_copy);
    tcase_add_test(tc, test_copy_errors);
    tc = fixture_tcase(s, "CNode_Mint");
    tcase_add_test(tc, test_mint);
    tcase_add_test(tc, test_mint_errors);
    tc = fixture_tcase(s, "CNode_Move");
    tcase_add_test(tc, test_move);
    tcase_add_test(tc, test_move_errors);
    tc = fixture_tcase(s, "CNode_Mutate");
    tcase_add_test(tc, test_mutate);
    tcase_add_test(tc, test_mutate_errors);
    tc = fixture_tcase(s, "CNode_Rotate");
    tcase_add_test(tc, test_rotate);
    tcase_add_test(tc, test_rotate_errors);
    tc = fixture_tcase(s, "CNode_Delete");
    tcase_add_test(tc, test_delete);
    tc = fixture_tcase(s, "CNode_Revoke");
    tcase_add_test(tc, test_revoke);
#ifndef CONFIG_KERNEL_MCS
    tc = fixture_tcase(s, "CNode_SaveCaller");
    tcase_add_test(tc, test_save_caller);
    tcase_add_test(tc, test_save_caller_errors);
#endif
    tc = fixture_tcase(s, "CNode_CancelBadgedSends");
    tcase_add_test(tc, test_cancel_badged_sends);
    tcase_add_test(tc, test_cancel_badged_sends_errors);
    return s;
}

int main(void) { return ktest_run(cnode_suite()); }
