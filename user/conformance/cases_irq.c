/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: interrupts (docs/abi.md#invocation-semantics): IRQControl_Get and GetTrigger with
 * their errors, IRQHandler SetNotification/Ack/Clear, IssueSGISignal and its errors, an SGI
 * delivered to a notification through an IRQHandler (the one interrupt user code can raise on both
 * ports), and the IRQ's notification cap under Revoke and Delete. */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define MAX_IRQ 159u
#define TIMER_IRQ 27u /* the kernel's (EL1 virtual timer PPI) */
#define SPARE_IRQ 100u

static void case_irq_control_get_errors(struct conf_env *env)
{
    seL4_CPtr s1 = conf_slot(env), s2 = conf_slot(env);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, MAX_IRQ + 1, ROOT, s1, DEPTH),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), MAX_IRQ);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, TIMER_IRQ, ROOT, s1, DEPTH), seL4_RevokeFirst);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, seL4_CapInitThreadTCB, DEPTH),
             seL4_DeleteFirst);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, s1, 0), seL4_RangeError);
    CONF_OK(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, s1, DEPTH));
    CONF_EQ(conf_tag(s1), KAAL_CAP_TAG_IRQ_HANDLER);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, s2, DEPTH), seL4_RevokeFirst);
    /* Deleting the handler cap frees the line. */
    CONF_OK(sys_cnode_delete(ROOT, s1, DEPTH));
    CONF_OK(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, s2, DEPTH));
    seL4_Word w[2] = {SPARE_IRQ + 1, 0};
    CONF_EQ(conf_raw_call(seL4_CapIRQControl, IRQIssueIRQHandler, 2, 0, w), seL4_TruncatedMessage);
    CONF_EQ(conf_raw_call(seL4_CapIRQControl, 0x7777, 0, 0, w), seL4_IllegalOperation);
}

static void case_irq_control_get_trigger(struct conf_env *env)
{
    seL4_CPtr s1 = conf_slot(env), s2 = conf_slot(env);
    CONF_ERR(sys_irq_control_get_trigger(seL4_CapIRQControl, MAX_IRQ + 1, 1, ROOT, s1, DEPTH),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(1), MAX_IRQ);
    CONF_OK(sys_irq_control_get_trigger(seL4_CapIRQControl, SPARE_IRQ, 1, ROOT, s1, DEPTH));
    CONF_EQ(conf_tag(s1), KAAL_CAP_TAG_IRQ_HANDLER);
    CONF_ERR(sys_irq_control_get_trigger(seL4_CapIRQControl, SPARE_IRQ, 0, ROOT, s2, DEPTH),
             seL4_RevokeFirst);
}

static void case_irq_handler_invocations(struct conf_env *env)
{
    seL4_CPtr h = conf_slot(env), n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0), ro = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, h, DEPTH));
    CONF_OK(sys_cnode_copy(ROOT, ro, DEPTH, ROOT, n, DEPTH, seL4_CanRead));
    CONF_ERR(sys_irq_handler_set_notification(h, ep), seL4_InvalidCapability);
    CONF_ERR(sys_irq_handler_set_notification(h, ro), seL4_InvalidCapability);
    CONF_OK(sys_irq_handler_set_notification(h, n));
    CONF_OK(sys_irq_handler_set_notification(h, n)); /* replaces */
    CONF_OK(sys_irq_handler_ack(h));
    CONF_OK(sys_irq_handler_clear(h));
    CONF_OK(sys_irq_handler_clear(h));
    seL4_Word none[1] = {0};
    CONF_EQ(conf_raw_call(h, IRQSetIRQHandler, 0, 0, none), seL4_TruncatedMessage);
    CONF_EQ(conf_raw_call(h, 0x7777, 0, 0, none), seL4_IllegalOperation);
}

static void case_issue_sgi_errors(struct conf_env *env)
{
    seL4_CPtr s = conf_slot(env);
    CONF_ERR(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 16, 0, ROOT, s, DEPTH),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), 15);
    CONF_ERR(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 1, 8, ROOT, s, DEPTH),
             seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_ERR(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 1, 0, ROOT, seL4_CapInitThreadTCB,
                                              DEPTH),
             seL4_DeleteFirst);
    CONF_OK(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 1, 0, ROOT, s, DEPTH));
    CONF_CHECK(conf_tag(s) != KAAL_CAP_TAG_NULL);
}

/* An SGI to this CPU, taken through an IRQHandler for its INTID, signals the notification with
 * the handler's badge, and again after Ack. (The kernel masks a line it has signalled until Ack,
 * but whether an SGI can be masked at all is up to the GIC: QEMU's GICv2 keeps SGIs enabled, as
 * the architecture allows. So this case does not look at the mask.) */
static void case_sgi_signals_notification(struct conf_env *env)
{
    seL4_CPtr h = conf_slot(env), sgi = conf_slot(env),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr nb = conf_slot(env);
    CONF_CHECK(!conf_failed());
    const seL4_Word intid = 2;
    CONF_OK(sys_cnode_mint(ROOT, nb, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x400));
    CONF_OK(sys_irq_control_get(seL4_CapIRQControl, intid, ROOT, h, DEPTH));
    CONF_OK(sys_irq_handler_set_notification(h, nb));
    CONF_OK(sys_irq_handler_ack(h));
    CONF_OK(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, intid, 0, ROOT, sgi, DEPTH));
    sys_signal(sgi); /* any label sends the SGI */
    seL4_Word word = 0;
    sys_wait(n, &word);
    CONF_EQ(word, 0x400);
    CONF_OK(sys_irq_handler_ack(h));
    sys_signal(sgi);
    word = 0;
    sys_wait(n, &word);
    CONF_EQ(word, 0x400);
    CONF_OK(sys_irq_handler_clear(h));
}

/* Raise the SGI, make sure the kernel has taken it, then poll n: the badge word that arrived (0:
 * nothing). "Taken" is proved by a second SGI with a higher INTID bound to its own notification:
 * interrupts are taken in INTID order (hostsim takes them when the machine idles, QEMU at once),
 * so once the sentinel's notification is signalled the first SGI has been handled. */
struct sentinel {
    seL4_CPtr handler, sgi, ntfn;
};
static seL4_Word raise_and_poll(seL4_CPtr sgi, seL4_CPtr n, const struct sentinel *s)
{
    sys_signal(sgi);
    sys_signal(s->sgi);
    seL4_Word word = 0;
    sys_wait(s->ntfn, &word);
    if (word != 1 || sys_irq_handler_ack(s->handler) != seL4_NoError) {
        return ~0ul; /* the sentinel did not work: no answer */
    }
    word = 0;
    (void)sys_poll(n, &word);
    return word;
}

/* The IRQ's notification cap is a cap in the derivation tree, as in seL4 (issue 13): Revoke of
 * the cap it was set from, or of any ancestor, deletes it, and later interrupts signal nothing.
 * Delete removes one cap only: deleting the minted cap the IRQ's copy came from leaves the copy
 * (it hangs on under the original), and Revoke of the original then takes it. */
static void case_revoke_unbinds_irq(struct conf_env *env)
{
    seL4_CPtr h = conf_slot(env), sgi = conf_slot(env),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr nb1 = conf_slot(env), nb2 = conf_slot(env), nb3 = conf_slot(env);
    struct sentinel sentinel = {conf_slot(env), conf_slot(env),
                                conf_alloc(env, seL4_NotificationObject, 0)};
    seL4_CPtr sentinel_badged = conf_slot(env);
    CONF_CHECK(!conf_failed());
    const seL4_Word intid = 3;
    CONF_OK(sys_irq_control_get(seL4_CapIRQControl, intid + 1, ROOT, sentinel.handler, DEPTH));
    CONF_OK(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, intid + 1, 0, ROOT, sentinel.sgi,
                                             DEPTH));
    CONF_OK(sys_cnode_mint(ROOT, sentinel_badged, DEPTH, ROOT, sentinel.ntfn, DEPTH, seL4_AllRights,
                           1));
    CONF_OK(sys_irq_handler_set_notification(sentinel.handler, sentinel_badged));
    CONF_OK(sys_irq_handler_ack(sentinel.handler));
    CONF_OK(sys_irq_control_get(seL4_CapIRQControl, intid, ROOT, h, DEPTH));
    CONF_OK(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, intid, 0, ROOT, sgi, DEPTH));
    CONF_OK(sys_cnode_mint(ROOT, nb1, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x10));
    CONF_OK(sys_irq_handler_set_notification(h, nb1));
    CONF_OK(sys_irq_handler_ack(h));
    seL4_Word word = 0;
    sys_signal(sgi);
    sys_wait(n, &word);
    CONF_EQ(word, 0x10);
    /* Revoke the original: the minted cap and the IRQ's copy are gone; the SGI signals nothing. */
    CONF_OK(sys_irq_handler_ack(h));
    CONF_OK(sys_cnode_revoke(ROOT, n, DEPTH));
    CONF_EQ(conf_tag(nb1), KAAL_CAP_TAG_NULL);
    CONF_EQ(raise_and_poll(sgi, n, &sentinel), 0);
    /* A new binding gets only its own badge (0x10 here would be the revoked cap signalling). */
    CONF_OK(sys_cnode_mint(ROOT, nb2, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x200));
    CONF_OK(sys_irq_handler_set_notification(h, nb2));
    CONF_OK(sys_irq_handler_ack(h));
    word = 0;
    sys_signal(sgi);
    sys_wait(n, &word);
    CONF_EQ(word, 0x200);
    /* Delete the minted cap: the IRQ's copy stays and signals on; Revoke of the original takes it.
     */
    CONF_OK(sys_irq_handler_ack(h));
    CONF_OK(sys_cnode_delete(ROOT, nb2, DEPTH));
    word = 0;
    sys_signal(sgi);
    sys_wait(n, &word);
    CONF_EQ(word, 0x200);
    CONF_OK(sys_irq_handler_ack(h));
    CONF_OK(sys_cnode_revoke(ROOT, n, DEPTH));
    CONF_EQ(raise_and_poll(sgi, n, &sentinel), 0);
    CONF_OK(sys_cnode_mint(ROOT, nb3, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x4000));
    CONF_OK(sys_irq_handler_set_notification(h, nb3));
    CONF_OK(sys_irq_handler_ack(h));
    word = 0;
    sys_signal(sgi);
    sys_wait(n, &word);
    CONF_EQ(word, 0x4000);
    CONF_OK(sys_irq_handler_clear(h));
    CONF_OK(sys_irq_handler_clear(sentinel.handler));
}

static const struct conf_case cases[] = {
    CONF_CASE(irq_control_get_errors),   CONF_CASE(irq_control_get_trigger),
    CONF_CASE(irq_handler_invocations),  CONF_CASE(issue_sgi_errors),
    CONF_CASE(sgi_signals_notification), CONF_CASE(revoke_unbinds_irq),
};
const struct conf_area conf_area_irq = CONF_AREA("irq", cases);
