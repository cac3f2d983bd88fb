/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: endpoint IPC between threads (docs/abi.md#how-each-call-uses-the-registers,
 * #message-transfer): lengths 0, 4,
 * 5, 120 and above, labels and badges, cap transfer with and without Grant, unwrapping, the
 * receive slot, one-shot reply caps, ReplyRecv, NBSend/NBRecv, bound notifications, FIFO order
 * of senders, SaveCaller, CancelBadgedSends, receivers without an IPC buffer. The same cases run
 * under MCS, where every endpoint receive names a reply object and answers are Sends on it
 * (harness.h's conf_recv...), except SaveCaller's, which does not exist there. */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define PRIO CONF_THREAD_PRIO

static seL4_Word mr_value(seL4_Word len, seL4_Word i)
{
    return (len << 32) | (i * 0x10001u) | 0x8000u;
}

static seL4_CPtr mint(struct conf_env *env, seL4_CPtr cap, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr s = conf_slot(env);
    seL4_Error err = sys_cnode_mint(ROOT, s, DEPTH, ROOT, cap, DEPTH, rights, badge);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "mint", (seL4_Word)err, 0, 1);
    }
    return s;
}

/* Let every ready thread of priority PRIO run until it blocks, then continue. */
static void let_run(void)
{
    (void)sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO - 1);
    (void)sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

/* --- message lengths --- */
static const seL4_Word lengths[] = {0, 1, 4, 5, 120, 127};

static void sender(struct conf_thread *t)
{
    for (unsigned k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
        seL4_Word len = lengths[k];
        for (seL4_Word i = 0; i < len && i < 120; i++) {
            sys_set_mr((int)i, mr_value(len, i));
        }
        sys_send(t->arg[0], seL4_MessageInfo_new(0x100 + len, 0, 0, len));
    }
}

static void case_send_recv_lengths(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr reply = conf_reply_object(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr badged = mint(env, ep, seL4_AllRights, 0x1234);
    struct conf_thread t;
    conf_thread_make(env, &t, sender, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = badged;
    conf_thread_start(&t);
    for (unsigned k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
        seL4_Word len = lengths[k], want = len > 120 ? 120 : len;
        for (int i = 0; i < 120; i++) {
            sys_set_mr(i, 0xdead);
        }
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = conf_recv(ep, &badge, reply);
        CONF_EQ(badge, 0x1234);
        CONF_EQ(seL4_MessageInfo_get_label(info), 0x100 + len);
        CONF_EQ(seL4_MessageInfo_get_length(info), want);
        CONF_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
        for (seL4_Word i = 0; i < want; i++) {
            CONF_EQ(sys_get_mr((int)i), mr_value(len, i));
        }
        /* Beyond the length, a register-passed MR is what sys_recv stored (x2..x5 untouched
         * by the kernel are whatever they were); buffer MRs are not written. */
        if (want >= 4 && want < 120) {
            CONF_EQ(sys_get_mr((int)want), 0xdead);
        }
    }
    conf_thread_join(&t);
}

/* --- Call, Reply, ReplyRecv --- */
static void server_echo(struct conf_thread *t)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = conf_recv(t->arg[0], &badge, t->reply);
    for (unsigned n = 0; n < 3; n++) {
        t->out[n] = badge;
        seL4_Word len = seL4_MessageInfo_get_length(info);
        for (seL4_Word i = 0; i < len; i++) {
            sys_set_mr((int)i, sys_get_mr((int)i) + 1);
        }
        info = conf_reply_recv(
            t->arg[0], seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, len),
            &badge, t->reply);
    }
}

static void case_call_reply_recv(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, server_echo, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = ep;
    conf_thread_start(&t);
    static const seL4_Word badges[3] = {0x11, 0x22, 0x33};
    static const seL4_Word lens[3] = {1, 6, 120};
    for (unsigned n = 0; n < 3; n++) {
        seL4_CPtr b = mint(env, ep, seL4_AllRights, badges[n]);
        for (seL4_Word i = 0; i < lens[n]; i++) {
            sys_set_mr((int)i, 100 * n + i);
        }
        seL4_Word badge = 99;
        seL4_MessageInfo_t info = sys_call(b, seL4_MessageInfo_new(7 + n, 0, 0, lens[n]));
        (void)badge;
        CONF_EQ(seL4_MessageInfo_get_label(info), 8 + n);
        CONF_EQ(seL4_MessageInfo_get_length(info), lens[n]);
        for (seL4_Word i = 0; i < lens[n]; i++) {
            CONF_EQ(sys_get_mr((int)i), 100 * n + i + 1);
        }
        CONF_EQ(t.out[n], badges[n]);
    }
}

/* A reply cap is used once: the second Reply goes nowhere. */
static void server_reply_twice(struct conf_thread *t)
{
    (void)conf_recv(t->arg[0], NULL, t->reply);
    sys_set_mr(0, 0xa);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 1), t->reply);
    sys_set_mr(0, 0xb);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 1), t->reply);
    (void)conf_recv(t->arg[0], NULL, t->reply);
    sys_set_mr(0, 0xc);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 1), t->reply);
}

static void case_reply_cap_one_shot(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, server_reply_twice, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = ep;
    conf_thread_start(&t);
    sys_set_mr(0, 1);
    (void)sys_call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    CONF_EQ(sys_get_mr(0), 0xa);
    sys_set_mr(0, 2);
    (void)sys_call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    CONF_EQ(sys_get_mr(0), 0xc);
    conf_thread_join(&t);
}

#ifndef CONFIG_KERNEL_MCS /* no SaveCaller under MCS: the receiver names its reply object */
/* SaveCaller moves the reply cap to a slot; Send on it replies (once). */
static void server_save_caller(struct conf_thread *t)
{
    (void)conf_recv(t->arg[0], NULL, t->reply);
    t->out[0] = sys_cnode_save_caller(ROOT, t->arg[1], DEPTH);
    t->out[1] = sys_debug_cap_identify(t->arg[1]);
    sys_set_mr(0, 0x5a);
    sys_send(t->arg[1], seL4_MessageInfo_new(3, 0, 0, 1));
    t->out[2] = sys_debug_cap_identify(t->arg[1]);
}

static void case_save_caller_reply(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0), slot = conf_slot(env);
    struct conf_thread t;
    conf_thread_make(env, &t, server_save_caller, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = ep;
    t.arg[1] = slot;
    conf_thread_start(&t);
    seL4_MessageInfo_t info = sys_call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    CONF_EQ(seL4_MessageInfo_get_label(info), 3);
    CONF_EQ(sys_get_mr(0), 0x5a);
    conf_thread_join(&t);
    CONF_EQ(t.out[0], seL4_NoError);
    CONF_EQ(t.out[1], KAAL_CAP_TAG_REPLY);
    CONF_EQ(t.out[2], KAAL_CAP_TAG_NULL); /* used up */
}
#endif

/* Call on a notification signals it and gets an empty reply at once. */
static void case_call_on_notification(struct conf_env *env)
{
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr b = mint(env, n, seL4_AllRights, 0x30);
    sys_set_mr(0, 0x77);
    seL4_MessageInfo_t info = sys_call(b, seL4_MessageInfo_new(5, 0, 0, 1));
    CONF_EQ(info.words[0], 0);
    seL4_Word badge = 0;
    (void)sys_poll(n, &badge);
    CONF_EQ(badge, 0x30);
}

/* --- caps --- */
static void cap_receiver(struct conf_thread *t)
{
    sys_set_cap_receive_path(ROOT, t->arg[1], DEPTH);
    for (int i = 0; i < 3; i++) {
        sys_get_ipc_buffer()->caps_or_badges[i] = 0xbad;
    }
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = conf_recv(t->arg[0], &badge, t->reply);
    t->out[0] = info.words[0];
    t->out[1] = sys_get_badge(0);
    t->out[2] = sys_get_badge(1);
    t->out[3] = sys_get_mr(0);
}

static void send_caps(struct conf_env *env, seL4_CPtr via, seL4_CPtr recv_ep, seL4_CPtr slot,
                      const seL4_CPtr *caps, unsigned n, struct conf_thread *t)
{
    conf_thread_make(env, t, cap_receiver, PRIO, 0);
    if (conf_failed()) {
        return;
    }
    t->arg[0] = recv_ep;
    t->arg[1] = slot;
    conf_thread_start(t);
    let_run(); /* the receiver waits */
    for (unsigned i = 0; i < n; i++) {
        sys_set_cap((int)i, caps[i]);
    }
    sys_set_mr(0, 0x42);
    sys_send(via, seL4_MessageInfo_new(9, 0, n, 1));
    conf_thread_join(t);
}

static void case_cap_transfer_grant(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr slot = conf_slot(env);
    CONF_CHECK(!conf_failed());
    seL4_CPtr nb = mint(env, n, seL4_CanWrite, 0x66);
    struct conf_thread t;
    send_caps(env, ep, ep, slot, &nb, 1, &t);
    CONF_CHECK(!conf_failed());
    CONF_EQ(t.out[0], seL4_MessageInfo_new(9, 0, 1, 1).words[0]);
    CONF_EQ(t.out[3], 0x42);
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NOTIFICATION);
    /* The received cap is a copy of the sent one: same badge, same (write-only) rights. */
    sys_signal(slot);
    seL4_Word badge = 0;
    (void)sys_poll(n, &badge);
    CONF_EQ(badge, 0x66);
    CONF_EQ(conf_tag(nb), KAAL_CAP_TAG_NOTIFICATION); /* the sender keeps its cap */
}

static void case_cap_transfer_needs_grant(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr slot = conf_slot(env);
    CONF_CHECK(!conf_failed());
    seL4_CPtr no_grant = mint(env, ep, seL4_ReadWrite, 0);
    struct conf_thread t;
    send_caps(env, no_grant, ep, slot, &n, 1, &t);
    CONF_CHECK(!conf_failed());
    CONF_EQ(t.out[0], seL4_MessageInfo_new(9, 0, 0, 1).words[0]); /* message arrives, no cap */
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NULL);
}

/* A cap to the endpoint the message travels on is unwrapped (its badge delivered); the next cap
 * goes to the receive slot. */
static void case_cap_unwrapping(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr slot = conf_slot(env);
    CONF_CHECK(!conf_failed());
    seL4_CPtr caps[2] = {mint(env, ep, seL4_AllRights, 0x33), n};
    struct conf_thread t;
    send_caps(env, ep, ep, slot, caps, 2, &t);
    CONF_CHECK(!conf_failed());
    CONF_EQ(t.out[0], seL4_MessageInfo_new(9, 1, 2, 1).words[0]);
    CONF_EQ(t.out[1], 0x33);
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NOTIFICATION);
}

/* Only one cap goes to the receive slot; an occupied slot takes none. */
static void case_cap_receive_slot(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr ep2 = conf_alloc(env, seL4_EndpointObject, 0), slot = conf_slot(env);
    CONF_CHECK(!conf_failed());
    seL4_CPtr caps[2] = {n, ep2};
    struct conf_thread t;
    send_caps(env, ep, ep, slot, caps, 2, &t);
    CONF_CHECK(!conf_failed());
    CONF_EQ(t.out[0], seL4_MessageInfo_new(9, 0, 1, 1).words[0]);
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NOTIFICATION);
    struct conf_thread t2;
    send_caps(env, ep, ep, slot, &ep2, 1, &t2); /* slot still full */
    CONF_CHECK(!conf_failed());
    CONF_EQ(t2.out[0], seL4_MessageInfo_new(9, 0, 0, 1).words[0]);
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NOTIFICATION);
}

/* --- non-blocking --- */
static void blocked_sender(struct conf_thread *t)
{
    sys_set_mr(0, t->arg[1]);
    sys_send(t->arg[0], seL4_MessageInfo_new(t->arg[1], 0, 0, 1));
}

static void case_nbrecv_and_nbsend(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr reply = conf_reply_object(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, blocked_sender, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = mint(env, ep, seL4_AllRights, 0x9);
    t.arg[1] = 0x55;
    conf_thread_start(&t);
    seL4_Word badge = 1;
    (void)conf_nbrecv(ep, &badge, reply); /* the sender has not run */
    CONF_EQ(badge, 0);
    let_run();
    seL4_MessageInfo_t info = conf_nbrecv(ep, &badge, reply);
    CONF_EQ(badge, 0x9);
    CONF_EQ(seL4_MessageInfo_get_label(info), 0x55);
    CONF_EQ(sys_get_mr(0), 0x55);
    conf_thread_join(&t);
    /* NBSend to a waiting receiver is delivered. */
    struct conf_thread r;
    conf_thread_make(env, &r, cap_receiver, PRIO, 0);
    CONF_CHECK(!conf_failed());
    r.arg[0] = ep;
    r.arg[1] = conf_slot(env);
    conf_thread_start(&r);
    let_run();
    sys_set_mr(0, 0x4242);
    sys_nbsend(ep, seL4_MessageInfo_new(2, 0, 0, 1));
    conf_thread_join(&r);
    CONF_EQ(r.out[0], seL4_MessageInfo_new(2, 0, 0, 1).words[0]);
    CONF_EQ(r.out[3], 0x4242);
}

/* Senders queue in FIFO order. */
static void case_senders_fifo(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr reply = conf_reply_object(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    struct conf_thread t[4];
    for (unsigned i = 0; i < 4; i++) {
        conf_thread_make(env, &t[i], blocked_sender, PRIO, 0);
        CONF_CHECK(!conf_failed());
        t[i].arg[0] = ep;
        t[i].arg[1] = 0x10 + i;
    }
    static const unsigned order[4] = {2, 0, 3, 1};
    for (unsigned i = 0; i < 4; i++) {
        conf_thread_start(&t[order[i]]);
        let_run();
    }
    for (unsigned i = 0; i < 4; i++) {
        seL4_MessageInfo_t info = conf_recv(ep, NULL, reply);
        CONF_EQ(seL4_MessageInfo_get_label(info), 0x10 + order[i]);
    }
}

/* CancelBadgedSends restarts the senders with that badge: they send again, now behind the others.
 * (They are restarted by going to the head of the ready queue in queue order, as seL4's
 * tcbSchedEnqueue does, so they send again in reverse order.) */
static void case_cancel_badged_sends(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr reply = conf_reply_object(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr b1 = mint(env, ep, seL4_AllRights, 1), b2 = mint(env, ep, seL4_AllRights, 2);
    struct conf_thread t[3];
    const seL4_CPtr via[3] = {b1, b2, b1};
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_make(env, &t[i], blocked_sender, PRIO, 0);
        CONF_CHECK(!conf_failed());
        t[i].arg[0] = via[i];
        t[i].arg[1] = 0x20 + i;
        conf_thread_start(&t[i]);
        let_run();
    }
    CONF_OK(sys_cnode_cancel_badged_sends(ROOT, b1, DEPTH));
    let_run();
    static const seL4_Word want[3][2] = {{2, 0x21}, {1, 0x22}, {1, 0x20}};
    for (unsigned i = 0; i < 3; i++) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = conf_recv(ep, &badge, reply);
        CONF_EQ(badge, want[i][0]);
        CONF_EQ(seL4_MessageInfo_get_label(info), want[i][1]);
    }
    /* Needs all rights on the cap. */
    seL4_CPtr weak = mint(env, ep, seL4_ReadWrite, 0);
    seL4_CPtr weak_badged = conf_slot(env);
    CONF_OK(sys_cnode_mint(ROOT, weak_badged, DEPTH, ROOT, ep, DEPTH, seL4_NoRead, 5));
    CONF_ERR(sys_cnode_cancel_badged_sends(ROOT, weak_badged, DEPTH), seL4_IllegalOperation);
    CONF_OK(sys_cnode_cancel_badged_sends(ROOT, ep, DEPTH)); /* badge 0: nothing to do */
    (void)weak;
}

/* A thread with a bound notification waiting on an endpoint is woken by a signal (x0 = word). */
static void bound_receiver(struct conf_thread *t)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = conf_recv(t->arg[0], &badge, t->reply);
    t->out[0] = badge;
    t->out[1] = info.words[0];
    info = conf_recv(t->arg[0], &badge, t->reply);
    t->out[2] = badge;
    t->out[3] = seL4_MessageInfo_get_label(info);
}

static void case_bound_notification(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, bound_receiver, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = ep;
    CONF_OK(sys_tcb_bind_notification(t.tcb, n));
    conf_thread_start(&t);
    let_run();
    seL4_CPtr nb = mint(env, n, seL4_AllRights, 0x700);
    sys_signal(nb);
    let_run();
    CONF_EQ(t.out[0], 0x700);
    /* The endpoint still works. */
    seL4_CPtr eb = mint(env, ep, seL4_AllRights, 0x5);
    sys_send(eb, seL4_MessageInfo_new(0x31, 0, 0, 0));
    conf_thread_join(&t);
    CONF_EQ(t.out[2], 0x5);
    CONF_EQ(t.out[3], 0x31);
    CONF_OK(sys_tcb_unbind_notification(t.tcb));
}

/* A receiver without an IPC buffer gets at most the 4 register MRs. */
static void case_receiver_without_ipc_buffer(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, cap_receiver, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = ep;
    t.arg[1] = conf_slot(env);
    CONF_OK(sys_tcb_set_ipc_buffer(t.tcb, 0, t.ipc_frame)); /* its TLS still points at the page */
    conf_thread_start(&t);
    let_run();
    for (int i = 0; i < 6; i++) {
        sys_set_mr(i, 0x70 + i);
    }
    sys_send(ep, seL4_MessageInfo_new(4, 0, 0, 6));
    conf_thread_join(&t);
    CONF_EQ(t.out[0], seL4_MessageInfo_new(4, 0, 0, 4).words[0]);
    CONF_EQ(t.out[3], 0x70);
}

/* A server in another address space: 120-word messages both ways go buffer to buffer between
 * the two VSpaces. */
static void case_call_across_vspaces(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    seL4_CPtr vs = conf_vspace_with_image(env);
    struct conf_thread t;
    conf_thread_make(env, &t, server_echo, PRIO, 0);
    conf_thread_move_vspace(env, &t, vs, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = ep;
    conf_thread_start(&t);
    seL4_CPtr b = mint(env, ep, seL4_AllRights, 0x99);
    for (int n = 0; n < 3; n++) {
        for (seL4_Word i = 0; i < 120; i++) {
            sys_set_mr((int)i, 1000 * (seL4_Word)n + i);
        }
        seL4_MessageInfo_t info = sys_call(b, seL4_MessageInfo_new(1, 0, 0, 120));
        CONF_EQ(seL4_MessageInfo_get_length(info), 120);
        CONF_EQ(seL4_MessageInfo_get_label(info), 2);
        for (seL4_Word i = 0; i < 120; i++) {
            CONF_EQ(sys_get_mr((int)i), 1000 * (seL4_Word)n + i + 1);
        }
        CONF_EQ(t.out[n], 0x99);
    }
}

/* Call through a cap with neither Grant nor GrantReply: the message is delivered but no reply cap
 * is made, so the caller waits for ever (Inactive); the receiver's Reply goes nowhere and
 * SaveCaller finds nothing. (MCS: the receiver's reply object is left empty, and answering
 * through it goes nowhere.) */
static void caller(struct conf_thread *t)
{
    t->out[0] = 1;
    (void)sys_call(t->arg[0], seL4_MessageInfo_new(0x61, 0, 0, 0));
    t->out[1] = 2;
}

static void case_call_without_grant_reply(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr reply = conf_reply_object(env);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0), saved = conf_slot(env);
    CONF_CHECK(!conf_failed());
    seL4_CPtr weak = mint(env, ep, seL4_ReadWrite, 0x3);
    struct conf_thread t;
    conf_thread_make(env, &t, caller, PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = weak;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = conf_recv(ep, &badge, reply);
    CONF_EQ(badge, 0x3);
    CONF_EQ(seL4_MessageInfo_get_label(info), 0x61);
#ifdef CONFIG_KERNEL_MCS
    (void)saved;
#else
    CONF_OK(sys_cnode_save_caller(ROOT, saved, DEPTH));
    CONF_EQ(conf_tag(saved), KAAL_CAP_TAG_NULL);
#endif
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 0), reply);
    let_run();
    CONF_EQ(t.out[0], 1);
    CONF_EQ(t.out[1], 0);
    /* With GrantReply the same Call gets its reply. */
    seL4_CPtr gr = conf_slot(env);
    CONF_OK(sys_cnode_mint(ROOT, gr, DEPTH, ROOT, ep, DEPTH, seL4_CapRights_new(1, 0, 1, 1), 0x4));
    t.arg[0] = gr;
    conf_thread_start(&t);
    info = conf_recv(ep, &badge, reply);
    CONF_EQ(badge, 0x4);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 0), reply);
    conf_thread_join(&t);
    CONF_EQ(t.out[1], 2);
}

static const struct conf_case cases[] = {
    CONF_CASE(send_recv_lengths),
    CONF_CASE(call_reply_recv),
    CONF_CASE(reply_cap_one_shot),
#ifndef CONFIG_KERNEL_MCS
    CONF_CASE(save_caller_reply),
#endif
    CONF_CASE(call_on_notification),
    CONF_CASE(cap_transfer_grant),
    CONF_CASE(cap_transfer_needs_grant),
    CONF_CASE(cap_unwrapping),
    CONF_CASE(cap_receive_slot),
    CONF_CASE(nbrecv_and_nbsend),
    CONF_CASE(senders_fifo),
    CONF_CASE(cancel_badged_sends),
    CONF_CASE(bound_notification),
    CONF_CASE(receiver_without_ipc_buffer),
    CONF_CASE(call_across_vspaces),
    CONF_CASE(call_without_grant_reply),
};
const struct conf_area conf_area_ipc = CONF_AREA("ipc", cases);
