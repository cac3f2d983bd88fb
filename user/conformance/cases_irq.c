/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: interrupts (ABI sheet §7.1 IRQ rows): IRQControl_Get and GetTrigger with their
 * errors, IRQHandler SetNotification/Ack/Clear, IssueSGISignal and its errors, and an SGI delivered
 * to a notification through an IRQHandler (the one interrupt user code can raise on both ports). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define MAX_IRQ 159u
#define TIMER_IRQ 27u /* the kernel's (EL1 virtual timer PPI) */
#define SPARE_IRQ 100u

static void case_irq_control_get_errors(struct conf_env *env)
{
    seL4_CPtr s1 = conf_slot(env), s2 = conf_slot(env);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, MAX_IRQ + 1, ROOT, s1, DEPTH), seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), MAX_IRQ);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, TIMER_IRQ, ROOT, s1, DEPTH), seL4_RevokeFirst);
    CONF_ERR(sys_irq_control_get(seL4_CapIRQControl, SPARE_IRQ, ROOT, seL4_CapInitThreadTCB, DEPTH), seL4_DeleteFirst);
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
    CONF_ERR(sys_irq_control_get_trigger(seL4_CapIRQControl, MAX_IRQ + 1, 1, ROOT, s1, DEPTH), seL4_RangeError);
    CONF_EQ(seL4_GetMR(1), MAX_IRQ);
    CONF_OK(sys_irq_control_get_trigger(seL4_CapIRQControl, SPARE_IRQ, 1, ROOT, s1, DEPTH));
    CONF_EQ(conf_tag(s1), KAAL_CAP_TAG_IRQ_HANDLER);
    CONF_ERR(sys_irq_control_get_trigger(seL4_CapIRQControl, SPARE_IRQ, 0, ROOT, s2, DEPTH), seL4_RevokeFirst);
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
    CONF_ERR(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 16, 0, ROOT, s, DEPTH), seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), 15);
    CONF_ERR(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 1, 8, ROOT, s, DEPTH), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_ERR(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, 1, 0, ROOT, seL4_CapInitThreadTCB, DEPTH),
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
    seL4_CPtr h = conf_slot(env), sgi = conf_slot(env), n = conf_alloc(env, seL4_NotificationObject, 0);
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

static const struct conf_case cases[] = {
    CONF_CASE(irq_control_get_errors), CONF_CASE(irq_control_get_trigger),  CONF_CASE(irq_handler_invocations),
    CONF_CASE(issue_sgi_errors),       CONF_CASE(sgi_signals_notification),
};
const struct conf_area conf_area_irq = CONF_AREA("irq", cases);
