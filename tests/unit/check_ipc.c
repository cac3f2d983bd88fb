/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoint IPC between puppet threads: Send, Recv, Call, Reply, ReplyRecv, NBSend, NBRecv, badges,
 * message lengths and truncation, the register rules, cap transfer and unwrapping, reply caps,
 * FIFO order of senders, and CancelBadgedSends with real queued senders. */
#include "puppets.h"

/* x6 of the root's receives: its reply object under MCS (kept), else a sentinel. */
#define ROOT_X6 x6_after_recv(seL4_CapInitThreadTCB)

static uint64_t ep; /* an endpoint with all rights, made by every test's setup */

static void setup(void)
{
    puppet_setup();
    ep = retype_obj(seL4_EndpointObject, 0);
}

static TCase *tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

/* Thread t blocks in Recv on cptr; the root thread becomes current again. */
static void block_recv(uint64_t t, uint64_t cptr)
{
    uint64_t regs[8];
    fill_msg(regs, t, 0, 0);
    ck_assert_int_eq(sys_as(t, seL4_SysRecv, cptr, SENT(1), regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnReceive);
}

/* The root thread sends (label, len words base + i) on cptr with ncaps extra caps. */
static struct ktest_reply root_send(int64_t sysno, uint64_t cptr, uint64_t label, unsigned len,
                                    uint64_t base, unsigned ncaps, const uint64_t *caps)
{
    uint64_t mrs[seL4_MsgMaxLength + 8];
    for (unsigned i = 0; i < len && i < seL4_MsgMaxLength + 8; i++) {
        mrs[i] = base + i;
    }
    return ktest_syscall(sysno, cptr, info_of(label, ncaps, len), len, mrs, ncaps, caps);
}

/* ---- Send / Recv ---- */

START_TEST(test_send_to_waiting_receiver)
{
    uint64_t badged = mint(ep, seL4_AllRights, 0x55);
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    assert_current(seL4_CapInitThreadTCB);
    struct ktest_reply r = root_send(seL4_SysSend, badged, 7, 3, 0x100, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    assert_current(a); /* the higher-priority receiver runs at once */
    ck_assert_uint_eq(state_of(a), ThreadState_Running);
    ck_assert_uint_eq(reg_of(a, REG_X0), 0x55);
    ck_assert_uint_eq(label_of(reg_of(a, REG_X1)), 7);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), 3);
    ck_assert_uint_eq(reg_of(a, REG_X2), 0x100);
    ck_assert_uint_eq(reg_of(a, REG_X3), 0x101);
    ck_assert_uint_eq(reg_of(a, REG_X4), 0x102);
    ck_assert_uint_eq(reg_of(a, REG_X5), SENT(5)); /* beyond the length: untouched */
    ck_assert_uint_eq(reg_of(a, REG_X6), x6_after_recv(a));
    ck_assert_uint_eq(reg_of(a, REG_X7), (uint64_t)seL4_SysRecv);
}
END_TEST

START_TEST(test_recv_from_queued_sender)
{
    uint64_t a = make_thread(200, 0, true);
    uint64_t b = start_thread(150, 0, true); /* b runs first and sends */
    uint64_t regs[8];
    fill_msg(regs, b, 0x200, 2);
    ck_assert_int_eq(sys_as(b, seL4_SysSend, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(b), ThreadState_BlockedOnSend);
    resume(a);
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, ep, SENT(1), regs), HOSTSIM_OK);
    ck_assert_uint_eq(regs[0], 0);
    ck_assert_uint_eq(label_of(regs[1]), 3);
    ck_assert_uint_eq(length_of(regs[1]), 2);
    ck_assert_uint_eq(regs[2], 0x200);
    ck_assert_uint_eq(regs[3], 0x201);
    ck_assert_uint_eq(regs[4], SENT(4));
    ck_assert_uint_eq(regs[5], SENT(5));
    ck_assert_uint_eq(state_of(b), ThreadState_Running); /* the sender is released */
    /* The sender's own registers are untouched by a Send. */
    ck_assert_uint_eq(reg_of(b, REG_X0), ep);
    ck_assert_uint_eq(reg_of(b, REG_X2), 0x200);
}
END_TEST

/* Receiver a (buffer or not) gets a message of len words from the root thread. */
static void check_length(bool receiver_buffer, unsigned len, unsigned expect)
{
    uint64_t a = start_thread(200, 0, receiver_buffer);
    if (receiver_buffer) {
        memset(buf_of(a)->msg, 0xee, sizeof(buf_of(a)->msg));
    }
    block_recv(a, ep);
    ck_assert_int_eq(root_send(seL4_SysSend, ep, 1, len, 0x1000, 0, NULL).status, HOSTSIM_OK);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), expect);
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(reg_of(a, REG_X2 + i), i < expect ? 0x1000 + i : SENT(2 + i));
    }
    if (receiver_buffer) {
        for (unsigned i = 4; i < seL4_MsgMaxLength; i++) {
            ck_assert_uint_eq(buf_of(a)->msg[i], i < expect ? 0x1000 + i : 0xeeeeeeeeeeeeeeeeull);
        }
    }
}

START_TEST(test_lengths)
{
    static const unsigned cases[][2] = {{0, 0}, {4, 4}, {5, 5}, {120, 120}, {127, 120}};
    check_length(true, cases[_i][0], cases[_i][1]);
}
END_TEST

START_TEST(test_truncated_without_receiver_buffer) { check_length(false, 9, 4); }
END_TEST

START_TEST(test_truncated_without_sender_buffer)
{
    uint64_t a = make_thread(200, 0, true);
    uint64_t b = start_thread(150, 0, false);
    uint64_t regs[8];
    fill_msg(regs, b, 0x300, 4);
    ck_assert_int_eq(sys_as(b, seL4_SysSend, ep, info_of(0, 0, 50), regs), HOSTSIM_BLOCKED);
    resume(a);
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, ep, 0, regs), HOSTSIM_OK);
    ck_assert_uint_eq(length_of(regs[1]), 4);
    ck_assert_uint_eq(regs[5], 0x303);
}
END_TEST

START_TEST(test_nbsend_and_nbrecv)
{
    /* Nobody waits: NBSend drops the message and returns. */
    ck_assert_int_eq(root_send(seL4_SysNBSend, ep, 1, 2, 0, 0, NULL).status, HOSTSIM_OK);
    ck_assert_uint_eq(
        endpoint_get_state(*PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(ep)->cap))), 0);
    /* Nothing pending: NBRecv writes x0 = 0 and nothing else. */
    uint64_t regs[8] = {ep,      SENT(1), SENT(2), SENT(3),
                        SENT(4), SENT(5), ROOT_X6, (uint64_t)seL4_SysNBRecv};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(regs[0], 0);
    for (int i = 1; i < 6; i++) {
        ck_assert_uint_eq(regs[i], SENT(i));
    }
    ck_assert_uint_eq(regs[6], ROOT_X6);
    /* A queued sender: NBRecv takes its message. */
    uint64_t b9 = mint(ep, seL4_AllRights, 9);
    uint64_t b = start_thread(150, 0, true);
    fill_msg(regs, b, 0x40, 1);
    ck_assert_int_eq(sys_as(b, seL4_SysSend, b9, info_of(2, 0, 1), regs), HOSTSIM_BLOCKED);
    uint64_t r2[8] = {ep,      SENT(1), SENT(2), SENT(3),
                      SENT(4), SENT(5), ROOT_X6, (uint64_t)seL4_SysNBRecv};
    ck_assert_int_eq(hostsim_root_syscall(r2, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(r2[0], 9);
    ck_assert_uint_eq(length_of(r2[1]), 1);
    ck_assert_uint_eq(r2[2], 0x40);
    ck_assert_uint_eq(r2[3], SENT(3));
}
END_TEST

START_TEST(test_fifo_senders)
{
    uint64_t s[3], badged[3];
    for (int i = 0; i < 3; i++) {
        badged[i] = mint(ep, seL4_AllRights, i + 1);
    }
    for (int i = 0; i < 3; i++) {
        s[i] = start_thread(100 + i, 0, true);
        uint64_t regs[8];
        fill_msg(regs, s[i], 0x10 * (i + 1), 1);
        ck_assert_int_eq(sys_as(s[i], seL4_SysSend, badged[i], info_of(0, 0, 1), regs),
                         HOSTSIM_BLOCKED);
    }
    for (int i = 0; i < 3; i++) {
        uint64_t regs[8] = {ep,      0,       SENT(2), SENT(3),
                            SENT(4), SENT(5), ROOT_X6, (uint64_t)seL4_SysRecv};
        ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
#ifdef CONFIG_KERNEL_MCS /* MCS queues by priority: the highest (the last to queue) first */
        int k = 2 - i;
#else /* in the order they queued */
        int k = i;
#endif
        ck_assert_uint_eq(regs[0], (uint64_t)k + 1);
        ck_assert_uint_eq(regs[2], 0x10ull * (k + 1));
        /* the released sender (higher priority) runs; it stops so the root can receive again */
        assert_current(s[k]);
        uint64_t r3[8];
        fill_msg(r3, s[k], 0, 0);
        ck_assert_int_eq(sys_as(s[k], seL4_SysRecv, 0, 0, r3),
                         HOSTSIM_STOPPED); /* a null cap: it stops */
    }
}
END_TEST

/* ---- Call / Reply ---- */

/* Who the reply side holds: base, the type of the cap in a's caller slot (a reply cap or null);
 * MCS, whether a's reply object (puppets.h) holds a caller. */
#ifdef CONFIG_KERNEL_MCS
static bool holds_caller(uint64_t a)
{
    return PTOV(struct reply, cap_reply_cap_get_ptr(root_slot(reply_of(a))->cap))->tcb != NULL;
}
/* Reply: a Send on the reply object under MCS (there is no Reply system call). */
#define REPLY_AS(a, info, regs) sys_as(a, seL4_SysSend, reply_of(a), info, regs)
#else
static bool holds_caller(uint64_t a)
{
    return cap_get_cap_type(tcb_ptr(a)->ctes[TCB_CALLER].cap) == cap_reply_cap;
}
#define REPLY_AS(a, info, regs) sys_as(a, seL4_SysReply, SENT(0), info, regs)
#endif

START_TEST(test_call_reply)
{
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    struct ktest_reply r;
    /* Root calls: a receives with a reply cap in its caller slot; the root blocks on reply. */
    uint64_t regs[8] = {ep,      info_of(5, 0, 2), 0x11,    0x22,
                        SENT(4), SENT(5),          SENT(6), (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_BlockedOnReply);
    assert_current(a);
    ck_assert(holds_caller(a));
    ck_assert_uint_eq(label_of(reg_of(a, REG_X1)), 5);
    ck_assert_uint_eq(reg_of(a, REG_X3), 0x22);
    /* a replies with 1 word: the root gets x0 = 0, x1, x2 only. */
    uint64_t ar[8];
    fill_msg(ar, a, 0x77, 1);
    ck_assert_int_eq(REPLY_AS(a, info_of(9, 0, 1), ar), HOSTSIM_OK);
    ck_assert(!holds_caller(a)); /* one shot */
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Running);
    uint64_t rr[37];
    hostsim_thread_regs(hostsim_root_thread(), rr);
    ck_assert_uint_eq(rr[0], 0);
    ck_assert_uint_eq(label_of(rr[1]), 9);
    ck_assert_uint_eq(length_of(rr[1]), 1);
    ck_assert_uint_eq(rr[2], 0x77);
    ck_assert_uint_eq(rr[3], 0x22); /* not covered by the reply */
    ck_assert_uint_eq(rr[4], SENT(4));
    ck_assert_uint_eq(rr[6], SENT(6));
    /* A second Reply has no caller to answer: nothing happens. */
    ck_assert_int_eq(REPLY_AS(a, info_of(1, 0, 1), ar), HOSTSIM_OK);
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Running);
    (void)r;
}
END_TEST

START_TEST(test_call_without_grant_rights)
{
    /* Call through a cap with neither Grant nor GrantReply: the caller is left Inactive. */
    uint64_t w = mint(ep, seL4_CanWrite, 0);
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    uint64_t regs[8] = {w, info_of(1, 0, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_STOPPED);
    ck_assert(!holds_caller(a));
}
END_TEST

START_TEST(test_reply_recv)
{
    uint64_t b = make_thread(150, 0, true);
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    resume(b);
    uint64_t regs[8];
    fill_msg(regs, b, 0x60, 1);
    ck_assert_int_eq(sys_as(b, seL4_SysCall, ep, info_of(4, 0, 1), regs), HOSTSIM_BLOCKED);
    /* a serves: ReplyRecv answers b and waits again. */
    fill_msg(regs, a, 0x61, 2);
    ck_assert_int_eq(sys_as(a, seL4_SysReplyRecv, ep, info_of(0, 0, 2), regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(a), ThreadState_BlockedOnReceive);
    assert_current(b);
    ck_assert_uint_eq(state_of(b), ThreadState_Running);
    ck_assert_uint_eq(reg_of(b, REG_X2), 0x61);
    ck_assert_uint_eq(reg_of(b, REG_X3), 0x62);
    ck_assert_uint_eq(length_of(reg_of(b, REG_X1)), 2);
    ck_assert_uint_eq(reg_of(b, REG_X4), SENT(4));
}
END_TEST

#ifndef CONFIG_KERNEL_MCS /* CNode_SaveCaller: base only (MCS servers keep a reply object) */
START_TEST(test_save_caller_and_send_on_reply_cap)
{
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    uint64_t regs[8] = {ep, info_of(1, 0, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_BLOCKED);
    /* a saves the reply cap (CNode_SaveCaller), then answers with Send on it. */
    uint64_t saved = alloc_slot();
    uint64_t ar[8] = {ROOT, info_of(CNodeSaveCaller, 0, 2), saved, 64, 0, 0,
                      0,    (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_syscall_as_current(ar, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(label_of(ar[1]), 0);
    ck_assert_uint_eq(cap_get_cap_type(root_slot(saved)->cap), cap_reply_cap);
    fill_msg(ar, a, 0x99, 1);
    ck_assert_int_eq(sys_as(a, seL4_SysSend, saved, info_of(2, 0, 1), ar), HOSTSIM_OK);
    ck_assert_uint_eq(cap_get_cap_type(root_slot(saved)->cap), cap_null_cap); /* consumed */
    uint64_t rr[37];
    hostsim_thread_regs(hostsim_root_thread(), rr);
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Running);
    ck_assert_uint_eq(label_of(rr[1]), 2);
    ck_assert_uint_eq(rr[2], 0x99);
}
END_TEST
#endif

/* ---- caps ---- */

/* Root sends one extra cap (cptr) through ep_cap to a waiting thread whose receive slot is set. */
static uint64_t send_cap(uint64_t ep_cap, uint64_t cap, uint64_t *dest, uint64_t *info)
{
    uint64_t a = start_thread(200, 0, true);
    *dest = alloc_slot();
    seL4_IPCBuffer *b = buf_of(a);
    b->receiveCNode = ROOT;
    b->receiveIndex = *dest;
    b->receiveDepth = 64;
    b->caps_or_badges[0] = 0xdead;
    block_recv(a, ep);
    ck_assert_int_eq(root_send(seL4_SysSend, ep_cap, 0, 0, 0, 1, &cap).status, HOSTSIM_OK);
    *info = reg_of(a, REG_X1);
    return a;
}

START_TEST(test_cap_transfer_with_grant)
{
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t dest, info;
    send_cap(ep, ntfn, &dest, &info);
    ck_assert_uint_eq(extra_of(info), 1);
    ck_assert_uint_eq(unwrapped_of(info), 0);
    ck_assert_uint_eq(slot_type(dest), 6);
    ck_assert_uint_eq(cap_notification_cap_get_ptr(root_slot(dest)->cap),
                      cap_notification_cap_get_ptr(root_slot(ntfn)->cap));
}
END_TEST

START_TEST(test_cap_transfer_without_grant)
{
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t nogrant = mint(ep, seL4_CanWrite | seL4_CanRead | seL4_CanGrantReply, 0);
    uint64_t dest, info;
    send_cap(nogrant, ntfn, &dest, &info);
    ck_assert_uint_eq(extra_of(info), 0);
    ck_assert_uint_eq(slot_type(dest), 0);
}
END_TEST

START_TEST(test_cap_unwrapped)
{
    uint64_t badged = mint(ep, seL4_AllRights, 0xabc);
    uint64_t dest, info;
    uint64_t a = send_cap(ep, badged, &dest, &info);
    ck_assert_uint_eq(extra_of(info), 1);
    ck_assert_uint_eq(unwrapped_of(info), 1);
    ck_assert_uint_eq(buf_of(a)->caps_or_badges[0], 0xabc);
    ck_assert_uint_eq(slot_type(dest), 0); /* nothing was placed in the slot */
}
END_TEST

START_TEST(test_cap_transfer_occupied_slot)
{
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t a = start_thread(200, 0, true);
    seL4_IPCBuffer *b = buf_of(a);
    b->receiveCNode = ROOT;
    b->receiveIndex = ntfn; /* occupied */
    b->receiveDepth = 64;
    block_recv(a, ep);
    ck_assert_int_eq(root_send(seL4_SysSend, ep, 0, 1, 5, 1, &ntfn).status, HOSTSIM_OK);
    ck_assert_uint_eq(extra_of(reg_of(a, REG_X1)), 0);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), 1);
}
END_TEST

/* ---- IPC buffers: missing, read-only, looked up only when needed ---- */

/* Like make_thread(prio, 0, true) but the buffer frame cap is read-only: a sender may read its
 * message from it, while the kernel never writes into it (it is no receive buffer). */
static uint64_t make_thread_ro_buffer(uint64_t prio)
{
    uint64_t tcb = retype_obj(seL4_TCBObject, 0);
    uint64_t frame = retype_obj(seL4_ARM_SmallPageObject, 0);
    uint64_t ro = mint(frame, seL4_CanRead, 0);
    configure_puppet(tcb, prio, 0, 0x10000000ull + 0x1000ull * tcb, ro);
    return tcb;
}

/* Receiver a (RW buffer, pre-filled with 0xee) waits; sender b sends len words straight to it. */
static uint64_t direct_send(uint64_t b, unsigned len, uint64_t ncaps)
{
    uint64_t a = start_thread(200, 0, true);
    memset(buf_of(a)->msg, 0xee, sizeof(buf_of(a)->msg));
    block_recv(a, ep);
    resume(b);
    uint64_t regs[8];
    fill_msg(regs, b, 0x400, len);
    ck_assert_int_eq(sys_as(b, seL4_SysSend, ep, info_of(2, ncaps, len), regs), HOSTSIM_OK);
    assert_current(a);
    ck_assert_uint_eq(state_of(b),
                      ThreadState_Running); /* no fault: the sender is just preempted */
    return a;
}

START_TEST(test_send_from_read_only_buffer)
{
    /* The sender view of a buffer needs only read rights: all ten words arrive. */
    uint64_t a = direct_send(make_thread_ro_buffer(150), 10, 0);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), 10);
    ck_assert_uint_eq(reg_of(a, REG_X5), 0x403);
    for (unsigned i = 4; i < 10; i++) {
        ck_assert_uint_eq(buf_of(a)->msg[i], 0x400 + i);
    }
    ck_assert_uint_eq(buf_of(a)->msg[10], 0xeeeeeeeeeeeeeeeeull);
}
END_TEST

START_TEST(test_direct_send_without_sender_buffer)
{
    /* Ten words from a sender without a buffer: the message stops at the registers. */
    uint64_t a = direct_send(make_thread(150, 0, false), 10, 0);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), 4);
    ck_assert_uint_eq(reg_of(a, REG_X2), 0x400);
    ck_assert_uint_eq(reg_of(a, REG_X5), 0x403);
    ck_assert_uint_eq(buf_of(a)->msg[4], 0xeeeeeeeeeeeeeeeeull);
}
END_TEST

START_TEST(test_caps_without_sender_buffer)
{
    /* Extra caps named by a sender without a buffer: no lookup, no fault, no caps transferred. */
    uint64_t a = direct_send(make_thread(150, 0, false), 1, 2);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), 1);
    ck_assert_uint_eq(extra_of(reg_of(a, REG_X1)), 0);
    ck_assert_uint_eq(unwrapped_of(reg_of(a, REG_X1)), 0);
    ck_assert_uint_eq(reg_of(a, REG_X2), 0x400);
}
END_TEST

START_TEST(test_receive_into_read_only_buffer)
{
    /* A read-only buffer is no receive buffer: ten words are cut to the registers, a cap is not
     * transferred, and the buffer is not written. */
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t a = make_thread_ro_buffer(200);
    resume(a);
    seL4_IPCBuffer *b = buf_of(a); /* the kernel's view: the test may write it */
    memset(b->msg, 0xee, sizeof(b->msg));
    b->receiveCNode = ROOT;
    b->receiveIndex = alloc_slot();
    b->receiveDepth = 64;
    block_recv(a, ep);
    ck_assert_int_eq(root_send(seL4_SysSend, ep, 3, 10, 0x500, 1, &ntfn).status, HOSTSIM_OK);
    uint64_t info = reg_of(a, REG_X1);
    ck_assert_uint_eq(label_of(info), 3);
    ck_assert_uint_eq(length_of(info), 4);
    ck_assert_uint_eq(extra_of(info), 0);
    ck_assert_uint_eq(reg_of(a, REG_X5), 0x503);
    ck_assert_uint_eq(b->msg[4], 0xeeeeeeeeeeeeeeeeull);
    ck_assert_uint_eq(slot_type(b->receiveIndex), 0);
}
END_TEST

START_TEST(test_caps_without_receiver_buffer)
{
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t a = start_thread(200, 0, false);
    block_recv(a, ep);
    ck_assert_int_eq(root_send(seL4_SysSend, ep, 3, 6, 0x600, 1, &ntfn).status, HOSTSIM_OK);
    uint64_t info = reg_of(a, REG_X1);
    ck_assert_uint_eq(length_of(info), 4);
    ck_assert_uint_eq(extra_of(info), 0);
    ck_assert_uint_eq(reg_of(a, REG_X2), 0x600);
}
END_TEST

START_TEST(test_call_and_reply_recv_ten_words)
{
    /* The benchmark's slowpath case: Call and ReplyRecv with ten words each way. */
    uint64_t b = make_thread(150, 0, true);
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    resume(b);
    uint64_t regs[8];
    fill_msg(regs, b, 0x700, 10);
    ck_assert_int_eq(sys_as(b, seL4_SysCall, ep, info_of(4, 0, 10), regs), HOSTSIM_BLOCKED);
    assert_current(a);
    ck_assert_uint_eq(length_of(reg_of(a, REG_X1)), 10);
    for (unsigned i = 4; i < 10; i++) {
        ck_assert_uint_eq(buf_of(a)->msg[i], 0x700 + i);
    }
    memset(buf_of(b)->msg, 0xee, sizeof(buf_of(b)->msg));
    fill_msg(regs, a, 0x800, 10);
    ck_assert_int_eq(sys_as(a, seL4_SysReplyRecv, ep, info_of(5, 0, 10), regs), HOSTSIM_BLOCKED);
    assert_current(b);
    ck_assert_uint_eq(label_of(reg_of(b, REG_X1)), 5);
    ck_assert_uint_eq(length_of(reg_of(b, REG_X1)), 10);
    ck_assert_uint_eq(reg_of(b, REG_X2), 0x800);
    ck_assert_uint_eq(reg_of(b, REG_X5), 0x803);
    for (unsigned i = 4; i < 10; i++) {
        ck_assert_uint_eq(buf_of(b)->msg[i], 0x800 + i);
    }
    ck_assert_uint_eq(buf_of(b)->msg[10], 0xeeeeeeeeeeeeeeeeull);
}
END_TEST

/* ---- errors and cancel ---- */

START_TEST(test_send_read_only_cap)
{
    uint64_t ro = mint(ep, seL4_CanRead, 0);
    ERR(root_send(seL4_SysCall, ro, 0, 0, 0, 0, NULL), seL4_InvalidCapability, 1);
}
END_TEST

START_TEST(test_cancel_badged_sends_real_senders)
{
    uint64_t b42 = mint(ep, seL4_AllRights, 42), b7 = mint(ep, seL4_AllRights, 7);
    uint64_t s[3];
    uint64_t caps[3] = {b42, b7, b42};
    for (int i = 0; i < 3; i++) {
        s[i] = make_thread(100 + i, 0, true);
    }
    for (int i = 0; i < 3; i++) {
        resume(s[i]);
        uint64_t regs[8];
        fill_msg(regs, s[i], 0, 0);
        ck_assert_int_eq(sys_as(s[i], seL4_SysSend, caps[i], info_of(0, 0, 0), regs),
                         HOSTSIM_BLOCKED);
    }
    OK(ktest_cnode_cancel_badged_sends(ROOT, b42, 64));
    /* The released senders (higher priority than root) restart their Send: it blocks again. */
    ck_assert_uint_eq(state_of(s[1]), ThreadState_BlockedOnSend);
    ck_assert(state_of(s[0]) == ThreadState_Restart || state_of(s[0]) == ThreadState_Running);
    ck_assert(state_of(s[2]) == ThreadState_Restart || state_of(s[2]) == ThreadState_Running);
    endpoint_t *e = PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(ep)->cap));
    ck_assert_uint_eq(endpoint_get_queue_head(*e), thread_of(s[1]));
    ck_assert_uint_eq(endpoint_get_queue_tail(*e), thread_of(s[1]));
}
END_TEST

START_TEST(test_delete_endpoint_releases_waiters)
{
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    OK(ktest_cnode_delete(ROOT, ep, 64));
    /* a restarts its Recv on a now empty slot: a cap fault with no handler stops it. */
    uint64_t regs[8];
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_STOPPED);
    ck_assert_uint_eq(state_of(a), ThreadState_Inactive);
}
END_TEST

START_TEST(test_suspend_blocked_receiver)
{
    uint64_t a = start_thread(200, 0, true);
    block_recv(a, ep);
    OK(ktest_call(a, TCBSuspend, 0, NULL, 0, NULL));
    ck_assert_uint_eq(state_of(a), ThreadState_Inactive);
    endpoint_t *e = PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(ep)->cap));
    ck_assert_uint_eq(endpoint_get_state(*e), 0);
    ck_assert_uint_eq(endpoint_get_queue_head(*e), 0);
}
END_TEST

static Suite *ipc_suite(void)
{
    Suite *s = suite_create("ipc");
    TCase *tc = tcase(s, "Send_Recv");
    tcase_add_test(tc, test_send_to_waiting_receiver);
    tcase_add_test(tc, test_recv_from_queued_sender);
    tcase_add_loop_test(tc, test_lengths, 0, 5);
    tcase_add_test(tc, test_truncated_without_receiver_buffer);
    tcase_add_test(tc, test_truncated_without_sender_buffer);
    tcase_add_test(tc, test_nbsend_and_nbrecv);
    tcase_add_test(tc, test_fifo_senders);
    tcase_add_test(tc, test_send_read_only_cap);
    tc = tcase(s, "Call_Reply");
    tcase_add_test(tc, test_call_reply);
    tcase_add_test(tc, test_call_without_grant_rights);
    tcase_add_test(tc, test_reply_recv);
#ifndef CONFIG_KERNEL_MCS
    tcase_add_test(tc, test_save_caller_and_send_on_reply_cap);
#endif
    tc = tcase(s, "cap_transfer");
    tcase_add_test(tc, test_cap_transfer_with_grant);
    tcase_add_test(tc, test_cap_transfer_without_grant);
    tcase_add_test(tc, test_cap_unwrapped);
    tcase_add_test(tc, test_cap_transfer_occupied_slot);
    tc = tcase(s, "cancel");
    tcase_add_test(tc, test_send_from_read_only_buffer);
    tcase_add_test(tc, test_direct_send_without_sender_buffer);
    tcase_add_test(tc, test_caps_without_sender_buffer);
    tcase_add_test(tc, test_receive_into_read_only_buffer);
    tcase_add_test(tc, test_caps_without_receiver_buffer);
    tcase_add_test(tc, test_call_and_reply_recv_ten_words);
    tcase_add_test(tc, test_cancel_badged_sends_real_senders);
    tcase_add_test(tc, test_delete_endpoint_releases_waiters);
    tcase_add_test(tc, test_suspend_blocked_receiver);
    return s;
}

int main(void) { return ktest_run(ipc_suite()); }
