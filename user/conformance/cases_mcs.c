/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance, MCS configuration only (docs/mcs.md, docs/abi.md): bootinfo and the initial caps,
 * the system call numbers, SchedContext and Reply objects from Untyped_Retype, the MCS forms of
 * the TCB invocations and each of their errors, the first-phase restriction of the combined
 * system calls, stale replies, budgets enforced in simulated time, round robin vs sporadic. */
#include "harness.h"

#include <stddef.h>

#ifdef CONFIG_KERNEL_MCS

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

/* A system call with every register the MCS calls use: x0..x5 in and out, x6 and x8 in. */
static seL4_MessageInfo_t mcs_raw(seL4_Word sys, seL4_Word x0, seL4_MessageInfo_t info,
                                  seL4_Word x6, seL4_Word x8, seL4_Word *badge)
{
    seL4_Word a0 = x0, a1 = info.words[0], a2 = 0, a3 = 0, a4 = 0, a5 = 0;
    kaal_arch_syscall_x6x8(sys, &a0, &a1, &a2, &a3, &a4, &a5, x6, x8);
    if (badge) {
        *badge = a0;
    }
    seL4_MessageInfo_t out = {{a1}};
    return out;
}

/* --- boot --- */

/* Bootinfo has the MCS layout (schedcontrol at 152, untyped at 168) and one SchedControl cap, in
 * the slot after the extra bootinfo frames and before the user image frames. */
static void case_bootinfo_schedcontrol(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    CONF_EQ(offsetof(seL4_BootInfo, schedcontrol), 152);
    CONF_EQ(offsetof(seL4_BootInfo, untyped), 168);
    CONF_EQ(offsetof(seL4_BootInfo, untypedList), 184);
    CONF_EQ(bi->schedcontrol.end - bi->schedcontrol.start, CONFIG_MAX_NUM_NODES);
    seL4_Word after_extra = bi->extraBIPages.start == bi->extraBIPages.end ? bi->userImagePaging.end
                                                                           : bi->extraBIPages.end;
    CONF_EQ(bi->schedcontrol.start, after_extra);
    CONF_EQ(bi->userImageFrames.start, bi->schedcontrol.end);
    CONF_EQ(conf_tag(bi->schedcontrol.start), KAAL_CAP_TAG_SCHED_CONTROL);
}

/* Slot 14 holds the root thread's scheduling context; the TCB is bound to it (so a scheduling
 * context bound elsewhere cannot be given to the root thread, and the root cannot unbind it). */
static void case_initial_caps(struct conf_env *env)
{
    (void)env;
    CONF_EQ(seL4_CapInitThreadSC, 14);
    CONF_EQ(conf_tag(seL4_CapInitThreadSC), KAAL_CAP_TAG_SCHED_CONTEXT);
    CONF_EQ(conf_tag(seL4_CapInitThreadTCB), KAAL_CAP_TAG_THREAD);
    /* Another TCB may not take it: it is bound to the root thread. */
    seL4_CPtr t = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 0, 0, seL4_CapInitThreadSC,
                                      seL4_CapNull),
             seL4_IllegalOperation);
    /* The root's own SC given again to the root: no change, no error. */
    CONF_OK(sys_tcb_set_sched_params(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255, 255,
                                     seL4_CapInitThreadSC, seL4_CapNull));
}

/* --- system calls --- */

/* The MCS numbers (docs/abi.md#system-calls). */
static void case_syscall_numbers(struct conf_env *env)
{
    (void)env;
    CONF_EQ(seL4_SysCall, -1);
    CONF_EQ(seL4_SysReplyRecv, -2);
    CONF_EQ(seL4_SysNBSendRecv, -3);
    CONF_EQ(seL4_SysNBSendWait, -4);
    CONF_EQ(seL4_SysSend, -5);
    CONF_EQ(seL4_SysNBSend, -6);
    CONF_EQ(seL4_SysRecv, -7);
    CONF_EQ(seL4_SysNBRecv, -8);
    CONF_EQ(seL4_SysWait, -9);
    CONF_EQ(seL4_SysNBWait, -10);
    CONF_EQ(seL4_SysYield, -11);
    CONF_EQ(seL4_SysDebugPutChar, -12);
    CONF_EQ(seL4_SysDebugCapIdentify, -15);
    CONF_EQ(seL4_SysDebugNameThread, -17);
}

/* What the numbers do: Wait (-9) and NBWait (-10) receive a notification's word without a reply
 * object; -6 is NBSend now (the base Reply): silent on an endpoint with no receiver; NBRecv (-8)
 * with a reply object and nothing pending gives badge 0; -15 is DebugCapIdentify. */
static void case_syscall_behaviour(struct conf_env *env)
{
    seL4_CPtr ntfn = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr reply = conf_alloc(env, seL4_ReplyObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr badged = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, badged, DEPTH, ROOT, ntfn, DEPTH, seL4_AllRights, 0x30));
    sys_signal(badged);
    seL4_Word badge = 0;
    mcs_raw((seL4_Word)-9, ntfn, seL4_MessageInfo_new(0, 0, 0, 0), 0, 0, &badge);
    CONF_EQ(badge, 0x30);
    badge = 77;
    mcs_raw((seL4_Word)-10, ntfn, seL4_MessageInfo_new(0, 0, 0, 0), 0, 0, &badge);
    CONF_EQ(badge, 0);
    sys_signal(badged);
    badge = 0;
    (void)sys_poll(ntfn, &badge);
    CONF_EQ(badge, 0x30);
    mcs_raw((seL4_Word)-6, ep, seL4_MessageInfo_new(1, 0, 0, 0), 0, 0, NULL);
    badge = 77;
    mcs_raw((seL4_Word)-8, ep, seL4_MessageInfo_new(0, 0, 0, 0), reply, 0, &badge);
    CONF_EQ(badge, 0);
    badge = 0;
    mcs_raw((seL4_Word)-15, seL4_CapInitThreadSC, seL4_MessageInfo_new(0, 0, 0, 0), 0, 0, &badge);
    CONF_EQ(badge, KAAL_CAP_TAG_SCHED_CONTEXT);
    sys_yield(); /* -11 returns to the caller (the root is alone at priority 255) */
}

/* --- objects --- */

/* Retype: SchedContext objects of 2^size_bits bytes (>= 7), Reply objects of 32 bytes,
 * notifications of 64 bytes; their tags; the size rule's error. */
static void case_retype_objects(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 8);
    seL4_CPtr s[3] = {conf_slot(env), conf_slot(env), conf_slot(env)};
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_untyped_retype(ut, seL4_SchedContextObject, 6, ROOT, 0, 0, s[0], 1),
             seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_EQ(conf_tag(s[0]), KAAL_CAP_TAG_NULL);
    /* Two 128-byte SCs fill the 256-byte untyped; a third does not fit. */
    CONF_OK(sys_untyped_retype(ut, seL4_SchedContextObject, 7, ROOT, 0, 0, s[0], 2));
    CONF_EQ(conf_tag(s[0]), KAAL_CAP_TAG_SCHED_CONTEXT);
    CONF_EQ(conf_tag(s[1]), KAAL_CAP_TAG_SCHED_CONTEXT);
    CONF_ERR(sys_untyped_retype(ut, seL4_SchedContextObject, 7, ROOT, 0, 0, s[2], 1),
             seL4_NotEnoughMemory);
    /* Reply objects are 32 bytes: two fit a 64-byte untyped, a third does not; one 64-byte
     * notification fills another. */
    seL4_CPtr small = conf_untyped(env, 6), small2 = conf_untyped(env, 6);
    seL4_CPtr r[3] = {conf_slot(env), conf_slot(env), conf_slot(env)};
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_untyped_retype(small, seL4_ReplyObject, 0, ROOT, 0, 0, r[0], 2));
    CONF_EQ(conf_tag(r[0]), KAAL_CAP_TAG_REPLY);
    CONF_EQ(conf_tag(r[1]), KAAL_CAP_TAG_REPLY);
    CONF_ERR(sys_untyped_retype(small, seL4_ReplyObject, 0, ROOT, 0, 0, r[2], 1),
             seL4_NotEnoughMemory);
    CONF_OK(sys_untyped_retype(small2, seL4_NotificationObject, 0, ROOT, 0, 0, r[2], 1));
    CONF_EQ(conf_tag(r[2]), KAAL_CAP_TAG_NOTIFICATION);
    /* A SchedContext's size counts against the 47-bit limit like an untyped's. */
    seL4_CPtr big = conf_untyped(env, 12), d = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_untyped_retype(big, seL4_SchedContextObject, 48, ROOT, 0, 0, d, 1),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), 47);
    /* The object types after Reply are the AArch64 ones, shifted: 11 is a page table, 12 is
     * past the end. */
    CONF_OK(sys_untyped_retype(big, 11, 0, ROOT, 0, 0, d, 1));
    CONF_EQ(conf_tag(d), KAAL_CAP_TAG_PAGE_TABLE);
    seL4_CPtr d2 = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_untyped_retype(big, 12, 0, ROOT, 0, 0, d2, 1), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 0);
}

/* Device memory makes neither scheduling contexts nor reply objects: InvalidArgument(1). */
static void case_retype_device(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    seL4_CPtr dev = seL4_CapNull;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= seL4_PageBits) {
            dev = bi->untyped.start + i;
            break;
        }
    }
    if (dev == seL4_CapNull) {
        CONF_SKIP("no device untyped");
    }
    seL4_CPtr s = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_untyped_retype(dev, seL4_SchedContextObject, 7, ROOT, 0, 0, s, 1),
             seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_ERR(sys_untyped_retype(dev, seL4_ReplyObject, 0, ROOT, 0, 0, s, 1), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_EQ(conf_tag(s), KAAL_CAP_TAG_NULL);
}

/* A reply object nobody waits on: Send on it does nothing; Call on it gets the empty success
 * reply (label 0, length 0). */
static void case_stale_reply(struct conf_env *env)
{
    seL4_CPtr reply = conf_alloc(env, seL4_ReplyObject, 0);
    CONF_CHECK(!conf_failed());
    sys_send(reply, seL4_MessageInfo_new(5, 0, 0, 1));
    seL4_MessageInfo_t info = sys_call(reply, seL4_MessageInfo_new(5, 0, 0, 1));
    CONF_EQ(seL4_MessageInfo_get_label(info), 0);
    CONF_EQ(seL4_MessageInfo_get_length(info), 0);
    /* A reply cap is copied like any object cap under MCS. */
    seL4_CPtr copy = conf_copy(env, reply, seL4_AllRights);
    CONF_EQ(conf_tag(copy), KAAL_CAP_TAG_REPLY);
}

/* --- TCB invocations (MCS forms) --- */

/* Configure: 3 words, no fault handler; shorter is TruncatedMessage. */
static void case_tcb_configure(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    seL4_CPtr frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_EQ(KAAL_INV_TCBConfigure_LEN, 3);
    CONF_EQ(TCBConfigure, 5);
    seL4_SetCap(0, ROOT);
    seL4_SetCap(1, seL4_CapInitThreadVSpace);
    seL4_SetCap(2, frame);
    seL4_Word w[3] = {0, 0, 0x10000400};
    CONF_EQ(conf_raw_call(tcb, TCBConfigure, 2, 3, w), seL4_TruncatedMessage);
    CONF_EQ(conf_raw_call(tcb, TCBConfigure, 3, 2, w), seL4_TruncatedMessage);
    CONF_OK(sys_tcb_configure(tcb, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0x10000400, frame));
}

/* SetSchedParams (cap1 = scheduling context, cap2 = fault handler): every error in seL4's order. */
static void case_tcb_set_sched_params(struct conf_env *env)
{
    seL4_CPtr t = conf_alloc(env, seL4_TCBObject, 0);
    seL4_CPtr sc = conf_alloc(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_alloc(env, seL4_NotificationObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr ep_write = conf_copy(env, ep, seL4_CanWrite); /* no Grant, no GrantReply */
    CONF_CHECK(!conf_failed());
    CONF_EQ(TCBSetSchedParams, 8);
    /* Two caps only: TruncatedMessage. */
    seL4_SetCap(0, seL4_CapInitThreadTCB);
    seL4_SetCap(1, seL4_CapNull);
    seL4_Word w[2] = {0, 0};
    CONF_EQ(conf_raw_call(t, TCBSetSchedParams, 2, 2, w), seL4_TruncatedMessage);
    CONF_EQ(conf_raw_call(t, TCBSetSchedParams, 1, 3, w), seL4_TruncatedMessage);
    /* cap0 not a TCB: InvalidCapability(1). */
    CONF_ERR(sys_tcb_set_sched_params(t, ep, 0, 0, seL4_CapNull, seL4_CapNull),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
    /* mcp, then priority, above the authority's MCP: RangeError(0, 255). */
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 256, 0, seL4_CapNull, seL4_CapNull),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), 255);
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 0, 256, seL4_CapNull, seL4_CapNull),
             seL4_RangeError);
    /* cap1 neither an SC nor null: InvalidCapability(2), even with a bad fault handler. */
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 0, 0, ep, ntfn),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 2);
    /* cap2 not a valid handler (a notification; an endpoint without Grant/GrantReply):
     * InvalidCapability(3). */
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 0, 0, seL4_CapNull, ntfn),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 3);
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 0, 0, seL4_CapNull, ep_write),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 3);
    /* A null SC for the calling thread itself: IllegalOperation. */
    CONF_ERR(sys_tcb_set_sched_params(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255, 255,
                                      seL4_CapNull, seL4_CapNull),
             seL4_IllegalOperation);
    /* Bind sc to t with a fault handler; then t has an SC: another one is refused, and sc is
     * bound, so a second TCB cannot take it. */
    CONF_OK(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 10, 10, sc, ep));
    seL4_CPtr sc2 = conf_alloc(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    seL4_CPtr t2 = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 10, 10, sc2, ep),
             seL4_IllegalOperation);
    CONF_ERR(sys_tcb_set_sched_params(t2, seL4_CapInitThreadTCB, 10, 10, sc, ep),
             seL4_IllegalOperation);
    /* The same SC again is no change; a null SC unbinds it, after which t2 may take it. */
    CONF_OK(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 10, 10, sc, ep));
    CONF_OK(sys_tcb_set_sched_params(t, seL4_CapInitThreadTCB, 10, 10, seL4_CapNull, seL4_CapNull));
    CONF_OK(sys_tcb_set_sched_params(t2, seL4_CapInitThreadTCB, 10, 10, sc, seL4_CapNull));
}

static void blocked_waiter(struct conf_thread *t)
{
    seL4_Word word = 0;
    (void)sys_wait(t->arg[0], &word);
    t->out[0] = word;
}

/* SetSchedParams gives a thread blocked in a receive only a scheduling context that is ready to
 * run: one never configured is refused (IllegalOperation), its own configured one is accepted. */
static void case_tcb_sched_params_blocked(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr unconfigured = conf_alloc(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    struct conf_thread t;
    conf_thread_make(env, &t, blocked_waiter, CONF_THREAD_PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = n;
    conf_thread_start(&t);
    /* Let it run until it blocks in Wait. */
    CONF_OK(
        sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CONF_THREAD_PRIO - 1));
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    /* Take its scheduling context away while it waits. */
    CONF_OK(sys_tcb_set_sched_params(t.tcb, seL4_CapInitThreadTCB, CONF_THREAD_PRIO,
                                     CONF_THREAD_PRIO, seL4_CapNull, seL4_CapNull));
    CONF_ERR(sys_tcb_set_sched_params(t.tcb, seL4_CapInitThreadTCB, CONF_THREAD_PRIO,
                                      CONF_THREAD_PRIO, unconfigured, seL4_CapNull),
             seL4_IllegalOperation);
    CONF_OK(sys_tcb_set_sched_params(t.tcb, seL4_CapInitThreadTCB, CONF_THREAD_PRIO,
                                     CONF_THREAD_PRIO, t.sc, seL4_CapNull));
    seL4_CPtr b = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, b, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x9));
    sys_signal(b);
    conf_thread_join(&t);
    CONF_EQ(t.out[0], 0x9);
}

static void recv_bad_reply(struct conf_thread *t)
{
    seL4_Word badge = 0;
    (void)sys_recv(t->arg[0], &badge, t->arg[1]);
    t->out[0] = 1;
}

/* Recv on an endpoint names its reply object in x6: a cap of another type is a receive-phase cap
 * fault with MissingCapability (0 bits left), a CPtr that does not resolve one with the lookup's
 * failure (here a guard mismatch), both with x6's value as the address. */
static void case_recv_reply_cap_fault(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr handler = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr reply = conf_alloc(env, seL4_ReplyObject, 0);
    CONF_CHECK(!conf_failed());
    const seL4_CPtr bad[2] = {ep, ep | (1ull << 40)};
    const seL4_Word type[2] = {seL4_MissingCapability, seL4_GuardMismatch};
    for (int i = 0; i < 2; i++) {
        struct conf_thread t;
        conf_thread_make(env, &t, recv_bad_reply, CONF_THREAD_PRIO, handler);
        CONF_CHECK(!conf_failed());
        t.arg[0] = ep;
        t.arg[1] = bad[i];
        conf_thread_start(&t);
        seL4_Word badge = 1;
        seL4_MessageInfo_t info = sys_recv(handler, &badge, reply);
        CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
        CONF_EQ(seL4_GetMR(seL4_CapFault_Addr), bad[i]);
        CONF_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
        CONF_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), type[i]);
        if (i == 0) {
            CONF_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
        }
        CONF_EQ(t.out[0], 0);
        CONF_OK(sys_tcb_suspend(t.tcb));
    }
}

/* SetTimeoutEndpoint (cap0 = handler or null); SetSpace checks its fault handler (cap0) last. */
static void case_tcb_timeout_endpoint_and_space(struct conf_env *env)
{
    seL4_CPtr t = conf_alloc(env, seL4_TCBObject, 0);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr no_asid = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_EQ(TCBSetTimeoutEndpoint, 9);
    CONF_EQ(conf_raw_call(t, TCBSetTimeoutEndpoint, 0, 0, NULL), seL4_TruncatedMessage);
    CONF_ERR(sys_tcb_set_timeout_endpoint(t, ntfn), seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_OK(sys_tcb_set_timeout_endpoint(t, ep));
    CONF_OK(sys_tcb_set_timeout_endpoint(t, seL4_CapNull));
    CONF_EQ(TCBSetSpace, 11);
    CONF_ERR(sys_tcb_set_space(t, ntfn, ROOT, 0, seL4_CapInitThreadVSpace, 0),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
    /* A VSpace without an ASID is refused before the fault handler is looked at. */
    CONF_ERR(sys_tcb_set_space(t, ntfn, ROOT, 0, no_asid, 0), seL4_IllegalOperation);
    CONF_ERR(sys_tcb_set_space(t, ntfn, seL4_CapInitThreadTCB, 0, seL4_CapInitThreadVSpace, 0),
             seL4_IllegalOperation);
    seL4_SetCap(0, ep);
    seL4_SetCap(1, ROOT);
    seL4_Word w[2] = {0, 0};
    CONF_EQ(conf_raw_call(t, TCBSetSpace, 2, 2, w), seL4_TruncatedMessage);
    CONF_OK(sys_tcb_set_space(t, ep, ROOT, 0, seL4_CapInitThreadVSpace, 0));
    /* The labels after SetTimeoutEndpoint moved up by one; CNode labels end at Rotate (25). */
    CONF_EQ(TCBSetIPCBuffer, 10);
    CONF_EQ(CNodeRotate, 25);
    CONF_EQ(conf_raw_call(ROOT, 26, 2, 0, w), seL4_IllegalOperation);
}

/* --- the first phase of the combined calls --- */

/* NBSendWait's send half may not invoke a CNode, TCB, SchedControl or SchedContext cap (the
 * invocation is dropped without an error) but may signal a notification; its receive half runs
 * either way. */
static void case_first_phase(struct conf_env *env)
{
    seL4_CPtr ntfn = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr victim = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr t = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr badged = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, badged, DEPTH, ROOT, ntfn, DEPTH, seL4_AllRights, 0x5));
    /* CNode_Delete of `victim` in the first phase: refused, the cap stays; the Wait half then
     * takes the pending signal. */
    sys_signal(badged);
    seL4_SetMR(0, victim);
    seL4_SetMR(1, DEPTH);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_MessageInfo_new(CNodeDelete, 0, 0, 2);
    seL4_Word a0 = ntfn, a1 = info.words[0], a2 = victim, a3 = DEPTH, a4 = 0, a5 = 0;
    kaal_arch_syscall_x6x8((seL4_Word)seL4_SysNBSendWait, &a0, &a1, &a2, &a3, &a4, &a5, ROOT, 0);
    badge = a0;
    CONF_EQ(badge, 0x5);
    CONF_EQ(conf_tag(victim), KAAL_CAP_TAG_ENDPOINT);
    /* A TCB: SetTLSBase in the first phase is refused (the thread's TPIDR_EL0 stays 0). */
    sys_signal(badged);
    a0 = ntfn, a1 = seL4_MessageInfo_new(TCBSetTLSBase, 0, 0, 1).words[0], a2 = 0x1230;
    kaal_arch_syscall_x6x8((seL4_Word)seL4_SysNBSendWait, &a0, &a1, &a2, &a3, &a4, &a5, t, 0);
    CONF_EQ(a0, 0x5);
    seL4_UserContext regs;
    CONF_OK(sys_tcb_read_registers(t, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs));
    CONF_EQ(regs.tpidr_el0, 0);
    CONF_OK(sys_tcb_set_tls_base(t, 0x1230));
    CONF_OK(sys_tcb_read_registers(t, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs));
    CONF_EQ(regs.tpidr_el0, 0x1230);
    /* The SchedControl and SchedContext caps in the first phase: the receive half still runs. */
    seL4_CPtr refused[2] = {env->bi->schedcontrol.start, seL4_CapInitThreadSC};
    for (int i = 0; i < 2; i++) {
        sys_signal(badged);
        badge = 0;
        mcs_raw((seL4_Word)seL4_SysNBSendWait, ntfn,
                seL4_MessageInfo_new(SchedContextConsumed, 0, 0, 0), refused[i], 0, &badge);
        CONF_EQ(badge, 0x5);
    }
    /* The send half signalling the notification itself: the Wait half receives that signal. */
    badge = 0;
    mcs_raw((seL4_Word)seL4_SysNBSendWait, ntfn, seL4_MessageInfo_new(0, 0, 0, 0), badged, 0,
            &badge);
    CONF_EQ(badge, 0x5);
    /* Outside the first phase the same CNode_Delete works. */
    CONF_OK(sys_cnode_delete(ROOT, victim, DEPTH));
    CONF_EQ(conf_tag(victim), KAAL_CAP_TAG_NULL);
}

static void nbsend_recv_client(struct conf_thread *t)
{
    seL4_Word badge = 0;
    seL4_SetMR(0, 0x77);
    seL4_MessageInfo_t info = sys_nbsend_recv(t->arg[0], seL4_MessageInfo_new(0x11, 0, 0, 1),
                                              t->arg[1], &badge, t->arg[2]);
    t->out[0] = badge;
    t->out[1] = seL4_MessageInfo_get_label(info);
    t->out[2] = seL4_GetMR(0);
}

/* Runs only when the root and the client both wait: tells the root waiting on ep that the client's
 * message never came (with it delivered, the root has left ep and this send is dropped). */
static void nbsend_recv_watchdog(struct conf_thread *t)
{
    sys_nbsend(t->arg[0], seL4_MessageInfo_new(0xdead, 0, 0, 0));
}

/* NBSendRecv sends to the endpoint named in x8, then receives on x0 with the reply object in x6:
 * the root waiting on ep gets the thread's message (label, MR0, the badge of the x8 cap), and the
 * thread then gets the root's Send on the other endpoint. A port that lost x8 on the way to the
 * kernel would send to slot 0 (dropped without an error: a non-blocking send), and the root would
 * get the lower-priority watchdog's label 0xdead instead. */
static void case_nbsend_recv_dest(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr ep2 = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr reply = conf_alloc(env, seL4_ReplyObject, 0);
    seL4_CPtr reply2 = conf_alloc(env, seL4_ReplyObject, 0);
    seL4_CPtr dest = conf_slot(env), back = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, dest, DEPTH, ROOT, ep, DEPTH, seL4_AllRights, 0x31));
    CONF_OK(sys_cnode_mint(ROOT, back, DEPTH, ROOT, ep2, DEPTH, seL4_AllRights, 0x42));
    struct conf_thread t;
    conf_thread_make(env, &t, nbsend_recv_client, CONF_THREAD_PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = dest;
    t.arg[1] = ep2;
    t.arg[2] = reply2;
    struct conf_thread w;
    conf_thread_make(env, &w, nbsend_recv_watchdog, CONF_THREAD_PRIO - 1, 0);
    CONF_CHECK(!conf_failed());
    w.arg[0] = ep;
    conf_thread_start(&t);
    conf_thread_start(&w);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = sys_recv(ep, &badge, reply);
    CONF_EQ(seL4_MessageInfo_get_label(info), 0x11);
    CONF_EQ(seL4_MessageInfo_get_length(info), 1);
    CONF_EQ(seL4_GetMR(0), 0x77);
    CONF_EQ(badge, 0x31);
    seL4_SetMR(0, 0x88);
    sys_send(back, seL4_MessageInfo_new(0x22, 0, 0, 1));
    conf_thread_join(&t);
    CONF_EQ(t.out[0], 0x42);
    CONF_EQ(t.out[1], 0x22);
    CONF_EQ(t.out[2], 0x88);
    conf_thread_join(&w);
}

/* --- DebugCapIdentify of the MCS caps --- */
static void case_cap_tags(struct conf_env *env)
{
    seL4_CPtr sc = conf_alloc(env, seL4_SchedContextObject, 8);
    seL4_CPtr reply = conf_alloc(env, seL4_ReplyObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_EQ(conf_tag(sc), 22);
    CONF_EQ(conf_tag(reply), 8);
    CONF_EQ(conf_tag(env->bi->schedcontrol.start), 24);
    CONF_EQ(conf_tag(seL4_CapInitThreadSC), 22);
}

/* --- budgets in simulated time --- */

#define SHARE_PERIOD_US 1000u
#define SHARE_BUDGET_US 100u /* 10% */
#define SHARE_PERIODS 20u
#define SHARE_KERNEL_WCET_US 10u /* the platform's kernel WCET (docs/mcs.md, "Time") */

#if defined(KAAL_ARCH_AARCH64)
/* Spins until suspended. */
static void share_spinner(struct conf_thread *t)
{
    for (;;) {
        t->out[0]++;
    }
}

/* Spins too, reading its own SC's Consumed until it has had arg[1] µs; then reads the spinner's SC
 * (arg[0]): both in simulated time, as the kernel charged it. */
static void share_measurer(struct conf_thread *t)
{
    seL4_Word mine = 0;
    while (mine < t->arg[1]) {
        seL4_SchedContext_Consumed_t r = sys_sched_context_consumed(t->sc);
        if (r.error != seL4_NoError) {
            t->out[2] = 1;
            return;
        }
        mine += r.consumed;
    }
    seL4_SchedContext_Consumed_t r = sys_sched_context_consumed(t->arg[0]);
    t->out[0] = mine;
    t->out[1] = r.consumed;
    t->out[2] = r.error != seL4_NoError;
}
#endif

/* Budget enforcement: a spinner with 10% of a 1 ms period at a higher priority against a spinning
 * measurer (round robin) for about SHARE_PERIODS periods: the spinner gets 10% of the time, to
 * within the one budget a run that does not end on a period boundary can add or miss and the
 * kernel's WCET per period (the timer's precision is 0 on this platform). Both figures are
 * SchedContext_Consumed's, in the simulation's own time: QEMU's instruction count under -icount,
 * the emulated EL0's instruction clock on hostsim. */
static void case_budget_share(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP("hostsim user mode has no timer: virtual time passes only when no thread can run");
#else
    struct conf_thread a, m;
    conf_thread_make(env, &a, share_spinner, CONF_THREAD_PRIO + 2, 0);
    conf_thread_make(env, &m, share_measurer, CONF_THREAD_PRIO + 1, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_sched_control_configure_flags(env->bi->schedcontrol.start, a.sc, SHARE_BUDGET_US,
                                              SHARE_PERIOD_US, 0, 0, seL4_SchedContext_NoFlag));
    m.arg[0] = a.sc;
    m.arg[1] = SHARE_PERIODS * (SHARE_PERIOD_US - SHARE_BUDGET_US);
    conf_thread_start(&a);
    conf_thread_start(&m);
    conf_thread_join(&m);
    CONF_OK(sys_tcb_suspend(a.tcb));
    CONF_EQ(m.out[2], 0);
    seL4_Word spinner = m.out[1], total = m.out[0] + m.out[1];
    seL4_Word slack = SHARE_BUDGET_US + SHARE_PERIODS * SHARE_KERNEL_WCET_US;
    CONF_CHECK(a.out[0] > 0);
    if (spinner + slack < total / 10 || spinner > total / 10 + slack) {
        conf_fail(__FILE__, __LINE__, "the spinner's µs (got) of the total (want) is not 10%",
                  spinner, total, 1);
    }
#endif
}

/* Round robin vs sporadic: X, alone at its priority, spins above a spinning M, reading its own
 * Consumed until it has had 5 ms. Round robin (budget = period = 1 ms): out of budget X gets a
 * fresh one at once and goes on, so M never runs (Consumed 0). Sporadic (1 ms every 2 ms): out of
 * budget X waits for its refill and M runs in every gap, so M gets as much as X, to within one
 * budget (X reads its time a period late) and the kernel's WCET per period. */
static void case_round_robin_vs_sporadic(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP("hostsim user mode has no timer: virtual time passes only when no thread can run");
#else
    const seL4_Word budget = 1000, goal = 5000;
    for (int sporadic = 0; sporadic < 2; sporadic++) {
        seL4_Word period = sporadic ? 2 * budget : budget;
        struct conf_thread x, m;
        conf_thread_make(env, &x, share_measurer, CONF_THREAD_PRIO + 2, 0);
        conf_thread_make(env, &m, share_spinner, CONF_THREAD_PRIO + 1, 0);
        CONF_CHECK(!conf_failed());
        CONF_OK(sys_sched_control_configure_flags(env->bi->schedcontrol.start, x.sc, budget, period,
                                                  0, 0, seL4_SchedContext_NoFlag));
        x.arg[0] = m.sc;
        x.arg[1] = goal;
        conf_thread_start(&m);
        conf_thread_start(&x);
        conf_thread_join(&x);
        /* (x has signalled but not yet suspended itself: the root preempted it. Both stop here,
         * before the next round reuses x and m.) */
        CONF_OK(sys_tcb_suspend(x.tcb));
        CONF_OK(sys_tcb_suspend(m.tcb));
        CONF_EQ(x.out[2], 0);
        CONF_CHECK(x.out[0] >= goal);
        seL4_Word x_us = x.out[0], m_us = x.out[1];
        seL4_Word slack = budget + (x_us / budget + 1) * SHARE_KERNEL_WCET_US;
        if (!sporadic) {
            CONF_EQ(m_us, 0); /* round robin: X never left the processor */
        } else if (m_us + slack < x_us || m_us > x_us + slack) {
            conf_fail(__FILE__, __LINE__, "M's µs (got) beside the sporadic X's (want)", m_us, x_us,
                      1);
            return;
        }
    }
#endif
}

#if CONFIG_NUM_DOMAINS > 1 && CONFIG_NUM_DOMAIN_SCHEDULES > 2
/* Domains under MCS (a build with -Dnum_domains > 1 -Dnum_domain_schedules > 2): a schedule of
 * domain 0 for 2 ms and domain 1 for 3 ms (durations in timer ticks under MCS). S in domain 1 spins
 * at a higher priority than M in domain 0, which reads its own Consumed until it has had five of
 * its slots (10 ms), then S's. S never runs in domain 0's time (M would starve), and gets its
 * domain's 3 ms for every 2 ms of M's, to within one slot of either plus the kernel's WCET per
 * slot. Then the default schedule again (domain 0 for ever). */
static void case_domain_share(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP("hostsim user mode has no timer: virtual time passes only when no thread can run");
#else
    const seL4_Word d0_us = 2000, d1_us = 3000, slots = 5;
    struct conf_thread s, m;
    conf_thread_make(env, &s, share_spinner, CONF_THREAD_PRIO + 2, 0);
    conf_thread_make(env, &m, share_measurer, CONF_THREAD_PRIO + 1, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_domain_set_set(seL4_CapDomain, 1, s.tcb));
    CONF_OK(sys_domain_set_schedule_configure(seL4_CapDomain, 0, 0, d0_us * 62500 / 1000));
    CONF_OK(sys_domain_set_schedule_configure(seL4_CapDomain, 1, 1, d1_us * 62500 / 1000));
    m.arg[0] = s.sc;
    m.arg[1] = slots * d0_us;
    conf_thread_start(&s);
    conf_thread_start(&m);
    CONF_OK(sys_domain_set_schedule_set_start(seL4_CapDomain, 0));
    conf_thread_join(&m);
    CONF_OK(sys_tcb_suspend(m.tcb));
    CONF_OK(sys_tcb_suspend(s.tcb));
    /* The default schedule: domain 0 for the longest duration, entry 1 the end marker. */
    CONF_OK(sys_domain_set_schedule_configure(seL4_CapDomain, 0, 0, (1ull << 56) - 1));
    CONF_OK(sys_domain_set_schedule_configure(seL4_CapDomain, 1, 0, 0));
    CONF_OK(sys_domain_set_schedule_set_start(seL4_CapDomain, 0));
    CONF_EQ(m.out[2], 0);
    seL4_Word m_us = m.out[0], s_us = m.out[1], want = m_us * d1_us / d0_us;
    seL4_Word slack = d1_us + (2 * slots + 2) * SHARE_KERNEL_WCET_US;
    CONF_CHECK(s_us > 0);
    if (s_us + slack < want || s_us > want + slack) {
        conf_fail(__FILE__, __LINE__, "S's µs in domain 1 (got) beside 3/2 of M's (want)", s_us,
                  want, 1);
    }
#endif
}
#endif

static const struct conf_case cases[] = {
    CONF_CASE(bootinfo_schedcontrol),
    CONF_CASE(initial_caps),
    CONF_CASE(syscall_numbers),
    CONF_CASE(syscall_behaviour),
    CONF_CASE(retype_objects),
    CONF_CASE(retype_device),
    CONF_CASE(stale_reply),
    CONF_CASE(tcb_configure),
    CONF_CASE(tcb_set_sched_params),
    CONF_CASE(tcb_timeout_endpoint_and_space),
    CONF_CASE(first_phase),
    CONF_CASE(cap_tags),
    CONF_CASE(tcb_sched_params_blocked),
    CONF_CASE(recv_reply_cap_fault),
    CONF_CASE(nbsend_recv_dest),
    CONF_CASE(budget_share),
    CONF_CASE(round_robin_vs_sporadic),
#if CONFIG_NUM_DOMAINS > 1 && CONFIG_NUM_DOMAIN_SCHEDULES > 2
    CONF_CASE(domain_share),
#endif
};
const struct conf_area conf_area_mcs = CONF_AREA("mcs", cases);

#endif /* CONFIG_KERNEL_MCS */
